"""Pages that read the organisation tree: browse and search it, an organisation with its
counts and its history, the organisations below one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.discipline.selectors import decisions_on
from dangvien.organizations import selectors, timelines

BELOW_PAGE_SIZE = 50


def _require_view_capability(user) -> None:
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn không được xem cây tổ chức.")


@login_required
def tree(request):
    _require_view_capability(request.user)
    roots, truncated = selectors.tree(request.user)
    query = request.GET.get("q", "").strip()
    found = selectors.search_results(request.user, query) if query else None
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
        "timeline": timelines.timeline(request.user, org),
        "ending": timelines.ending(request.user, org),
        "former_codes": selectors.former_codes(org),
        "can_manage": can(request.user, Capability.MANAGE_ORGS, org.path),
        "show_ended": "ended" in request.GET,
        "disciplines": list(decisions_on(org)),
        "discipline_new_url": reverse("discipline:org-new", args=[org.code])
        if org.is_active
        else "",
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
