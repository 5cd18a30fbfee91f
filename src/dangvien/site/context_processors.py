"""The menu shown to each user: every app's pages, by the capabilities their roles give them."""

import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe

from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.core.selectors import may_review_access
from dangvien.members.context_processors import has_member_record, has_open_conflicts


def is_administrator(user) -> bool:
    return scope_of(user).everything


# Groups of (label, url name, url kwargs, who sees it: a capability on some subtree, a predicate
# taking the user, or None for every signed-in user). A group without visible items is hidden.
NAVIGATION = [
    (
        "",
        [
            ("Tổng quan", "home", {}, None),
            ("Hồ sơ của tôi", "members:me", {}, has_member_record),
            ("Tóm tắt của tôi", "my-summary", {}, has_member_record),
            ("Đánh giá của tôi", "assessments:my", {}, has_member_record),
            ("Bổ sung hồ sơ của tôi", "supplements:my", {}, has_member_record),
            ("Sinh hoạt chi bộ của tôi", "meetings:my", {}, has_member_record),
            ("Học tập nghị quyết của tôi", "programmes:study-my", {}, has_member_record),
            ("Đảng phí của tôi", "dues:my", {}, has_member_record),
        ],
    ),
    (
        "Tổ chức và đảng viên",
        [
            ("Cây tổ chức", "organizations:tree", {}, Capability.VIEW),
            ("Đảng viên", "members:list", {}, Capability.VIEW),
            ("Bổ sung hồ sơ hằng năm", "supplements:index", {}, Capability.MANAGE_MEMBERS),
            ("Trùng hồ sơ ngoài phạm vi", "members:conflicts", {}, has_open_conflicts),
            ("Chuyển sinh hoạt đảng", "transfers:list", {}, Capability.MANAGE_MEMBERS),
            ("Cấp ủy, lịch đại hội", "committees:index", {}, Capability.VIEW),
            ("Đào tạo, bồi dưỡng", "training:index", {}, Capability.VIEW),
            ("Huy hiệu Đảng", "badges:index", {}, Capability.VIEW),
            (
                "Nhập cấp ủy theo nhiệm kỳ",
                "core:import-upload",
                {"kind": "committees"},
                Capability.MANAGE_ORGS,
            ),
        ],
    ),
    (
        "Phát triển đảng viên",
        [
            ("Nguồn kết nạp", "admissions:candidates", {}, Capability.VIEW),
            ("Khảo sát nguồn", "admissions:survey", {}, Capability.VIEW),
            ("Đảng viên dự bị", "admissions:probation", {}, Capability.VIEW),
            ("Thẻ đảng viên", "admissions:cards", {}, Capability.VIEW),
            ("Chỉ tiêu kết nạp", "admissions:targets", {}, Capability.VIEW),
        ],
    ),
    (
        "Đánh giá, xếp loại",
        [
            ("Đợt đánh giá", "assessments:index", {}, Capability.VIEW),
            ("Tổ chức xuất sắc nhiều năm liền", "assessments:streaks", {}, Capability.VIEW),
            ("Hai năm liền không hoàn thành", "assessments:screening", {}, Capability.VIEW),
            ("Sàng lọc, xóa tên", "screening:index", {}, Capability.VIEW),
            ("Khen thưởng", "awards:index", {}, Capability.VIEW),
            (
                "Nhập khen thưởng",
                "core:import-upload",
                {"kind": "awards"},
                Capability.MANAGE_ORGS,
            ),
        ],
    ),
    (
        "Sinh hoạt đảng",
        [
            ("Cuộc họp, sinh hoạt", "meetings:index", {}, Capability.VIEW),
            ("Tình hình sinh hoạt chi bộ", "meetings:compliance-index", {}, Capability.VIEW),
            ("Nhận xét nơi cư trú (QĐ 213)", "residence:index", {}, Capability.VIEW),
            ("Thu đảng phí", "dues:index", {}, Capability.COLLECT_DUES),
            ("Báo cáo đảng phí", "dues:report-index", {}, Capability.VIEW),
            (
                "Nhập nhận xét nơi cư trú",
                "core:import-upload",
                {"kind": "residence-comments"},
                Capability.MANAGE_MEMBERS,
            ),
        ],
    ),
    (
        "Kiểm tra, giám sát",
        [
            ("Cuộc kiểm tra, giám sát", "inspections:index", {}, Capability.VIEW),
            (
                "Đơn tố cáo",
                "inspections:denunciations-index",
                {},
                Capability.HANDLE_DENUNCIATIONS,
            ),
            (
                "Nhập kiểm tra, giám sát",
                "core:import-upload",
                {"kind": "inspections"},
                Capability.MANAGE_INSPECTIONS,
            ),
            (
                "Nhập quyết định kỷ luật",
                "core:import-upload",
                {"kind": "disciplines"},
                Capability.MANAGE_MEMBERS,
            ),
        ],
    ),
    (
        "Nghị quyết, chương trình hành động",
        [
            ("Chương trình hành động", "programmes:index", {}, Capability.VIEW),
            ("Học tập, quán triệt nghị quyết", "programmes:study-index", {}, Capability.VIEW),
            (
                "Nhập chỉ tiêu chương trình",
                "core:import-upload",
                {"kind": "programme"},
                Capability.MANAGE_ORGS,
            ),
        ],
    ),
    (
        "Báo cáo",
        [
            ("Cơ cấu đảng viên", "reports:structure", {}, Capability.VIEW),
            ("Xếp loại chất lượng", "reports:quality", {}, Capability.VIEW),
            ("Kết nạp so với chỉ tiêu", "reports:admissions", {}, Capability.VIEW),
            ("Kiểm tra, giám sát, kỷ luật", "reports:inspection", {}, Capability.VIEW),
            ("Khen thưởng, Huy hiệu Đảng", "reports:awards", {}, Capability.VIEW),
        ],
    ),
    (
        "Nhập dữ liệu từ tệp",
        [
            ("Nhập tổ chức đảng", "core:import-upload", {"kind": "orgs"}, Capability.MANAGE_ORGS),
            (
                "Nhập đảng viên",
                "core:import-upload",
                {"kind": "members"},
                Capability.MANAGE_MEMBERS,
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
            (
                "Nhập chỉ tiêu kết nạp",
                "core:import-upload",
                {"kind": "targets"},
                Capability.MANAGE_ORGS,
            ),
            (
                "Nhập sự kiện tổ chức",
                "core:import-upload",
                {"kind": "org-events"},
                Capability.MANAGE_ORGS,
            ),
            (
                "Sắp xếp lại tổ chức",
                "organizations:reorganise-start",
                {},
                Capability.MANAGE_ORGS,
            ),
            (
                "Nhập chuyển sinh hoạt đảng",
                "core:import-upload",
                {"kind": "transfers"},
                Capability.MANAGE_MEMBERS,
            ),
        ],
    ),
    (
        "Quản trị",
        [
            ("Lịch sử thay đổi", "core:history", {}, Capability.VIEW),
            ("Nhật ký truy cập", "core:access-review", {}, may_review_access),
            ("Tài khoản và phân quyền", "accounts:users", {}, Capability.MANAGE_USERS),
            ("Bộ quy định", "core:rules", {}, is_administrator),
            ("Ngày nghỉ lễ", "core:holidays", {}, is_administrator),
        ],
    ),
]


def _url(url_name: str, kwargs: tuple) -> str:
    """The menu's addresses, reversed once per process and address prefix (SCRIPT_NAME)."""
    return _reversed(url_name, kwargs, get_script_prefix(), get_urlconf())


@functools.cache
def _reversed(url_name: str, kwargs: tuple, prefix: str, urlconf) -> str:
    return reverse(url_name, kwargs=dict(kwargs))


def _visible(user, scope, who) -> bool:
    return who is None or (who(user) if callable(who) else scope.any(who))


def navigation(request) -> dict:
    """The menu groups the user may use; the one link whose address is the longest prefix of the
    current page is marked active. The menu's HTML (navigation_html) is rendered once per
    distinct menu in each process: it holds only labels and addresses, the same for every user
    whose roles show the same links, nothing of anyone's data."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    groups, links = [], []
    for title, entries in NAVIGATION:
        items = []
        for label, url_name, kwargs, who in entries:
            if _visible(user, scope, who):
                url = _url(url_name, tuple(kwargs.items()))
                item = {"label": label, "url": url, "active": False}
                items.append(item)
                links.append(item)
        if items:
            groups.append({"title": title, "items": items})
    matching = [
        item
        for item in links
        if request.path == item["url"]
        or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    active = ""
    if matching:
        chosen = max(matching, key=lambda item: len(item["url"]))
        chosen["active"] = True
        active = chosen["url"]
    menu = tuple(
        (group["title"], tuple((item["label"], item["url"]) for item in group["items"]))
        for group in groups
    )
    render = _menu_html.__wrapped__ if settings.DEBUG else _menu_html  # templates edited live
    return {"navigation": groups, "navigation_html": render(menu, active), "scope": scope}


@functools.lru_cache(maxsize=256)
def _menu_html(menu: tuple, active: str) -> str:
    groups = [
        {
            "title": title,
            "items": [
                {"label": label, "url": url, "active": url == active} for label, url in items
            ],
        }
        for title, items in menu
    ]
    return mark_safe(render_to_string("site/_navigation.html", {"navigation": groups}))
