"""Inside/outside samples for the organisation pages (used by tests/test_scope_walk.py): the
change of kind or sector and the correction act on the organisation of the URL, like the
rename; a POST that the scope let through would change it."""

from dangvien.organizations.models import OrgKind, Sector


def scope_samples(world) -> dict:
    return {}  # the URLs take an organisation code: the walk's shared sample


def post_samples(world, outside: bool) -> dict:
    return {
        "organizations:change": {"kind": OrgKind.SUB_BRANCH, "sector": Sector.KHAC},
        "organizations:correct": {"name": "Tên đã bị sửa", "reason": "Gõ sai"},
    }
