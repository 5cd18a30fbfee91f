"""Navigation shown to each user, by the capabilities their roles give them."""

from django.urls import reverse

from dangvien.accounts.roles import Capability
from dangvien.core.scope import scope_of


def has_member_record(user) -> bool:
    """Whether the user has a member record (asked once per request, then kept on the user)."""
    if not hasattr(user, "_dangvien_has_record"):
        from dangvien.members.selectors import own_record

        user._dangvien_has_record = own_record(user) is not None
    return user._dangvien_has_record


# (label, url name, url kwargs, who sees it: a capability on some subtree, a predicate taking
# the user, or None for every signed-in user)
NAVIGATION = [
    ("Tổng quan", "home", {}, None),
    ("Hồ sơ của tôi", "members:me", {}, has_member_record),
    ("Bổ sung hồ sơ của tôi", "supplements:my", {}, has_member_record),
    ("Đánh giá của tôi", "assessments:my", {}, has_member_record),
    ("Cây tổ chức", "organizations:tree", {}, Capability.VIEW),
    ("Đảng viên", "members:list", {}, Capability.VIEW),
    ("Nhập đảng viên từ tệp", "core:import-upload", {"kind": "members"}, Capability.MANAGE_MEMBERS),
    ("Nhập tổ chức từ tệp", "core:import-upload", {"kind": "orgs"}, Capability.MANAGE_ORGS),
    ("Bổ sung hồ sơ hằng năm", "supplements:index", {}, Capability.MANAGE_MEMBERS),
    ("Đánh giá, xếp loại chất lượng", "assessments:index", {}, Capability.VIEW),
    ("Báo cáo cơ cấu đảng viên", "reports:structure", {}, Capability.VIEW),
    ("Báo cáo xếp loại chất lượng", "reports:quality", {}, Capability.VIEW),
    ("Tổ chức xuất sắc nhiều năm liền", "assessments:streaks", {}, Capability.VIEW),
    (
        "Đảng viên hai năm liền không hoàn thành nhiệm vụ",
        "assessments:screening",
        {},
        Capability.VIEW,
    ),
    (
        "Nhập kết quả đánh giá",
        "core:import-upload",
        {"kind": "assessments"},
        Capability.MANAGE_ORGS,
    ),
    (
        "Nhập xếp loại tổ chức",
        "core:import-upload",
        {"kind": "org-assessments"},
        Capability.MANAGE_ORGS,
    ),
    ("Lịch sử thay đổi", "core:history", {}, Capability.VIEW),
    ("Tài khoản và phân quyền", "accounts:users", {}, Capability.MANAGE_USERS),
    ("Bộ quy định", "core:rules", {}, lambda user: scope_of(user).everything),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    items = []
    for label, url_name, kwargs, who in NAVIGATION:
        if who is None or (who(user) if callable(who) else scope.any(who)):
            url = reverse(url_name, kwargs=kwargs)
            active = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "url": url, "active": active})
    return {"navigation": items, "scope": scope}
