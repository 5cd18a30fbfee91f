"""Materialised organisation paths ("/1/7/42/"): the one place that knows their shape."""


def ancestor_paths(path: str) -> list[str]:
    """The paths of an organisation and of everything above it: "/1/7/" → ["/1/", "/1/7/"]."""
    return [path[: index + 1] for index, char in enumerate(path) if char == "/"][1:]


def path_ids(path: str) -> list[int]:
    """The organisation ids along a path, from the top: "/1/7/" → [1, 7]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def is_top(path: str) -> bool:
    """Whether a path is a top organisation's (a province): "/3/" is, "/3/17/" and "/" are not."""
    return len(path_ids(path)) == 1


def common_ancestor(first: str, second: str) -> str:
    """The path of the nearest organisation above (or being) both: "/1/7/9/", "/1/8/" → "/1/";
    "/" when they share none (only an administrator's scope covers that)."""
    shared = []
    for a, b in zip(path_ids(first), path_ids(second), strict=False):
        if a != b:
            break
        shared.append(a)
    return "/" + "".join(f"{pk}/" for pk in shared)
