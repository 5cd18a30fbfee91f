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
