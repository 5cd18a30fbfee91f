"""Pages that change the tree: establish, rename by a decision, change of kind or sector,
correct a mistake, change the code, move with the subtree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangvien.core import versions
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.organizations import selectors, services
from dangvien.organizations.forms import (
    ChangeCodeForm,
    ChangeOrganizationForm,
    CorrectOrganizationForm,
    CreateOrganizationForm,
    MoveOrganizationForm,
    RenameOrganizationForm,
)


def org_to_manage(request, code: str):
    """The organisation a restructuring page acts on, found the same way by every page: by its
    code as stored (even one from before codes were checked, never re-checked here), or by a
    code it was changed from since the page was opened, so that the page's stale version is
    refused naming the change instead of a 404."""
    return selectors.get_org_by_any_code(request.user, code, Capability.MANAGE_ORGS)


def _org_form_page(request, form_class, action, org=None, title="", initial=None, note=""):
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
        "note": note,
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
            sector=data.get("sector", ""),
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
    org = org_to_manage(request, code)

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
        request,
        RenameOrganizationForm,
        action,
        org,
        "Đổi tên theo quyết định",
        initial=initial,
        note=f"{RENAME_NOTE} Tên gõ sai thì sửa ở trang «Sửa lỗi».",
    )


RENAME_NOTE = (
    "Tên mới có hiệu lực từ ngày hiệu lực của quyết định; báo cáo của những ngày trước đó vẫn "
    "dùng tên cũ."
)


@login_required
@require_http_methods(["GET", "POST"])
def change(request, code):
    """A change of kind or sector decided by the Party, from its effective date."""
    org = org_to_manage(request, code)

    def action(form):
        data = form.cleaned_data
        return services.change_organization(
            request.user,
            org,
            kind=data["kind"],
            sector=data.get("sector", ""),
            decision=form.decision(),
            expected_version=data["version"],
        )

    initial = {"kind": org.kind, "sector": org.sector, "version": versions.token(org)}
    note = (
        "Loại tổ chức, loại hình mới có hiệu lực từ ngày hiệu lực của quyết định; báo cáo của "
        "những ngày trước đó vẫn tính như cũ. Ghi nhầm loại hình thì sửa ở trang «Sửa lỗi»."
    )
    title = "Thay đổi loại tổ chức, loại hình"
    return _org_form_page(
        request, ChangeOrganizationForm, action, org, title, initial=initial, note=note
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, code):
    """A correction of a mistake in the name, the sector or the founding date (no decision)."""
    org = org_to_manage(request, code)

    def action(form):
        data = form.cleaned_data
        return services.correct_organization(
            request.user,
            org,
            name=data["name"],
            sector=data.get("sector", ""),
            founded_on=data.get("founded_on"),
            reason=data["reason"],
            expected_version=data["version"],
        )

    initial = {
        "name": org.name,
        "sector": org.sector,
        "founded_on": org.founded_on,
        "version": versions.token(org),
    }
    note = (
        "Sửa lỗi khi nhập (không có quyết định): tổ chức được coi là luôn có tên, loại hình, "
        "ngày thành lập này, kể cả trong báo cáo của những ngày trước. Đổi tên, đổi loại hình "
        "theo quyết định thì dùng «Đổi tên theo quyết định» hoặc «Thay đổi loại tổ chức, loại "
        "hình»."
    )
    return _org_form_page(
        request, CorrectOrganizationForm, action, org, "Sửa lỗi", initial=initial, note=note
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_code(request, code):
    org = org_to_manage(request, code)

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
    org = org_to_manage(request, code)

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
