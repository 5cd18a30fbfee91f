"""Account pages: the users of the officer's subtree, creating accounts, granting roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.accounts import selectors, services
from dangvien.accounts.forms import CreateUserForm, GrantRoleForm
from dangvien.accounts.roles import Capability
from dangvien.core.errors import DomainError
from dangvien.core.scope import scope_of
from dangvien.organizations.selectors import visible_orgs


def _require_manage_users(user) -> None:
    if not scope_of(user).any(Capability.MANAGE_USERS):
        raise PermissionDenied("Bạn không có quyền quản lý tài khoản.")


def _org_choices(user):
    return (
        visible_orgs(user, Capability.MANAGE_USERS)
        .filter(ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:1000]
    )


@login_required
def users(request):
    _require_manage_users(request.user)
    return render(request, "accounts/users.html", {"users": selectors.visible_users(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def create_user(request):
    _require_manage_users(request.user)
    form = CreateUserForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = form.apply(
            lambda: services.create_user(
                request.user,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"],
                role=data["role"],
                organization=data["organization"],
            )
        )
        if created is not None:
            messages.success(request, f"Đã tạo tài khoản {created.username}.")
            return redirect("accounts:user", pk=created.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "parent_choices": _org_choices(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    _require_manage_users(request.user)
    target = selectors.get_user(request.user, pk)
    form = GrantRoleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        granted = form.apply(
            lambda: services.grant_role(request.user, target, data["role"], data["organization"])
        )
        if granted is not None:
            messages.success(request, f"Đã cấp vai trò: {granted}.")
            return redirect("accounts:user", pk=target.pk)
    context = {"target": target, "form": form, "parent_choices": _org_choices(request.user)}
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def revoke(request, pk):
    _require_manage_users(request.user)
    binding = selectors.get_binding(request.user, pk)
    try:
        services.revoke_role(request.user, binding)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu hồi vai trò: {binding}.")
    return redirect("accounts:user", pk=binding.user_id)
