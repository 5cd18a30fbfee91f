"""Account pages: the users of the officer's subtree, creating accounts, granting roles."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvien.accounts import selectors, services
from dangvien.accounts.events import client_address
from dangvien.accounts.forms import (
    CreateUserForm,
    DisableUserForm,
    EnableUserForm,
    GrantRoleForm,
    ResetPasswordForm,
    ResetTwoFactorForm,
    UnlockForm,
)
from dangvien.accounts.models import RoleBinding
from dangvien.accounts.signals import PASSWORD_EVENT_RECORDED
from dangvien.accounts.two_factor import services as two_factor
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.roles import ROLE_CAPABILITIES, Capability, Role
from dangvien.core.scope import scope_of
from dangvien.core.vntext import number
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
        status=400 if form.errors else 200,
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
    bindings = selectors.role_bindings(target)
    context["active_bindings"] = [binding for binding in bindings if binding.active]
    context["revoked_bindings"] = [binding for binding in bindings if not binding.active]
    return render(request, "accounts/user_detail.html", context, status=400 if form.errors else 200)


def _role_reach(binding: RoleBinding) -> str:
    """What a role lets its holder do, and where: «xem, quản lý đảng viên trong Chi bộ … và mọi
    tổ chức trực thuộc»."""
    if binding.role == Role.ADMIN:
        return "toàn quyền quản trị trên toàn hệ thống"
    capabilities = ROLE_CAPABILITIES[binding.role]
    if not capabilities:
        return f"xem hồ sơ đảng viên của chính mình (gắn với {binding.organization.name})"
    done = ", ".join(c.label.lower() for c in Capability if c.value in capabilities)
    return f"{done} trong {binding.organization.name} và mọi tổ chức trực thuộc"


def _role_page(binding: RoleBinding, *, revoking: bool) -> FinalAction:
    user = binding.user
    user_url = reverse("accounts:user", args=[user.pk])
    verb = "thu hồi" if revoking else "cấp lại"
    return FinalAction(
        title=f"{verb.capitalize()} vai trò {binding.get_role_display()}: {user.display_name}",
        back_url=user_url,
        button=f"Xác nhận {verb} vai trò",
        refused=f"Chưa {verb} vai trò",
        breadcrumb=[
            (reverse("accounts:users"), "Tài khoản"),
            (user_url, user.display_name),
        ],
        form_id="role-action",
    )


def _revoke_consequences(binding: RoleBinding) -> list[str]:
    user = binding.user
    others = [
        str(other)
        for other in user.role_bindings.filter(active=True)
        .exclude(pk=binding.pk)
        .select_related("organization")
        .order_by("pk")
    ]
    left = (
        f"Vai trò còn lại của tài khoản: {'; '.join(others)}."
        if others
        else "Tài khoản không còn vai trò nào: vẫn đăng nhập được nhưng không xem, không sửa "
        "được dữ liệu nào."
    )
    return [
        f"{user.display_name} ({user.username}) không còn vai trò «{binding}»: mất quyền "
        f"{_role_reach(binding)}, ngay từ lần bấm tiếp theo.",
        left,
        "Có thể cấp lại vai trò này (nút «Cấp lại…» trong mục «Vai trò đã thu hồi» của trang "
        "tài khoản), với lý do ghi vào lịch sử.",
    ]


def _restore_consequences(binding: RoleBinding) -> list[str]:
    user = binding.user
    if binding.organization_id and not binding.organization.is_active:
        return [f"Không thể cấp lại: {binding.organization.name} đã giải thể."]
    return [
        f"{user.display_name} ({user.username}) có lại vai trò «{binding}»: được "
        f"{_role_reach(binding)}, ngay từ lần bấm tiếp theo.",
        "Việc cấp lại được ghi vào lịch sử cùng lý do; có thể thu hồi lại khi cần.",
    ]


def _role_action(request, pk, *, revoking: bool):
    """Revoke a role, or restore one revoked by mistake: a page that says what the user gains
    or loses, a required reason, then the action."""
    _require_manage_users(request.user)
    binding = selectors.get_binding(request.user, pk)
    if binding.active != revoking:
        state = "đã được thu hồi" if revoking else "đang có hiệu lực"
        messages.info(request, f"Vai trò {binding} {state}.")
        return redirect("accounts:user", pk=binding.user_id)
    action = services.revoke_role if revoking else services.restore_role
    verb = "thu hồi" if revoking else "cấp lại"
    return confirm_final_action(
        request,
        _role_page(binding, revoking=revoking),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: action(request.user, binding, data["reason"]),
        done=f"Đã {verb} vai trò: {binding}.",
        consequences=lambda: (
            _revoke_consequences(binding) if revoking else _restore_consequences(binding)
        ),
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    return _role_action(request, pk, revoking=True)


@login_required
@require_http_methods(["GET", "POST"])
def restore(request, pk):
    return _role_action(request, pk, revoking=False)


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


def _unlock_consequences(target) -> list[str]:
    """What lifting the lockout of `target` changes, as it stands now."""
    lockout = selectors.login_lockout(target)
    lines = []
    if lockout.until:
        until = timezone.localtime(lockout.until)
        lines.append(
            f"Tài khoản hết bị tạm khóa đăng nhập (đang khóa đến {until:%H:%M %d/%m/%Y}, sau "
            f"{number(lockout.failures)} lần nhập sai)."
        )
    elif not lockout.locked:
        lines.append("Tài khoản hiện không bị tạm khóa đăng nhập.")
    lines.append(
        f"{number(lockout.failures)} lần nhập sai mật khẩu bằng tên đăng nhập này được xóa."
    )
    for lock in lockout.addresses:
        until = timezone.localtime(lock.until)
        lines.append(
            f"Địa chỉ {lock.address} ({number(lock.failures)} lần nhập sai, khóa đến "
            f"{until:%H:%M %d/%m/%Y}) hết bị khóa nếu bị khóa vì chính các lần đó; nếu có lần "
            "nhập sai bằng tên đăng nhập khác từ địa chỉ này, địa chỉ vẫn bị khóa đến hết thời "
            "hạn."
        )
    return lines


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
    "unlock": (
        UnlockForm,
        "Gỡ tạm khóa đăng nhập",
        _unlock_consequences,  # as the lockout stands when the page is shown
        "Gỡ tạm khóa",
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


def _apply(request, action: str, target, data) -> tuple[Callable, str]:
    """Run the action; (the message's level, its text)."""
    address = client_address(request)
    if action == "reset":
        services.reset_password(
            request.user, target, data["temporary_password"], data["reason"], address=address
        )
        return messages.success, (
            f"Đã đặt lại mật khẩu của {target.username}; họ phải đổi khi đăng nhập."
        )
    if action == "unlock":
        done = services.unlock_login(request.user, target, data["reason"], address=address)
        # An address still locked by other names' failures: a warning, with what to do.
        level = messages.warning if done.still_locked else messages.success
        return level, _unlocked_message(target, done)
    if action == "disable":
        services.disable_user(request.user, target, data["reason"], address=address)
        return messages.success, f"Đã khóa tài khoản {target.username}."
    if action == "two_factor":
        two_factor.reset_two_factor(request.user, target, data["reason"], address=address)
        return messages.success, f"Đã đặt lại xác thực hai lớp của {target.username}."
    services.enable_user(request.user, target, data["reason"], address=address)
    return messages.success, f"Đã mở lại tài khoản {target.username}."


@login_required
@require_http_methods(["GET", "POST"])
def administer_user(request, pk, action):
    """Confirm, then reset a password or the second factor, disable or enable an account, lift
    a sign-in lockout (administrators); each asks for what the form needs (a reason where it is
    required). A refusal shows the page again (400) with what was typed."""
    _require_admin(request.user)
    target = selectors.get_user(request.user, pk)
    form_class, title, consequences, button = _ACTIONS[action]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(form, lambda: _apply(request, action, target, form.cleaned_data))
        if done is not None:
            level, text = done
            level(request, text)
            return redirect("accounts:user", pk=target.pk)
    context = {
        "target": target,
        "form": form,
        "title": title,
        "consequences": consequences(target) if callable(consequences) else consequences,
        "button": button,
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/user_action.html", context, status=status)


def _unlocked_message(target, done: services.Unlocked) -> str:
    text = (
        f"Đã gỡ tạm khóa đăng nhập của {target.username}: xóa {number(done.failures)} lần "
        "nhập sai bằng tên đăng nhập này"
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
