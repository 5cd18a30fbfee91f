"""Account pages: the users of the officer's subtree, creating accounts, granting roles."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.accounts import selectors, services
from dangvien.accounts.events import client_address
from dangvien.accounts.forms import (
    CreateUserForm,
    DisableUserForm,
    EnableUserForm,
    GrantRoleForm,
    ResetPasswordForm,
    ResetTwoFactorForm,
)
from dangvien.accounts.roles import Capability
from dangvien.accounts.signals import PASSWORD_EVENT_RECORDED
from dangvien.accounts.two_factor import services as two_factor
from dangvien.core.errors import DomainError
from dangvien.core.forms import attempt
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
    context = {
        "target": target,
        "form": form,
        "parent_choices": _org_choices(request.user),
        "two_factor_on": two_factor.has_device(target),
        "may_reset_two_factor": scope_of(request.user).everything,
        # Password reset, disabling and lifting a lockout are for administrators only.
        "may_administer": scope_of(request.user).everything,
        "lockout": selectors.login_lockout(target),
    }
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


class ChangePasswordView(auth_views.PasswordChangeView):
    """Django's password change under the policy; recorded, and it ends a forced change."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        setattr(form.user, PASSWORD_EVENT_RECORDED, True)  # recorded below, with the address
        response = super().form_valid(form)
        services.password_changed(form.user, address=client_address(self.request))
        return response


def _require_admin(user) -> None:
    if not scope_of(user).everything:
        raise PermissionDenied("Chỉ quản trị hệ thống được thực hiện thao tác này.")


# What each administrator action does, as the confirmation page says it before it is done.
_ACTIONS = {
    "reset": (
        ResetPasswordForm,
        "Đặt lại mật khẩu",
        [
            "Mật khẩu hiện tại của tài khoản không dùng được nữa; mật khẩu tạm thời thay thế.",
            "Ở lần đăng nhập sau, người dùng phải đổi mật khẩu trước khi làm việc khác.",
            "Các lần nhập sai mật khẩu bằng tên đăng nhập này được xóa: nếu tài khoản (hoặc địa "
            "chỉ máy vì chính các lần đó) đang bị tạm khóa đăng nhập, khóa được gỡ.",
        ],
        "Đặt lại mật khẩu",
    ),
    "disable": (
        DisableUserForm,
        "Khóa tài khoản",
        [
            "Tài khoản không đăng nhập được nữa, trên trang web lẫn qua API.",
            "Các phiên đang mở của tài khoản kết thúc ngay ở lần bấm tiếp theo.",
            "Vai trò và dữ liệu được giữ nguyên; có thể mở lại tài khoản sau.",
        ],
        "Khóa tài khoản",
    ),
    "enable": (
        EnableUserForm,
        "Mở lại tài khoản",
        ["Tài khoản đăng nhập lại được bằng mật khẩu hiện có, với các vai trò đang có."],
        "Mở lại tài khoản",
    ),
    "two_factor": (
        ResetTwoFactorForm,
        "Đặt lại xác thực hai lớp",
        [
            "Ứng dụng xác thực đang gắn với tài khoản bị gỡ: mã từ điện thoại cũ không dùng được "
            "nữa.",
            "Nếu vai trò của người dùng bắt buộc xác thực hai lớp, họ phải thiết lập ứng dụng "
            "mới ngay ở lần bấm tiếp theo (kể cả trong phiên đang mở) trước khi làm việc khác; "
            "nếu không, họ đăng nhập chỉ bằng mật khẩu cho đến khi tự bật lại.",
        ],
        "Đặt lại xác thực hai lớp",
    ),
}


def _apply(request, action: str, target, data) -> str:
    address = client_address(request)
    if action == "reset":
        services.reset_password(request.user, target, data["temporary_password"], address=address)
        return f"Đã đặt lại mật khẩu của {target.username}; họ phải đổi khi đăng nhập."
    if action == "disable":
        services.disable_user(request.user, target, data["reason"], address=address)
        return f"Đã khóa tài khoản {target.username}."
    if action == "two_factor":
        two_factor.reset_two_factor(request.user, target, data["reason"], address=address)
        return f"Đã đặt lại xác thực hai lớp của {target.username}."
    services.enable_user(request.user, target, data["reason"], address=address)
    return f"Đã mở lại tài khoản {target.username}."


@login_required
@require_http_methods(["GET", "POST"])
def administer_user(request, pk, action):
    """Confirm, then reset a password or the second factor, disable or enable an account
    (administrators); each asks for what the form needs (a reason where it is required)."""
    _require_admin(request.user)
    target = selectors.get_user(request.user, pk)
    form_class, title, consequences, button = _ACTIONS[action]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(form, lambda: _apply(request, action, target, form.cleaned_data))
        if done is not None:
            messages.success(request, done)
            return redirect("accounts:user", pk=target.pk)
    context = {
        "target": target,
        "form": form,
        "title": title,
        "consequences": consequences,
        "button": button,
    }
    return render(request, "accounts/user_action.html", context)


def _unlocked_message(target, done: services.Unlocked) -> str:
    text = (
        f"Đã gỡ tạm khóa đăng nhập của {target.username}: xóa {done.failures} lần nhập sai "
        "bằng tên đăng nhập này"
    )
    if done.freed:
        text += f"; địa chỉ {', '.join(done.freed)} hết bị khóa"
    for lock in done.still_locked:
        until = timezone.localtime(lock.until)
        text += (
            f". Địa chỉ {lock.address} vẫn bị tạm khóa đến {until:%H:%M %d/%m/%Y} vì nhập sai "
            "bằng tên đăng nhập khác: người dùng đăng nhập được từ máy khác, hoặc quản trị máy "
            f"chủ gỡ bằng lệnh «dangvien axes_reset_ip {lock.address}»"
        )
    return text + "."


@login_required
@require_POST
def unlock(request, pk):
    """Lift the sign-in lockout of an account, and of the addresses its failures locked,
    before it ends by itself (administrators)."""
    _require_admin(request.user)
    target = selectors.get_user(request.user, pk)
    done = services.unlock_login(request.user, target, address=client_address(request))
    level = messages.warning if done.still_locked else messages.success
    level(request, _unlocked_message(target, done))
    return redirect("accounts:user", pk=target.pk)
