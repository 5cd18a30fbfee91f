"""Pages of the organisation tree: browse, search, the organisations below one, establish,
rename, move, dissolve and restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.core.vntext import number
from dangvien.members.selectors import former_member_count
from dangvien.organizations import selectors, services
from dangvien.organizations.forms import (
    ChangeCodeForm,
    CreateOrganizationForm,
    DissolveOrganizationForm,
    MoveOrganizationForm,
    RenameOrganizationForm,
    RestoreOrganizationForm,
)

BELOW_PAGE_SIZE = 50


def _require_view_capability(user) -> None:
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn không được xem cây tổ chức.")


@login_required
def tree(request):
    _require_view_capability(request.user)
    roots, truncated = selectors.tree(request.user)
    query = request.GET.get("q", "").strip()
    found = selectors.search_orgs(request.user, query) if query else None
    return render(
        request,
        "organizations/tree.html",
        {"roots": roots, "truncated": truncated, "query": query, "found": found},
    )


@login_required
def detail(request, code):
    org = selectors.get_org(request.user, code)
    context = {
        "org": org,
        "ancestors": selectors.ancestors(request.user, org),
        "summary": selectors.subtree_summary(org),
        "children": selectors.children_of(org, include_ended="ended" in request.GET),
        "history": selectors.history(org),
        "can_manage": can(request.user, Capability.MANAGE_ORGS, org.path),
        "show_ended": "ended" in request.GET,
    }
    return render(request, "organizations/detail.html", context)


# The columns of the list of organisations below one, and the order each heading sorts by.
BELOW_COLUMNS = [
    ("Tên tổ chức", "name"),
    ("Loại", "kind"),
    ("Mã", "code"),
    ("Cấp trên", "parent"),
    ("Tổ chức trực thuộc", None, "num"),
    ("Chi bộ", None, "num"),
    ("Đảng viên", None, "num"),
]


@login_required
@require_safe
def below(request, code):
    """The organisations below one, of a group (the counts of its page and of the home page)
    and a state, searched, sorted and paged on the server."""
    org = selectors.get_org(request.user, code)
    filters = selectors.BelowFilters.from_query(request.GET)
    found = selectors.orgs_below(request.user, org, filters)
    page = Paginator(found, BELOW_PAGE_SIZE).get_page(request.GET.get("page"))
    columns = BELOW_COLUMNS + ([("Ngày giải thể", "ended_on")] if filters.state != "active" else [])
    group_label = selectors.KIND_GROUPS[filters.group][0]
    context = {
        "org": org,
        "ancestors": selectors.ancestors(request.user, org),
        "filters": filters,
        "page": page,
        "headings": selectors.BELOW_SORTING.headings(request.GET, filters.sort, columns),
        "groups": [(key, label) for key, (label, _kinds) in selectors.KIND_GROUPS.items()],
        "states": [(key, label) for key, (label, _q) in selectors.STATES.items()],
        "title": f"{group_label} – {org.name}",
    }
    return render(request, "organizations/below.html", context)


def _org_to_manage(request, code: str):
    """The organisation a restructuring page acts on, found the same way by every page: by its
    code as stored (even one from before codes were checked, never re-checked here), or by a
    code it was changed from since the page was opened, so that the page's stale version is
    refused naming the change instead of a 404."""
    return selectors.get_org_by_any_code(request.user, code, Capability.MANAGE_ORGS)


def _org_form_page(request, form_class, action, org=None, title="", initial=None):
    """Shared GET/POST cycle of the restructuring forms: validate, call the service, redirect."""
    form = form_class(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = form.apply(lambda: action(form))
        if result is not None:
            messages.success(request, f"Đã lưu: {result.name}.")
            return redirect("organizations:detail", code=result.code)
    context = {
        "form": form,
        "org": org,
        "title": title,
        "parent_choices": selectors.parent_choices(request.user),
    }
    return render(request, "organizations/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    parent_code = request.GET.get("parent", "")
    if parent_code:
        selectors.get_org(request.user, parent_code, Capability.MANAGE_ORGS)
    elif not scope_of(request.user).any(Capability.MANAGE_ORGS):
        raise PermissionDenied

    def action(form):
        data = form.cleaned_data
        return services.create_organization(
            request.user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data["parent"],
            founded_on=data.get("effective_on"),
            decision=form.decision(),
        )

    return _org_form_page(
        request,
        CreateOrganizationForm,
        action,
        title="Thành lập tổ chức",
        initial={"parent_code": parent_code},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rename(request, code):
    org = _org_to_manage(request, code)

    def action(form):
        return services.rename_organization(
            request.user,
            org,
            form.cleaned_data["name"],
            form.decision(),
            expected_version=form.cleaned_data["version"],
        )

    initial = {"name": org.name, "version": versions.token(org)}
    return _org_form_page(
        request, RenameOrganizationForm, action, org, "Đổi tên tổ chức", initial=initial
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_code(request, code):
    org = _org_to_manage(request, code)

    def action(form):
        return services.change_org_code(
            request.user,
            org,
            form.cleaned_data["code"],
            form.decision(),
            expected_version=form.cleaned_data["version"],
        )

    initial = {"code": org.code, "version": versions.token(org)}
    return _org_form_page(request, ChangeCodeForm, action, org, "Sửa mã tổ chức", initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def move(request, code):
    org = _org_to_manage(request, code)

    def action(form):
        return services.move_organization(
            request.user,
            org,
            form.cleaned_data["parent"],
            form.decision(),
            expected_version=form.cleaned_data["version"],
        )

    return _org_form_page(
        request,
        MoveOrganizationForm,
        action,
        org,
        "Chuyển tổ chức (cùng toàn bộ tổ chức trực thuộc)",
        initial={"version": versions.token(org)},
    )


def _org_page(org, title: str, refused: str, button: str, form_id: str) -> FinalAction:
    detail_url = reverse("organizations:detail", args=[org.code])
    return FinalAction(
        title=f"{title}: {org.name}",
        back_url=detail_url,
        button=button,
        refused=refused,
        breadcrumb=[(reverse("organizations:tree"), "Cây tổ chức"), (detail_url, org.name)],
        form_id=form_id,
    )


def _url(name: str, *args, **query) -> str:
    return f"{reverse(name, args=args)}?{urlencode(query)}" if query else reverse(name, args=args)


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, code):
    """Dissolve: a page that says what it changes and what must move out first, the decision
    with its required reason, then the dissolution (organizations.services)."""
    org = _org_to_manage(request, code)
    if not org.is_active:
        messages.info(request, f"{org.name} đã giải thể từ {org.ended_on:%d/%m/%Y}.")
        return redirect("organizations:detail", code=org.code)
    form = DissolveOrganizationForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"version": versions.token(org)},
    )
    return confirm_final_action(
        request,
        _org_page(org, "Giải thể tổ chức", "Chưa giải thể", "Xác nhận giải thể", "org-dissolve"),
        form,
        perform=lambda data: services.dissolve_organization(
            request.user, org, form.decision(), expected_version=data["version"]
        ),
        done=f"Đã giải thể {org.name}.",
        consequences=lambda: _dissolve_consequences(org),
    )


def _dissolve_consequences(org) -> list[str]:
    blockers = services.dissolution_blockers(org)
    lines = [
        f"{org.name} chuyển sang «Đã giải thể» từ ngày giải thể ghi dưới đây: không còn trong "
        "cây tổ chức và các danh sách tổ chức đang hoạt động, không nhận đảng viên, quần chúng "
        "mới; báo cáo của những ngày trước đó vẫn tính tổ chức này."
    ]
    moves = [
        (
            blockers["children"],
            _url("organizations:detail", org.code) + "#children",
            "tổ chức trực thuộc đang hoạt động",
            "chuyển hoặc giải thể các tổ chức này trước",
        ),
        (
            blockers["members"],
            _url("members:list", org=org.code),
            "đảng viên đang sinh hoạt",
            "chuyển sinh hoạt đảng cho các đảng viên này trước",
        ),
        (
            blockers["candidates"],
            _url("admissions:candidates", org=org.code),
            "quần chúng trong nguồn kết nạp",
            "chuyển họ sang chi bộ khác hoặc dừng xem xét trước",
        ),
    ]
    for count, url, what, then in moves:
        if count:
            lines.append(
                format_html(
                    '<strong>Chưa giải thể được:</strong> còn <a href="{}">{} {}</a>: {}.',
                    url,
                    number(count),
                    what,
                    then,
                )
            )
    if not any(blockers.values()):
        lines.append(
            f"{org.name} không còn tổ chức trực thuộc, đảng viên đang sinh hoạt hay quần chúng "
            "đang được xem xét."
        )
    if former := former_member_count(org):
        lines.append(
            format_html(
                '<a href="{}">{} hồ sơ đảng viên đã ra khỏi Đảng, từ trần</a> vẫn gắn với tổ chức '
                "như trước.",
                _url("members:list", org=org.code, status="left"),
                number(former),
            )
        )
    lines += [
        f"Vai trò của các tài khoản được phân quyền ở {org.name} (bí thư, cán bộ, kiểm tra…) "
        "hết hiệu lực ngay khi giải thể.",
        "Lịch sử của tổ chức được giữ; nếu giải thể nhầm, tổ chức được khôi phục trên trang của "
        "tổ chức («Khôi phục tổ chức»), với lý do ghi vào lịch sử.",
    ]
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, code):
    """Restore a dissolved organisation: a page that says what comes back and what does not,
    the required reason, then the restoration (refused when its place was taken since)."""
    org = _org_to_manage(request, code)
    if org.is_active:
        messages.info(request, f"{org.name} đang hoạt động.")
        return redirect("organizations:detail", code=org.code)
    form = RestoreOrganizationForm(
        request.POST if request.method == "POST" else None,
        initial={"version": versions.token(org)},
    )
    return confirm_final_action(
        request,
        _org_page(org, "Khôi phục tổ chức", "Chưa khôi phục", "Xác nhận khôi phục", "org-restore"),
        form,
        perform=lambda data: services.restore_organization(
            request.user, org, reason=data["reason"], expected_version=data["version"]
        ),
        done=f"Đã khôi phục {org.name}.",
        consequences=lambda: _restore_consequences(request.user, org),
    )


def _restore_consequences(user, org) -> list[str]:
    lines = []
    if problem := services.restoration_refusal(org):
        lines.append(format_html("<strong>Không khôi phục được:</strong> {}", problem))
    lines += [
        f"{org.name} hoạt động trở lại: ngày giải thể ({org.ended_on:%d/%m/%Y}) được xóa; tổ "
        "chức có lại trong cây tổ chức, nhận đảng viên và quần chúng mới.",
        f"Báo cáo của các ngày từ {org.ended_on:%d/%m/%Y} tính lại tổ chức này như chưa từng "
        "giải thể.",
        f"Vai trò của các tài khoản được phân quyền ở {org.name} có hiệu lực trở lại.",
        "Đảng viên, quần chúng và tổ chức đã chuyển đi trước khi giải thể không tự trở về; chuyển "
        "họ về nếu cần.",
    ]
    ended = selectors.orgs_below(user, org, selectors.BelowFilters(state="ended")).count()
    if ended:
        lines.append(
            format_html(
                '<a href="{}">{} tổ chức trực thuộc đã giải thể</a> vẫn ở tình trạng đã giải thể; '
                "khôi phục từng tổ chức nếu cần.",
                _url("organizations:below", org.code, state="ended"),
                number(ended),
            )
        )
    lines.append("Lịch sử giữ cả việc giải thể và việc khôi phục này, cùng lý do.")
    return lines
