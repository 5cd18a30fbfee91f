"""Pages of the organisation tree: browse, search, establish, rename, move, dissolve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangvien.accounts.roles import Capability
from dangvien.core import versions
from dangvien.core.scope import can, scope_of
from dangvien.organizations import selectors, services
from dangvien.organizations.forms import (
    ChangeCodeForm,
    CreateOrganizationForm,
    DissolveOrganizationForm,
    MoveOrganizationForm,
    RenameOrganizationForm,
)


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
    return render(request, "organizations/form.html", context)


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


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, code):
    org = _org_to_manage(request, code)

    def action(form):
        return services.dissolve_organization(
            request.user, org, form.decision(), expected_version=form.cleaned_data["version"]
        )

    return _org_form_page(
        request,
        DissolveOrganizationForm,
        action,
        org,
        "Giải thể tổ chức",
        initial={"version": versions.token(org)},
    )
