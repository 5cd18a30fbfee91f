"""Inside/outside samples for the organisation pages (used by tests/test_scope_walk.py): the
change of kind or sector and the correction act on the organisation of the URL, like the
rename; a POST that the scope let through would change it."""

from dangvien.organizations.models import OrgKind, Sector


def scope_samples(world) -> dict:
    # The URLs take an organisation code: the walk's shared sample; the reorganisation screen
    # acts on the organisations under one, so it gets one that has some.
    return {"organizations:reorganise": {"code": (world.base.code, world.outside_base.code)}}


def post_samples(world, outside: bool) -> dict:
    return {
        "organizations:change": {"kind": OrgKind.SUB_BRANCH, "sector": Sector.KHAC},
        "organizations:correct": {"name": "Tên đã bị sửa", "reason": "Gõ sai"},
        "organizations:reorganise": _reorganise(world, outside),
    }


def _reorganise(world, outside: bool) -> dict:
    """A preview and confirmation absorbing a branch into another (one outside, for `outside`)."""
    receiving = world.outside_branch if outside else world.branch
    absorbed = world.other_branch.pk
    return {
        "effective_on": "01/07/2025",
        "decision_number": "1-QĐ",
        "rows": str(absorbed),
        f"action-{absorbed}": "absorb",
        f"target-{absorbed}": receiving.code,
        "confirm": "1",
    }
