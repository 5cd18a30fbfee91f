"""Writes to accounts: create a user, grant, revoke and restore roles, always within the actor's
scope; reset passwords, disable and enable accounts, lift a sign-in lockout (administrators only).
Revoking, restoring, resetting and unlocking take a reason, kept in the history."""

import re
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from dangvien.accounts import selectors
from dangvien.accounts.events import record_account_event
from dangvien.accounts.models import RoleBinding, User
from dangvien.accounts.signals import PASSWORD_EVENT_RECORDED
from dangvien.core import audit
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import GRANTABLE_BY_OFFICER, Capability, Role, confidential
from dangvien.core.scope import require, scope_of
from dangvien.core.validation import require_reason
from dangvien.organizations.models import Organization


def _require_scope(actor, role: str, organization: Organization | None) -> None:
    """The actor may give or take `role` on `organization` (administration: administrators)."""
    if role == Role.ADMIN or organization is None:
        if not scope_of(actor).everything:
            raise ScopeDenied("Chỉ quản trị hệ thống được cấp quyền quản trị.")
        if role != Role.ADMIN:
            raise DomainError("Vai trò này cần gắn với một tổ chức.", field="organization")
        return
    if confidential(role):
        if not scope_of(actor).everything:
            raise ScopeDenied(
                f"Chỉ quản trị hệ thống được cấp vai trò «{Role(role).label}» (được xem người tố "
                "cáo)."
            )
        return
    if role not in GRANTABLE_BY_OFFICER:
        raise DomainError("Vai trò không hợp lệ.", field="role")
    require(actor, Capability.MANAGE_USERS, organization.path)


def _require_grant(
    actor, role: str, organization: Organization | None, user: User | None = None
) -> None:
    _require_scope(actor, role, organization)
    if confidential(role) and user is not None and user.pk == getattr(actor, "pk", None):
        raise DomainError(
            f"Không tự cấp vai trò «{Role(role).label}» cho tài khoản của mình: một quản trị "
            "viên khác cấp.",
            field="role",
        )
    if organization is not None and not organization.is_active:
        raise DomainError(f"{organization.name} đã giải thể.", field="organization")


def _org_path(binding: RoleBinding) -> str:
    return binding.organization.path if binding.organization_id else ""


@transaction.atomic
def grant_role(actor, user: User, role: str, organization: Organization | None) -> RoleBinding:
    """Give `user` a role on `organization`'s subtree (the actor must manage users there)."""
    _require_grant(actor, role, organization, user)
    binding, created = RoleBinding.objects.get_or_create(
        user=user, role=role, organization=organization, defaults={"active": True}
    )
    if not created and binding.active:
        raise DomainError("Tài khoản đã có vai trò này.")
    if not created:
        binding.active = True
        binding.save(update_fields=["active"])
    audit.record(
        actor,
        "role.grant",
        user,
        org_path=_org_path(binding),
        changes={"role": [None, f"{Role(role).label} — {binding.organization or 'toàn hệ thống'}"]},
    )
    return binding


def _locked_binding(binding: RoleBinding) -> RoleBinding:
    return (
        RoleBinding.objects.select_for_update(of=("self",))  # the organisation may be none
        .select_related("organization", "user")
        .get(pk=binding.pk)
    )


@transaction.atomic
def revoke_role(actor, binding: RoleBinding, reason: str) -> RoleBinding:
    """End a role at once, with the reason; it can be restored (`restore_role`)."""
    _require_scope(actor, binding.role, binding.organization)
    binding = _locked_binding(binding)
    if not binding.active:
        raise DomainError(f"Vai trò {binding} đã được thu hồi trước đó.")
    if binding.user_id == actor.pk and binding.role == Role.ADMIN:
        raise DomainError("Không thể tự thu hồi quyền quản trị của chính mình.")
    reason = require_reason(reason, "Cần ghi lý do thu hồi vai trò.")
    binding.active = False
    binding.save(update_fields=["active"])
    audit.record(
        actor,
        "role.revoke",
        binding.user,
        org_path=_org_path(binding),
        changes={"role": [str(binding), None]},
        reason=reason,
    )
    return binding


@transaction.atomic
def restore_role(actor, binding: RoleBinding, reason: str) -> RoleBinding:
    """Give back a role revoked by mistake, with the reason (the organisation must still exist:
    a role on a dissolved organisation cannot come back)."""
    _require_grant(actor, binding.role, binding.organization, binding.user)
    binding = _locked_binding(binding)
    if binding.active:
        raise DomainError(f"Vai trò {binding} đang có hiệu lực.")
    reason = require_reason(reason, "Cần ghi lý do cấp lại vai trò.")
    binding.active = True
    binding.save(update_fields=["active"])
    audit.record(
        actor,
        "role.restore",
        binding.user,
        org_path=_org_path(binding),
        changes={"role": [None, str(binding)]},
        reason=reason,
    )
    return binding


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    full_name: str,
    password: str,
    role: str,
    organization: Organization | None,
) -> User:
    """Create an account together with its first role (an account without a role sees nothing)."""
    _require_grant(actor, role, organization)
    username = username.strip()
    _check_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tên đăng nhập {username} đã được dùng.", field="username")
    user = User(username=username, full_name=" ".join(full_name.split()))
    _check_policy(password, user)
    user.set_password(password)
    user.save()
    binding = RoleBinding.objects.create(user=user, role=role, organization=organization)
    audit.record(
        actor,
        "user.create",
        user,
        org_path=_org_path(binding),
        changes={"username": [None, user.username], "role": [None, str(binding)]},
    )
    return user


# A name typed at sign-in and shown in the history: no look-alike letters of other scripts, no
# spaces or control characters; the column's max_length.
USERNAME = re.compile(r"[A-Za-z0-9._@-]+")


def _check_username(username: str) -> None:
    limit = User._meta.get_field("username").max_length
    if not username:
        raise DomainError("Cần ghi tên đăng nhập.", field="username")
    if not USERNAME.fullmatch(username) or len(username) > limit:
        raise DomainError(
            "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các dấu . _ - @ "
            f"(không có dấu cách), tối đa {limit} ký tự.",
            field="username",
        )


def _check_policy(password: str, user: User) -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS), as one Vietnamese message."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc


def _require_admin(actor) -> None:
    if not scope_of(actor).everything:
        raise ScopeDenied(
            "Chỉ quản trị hệ thống được đặt lại mật khẩu, khóa hoặc mở khóa tài khoản."
        )


def _clear_failures(user: User) -> int:
    """Forget the failed sign-ins typed with `user`'s name (however capitalised): the lock of
    the name goes, and so does their share of each address's count. Returns how many."""
    attempts = selectors.attempts_by(user)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    attempts.delete()
    return failures


@transaction.atomic
def reset_password(
    actor, user: User, temporary_password: str, reason: str, *, address: str | None = None
):
    """Give `user` a temporary password they must change at their next sign-in; any lockout of
    the account is lifted so they can sign in with it. The reason (who asked, how they were
    identified) stays in the history."""
    _require_admin(actor)
    reason = require_reason(reason, "Cần ghi lý do đặt lại mật khẩu.")
    _check_policy(temporary_password, user)
    user.set_password(temporary_password)
    user.must_change_password = True
    setattr(user, PASSWORD_EVENT_RECORDED, True)
    user.save(update_fields=["password", "must_change_password"])
    _clear_failures(user)
    record_account_event(
        actor,
        "auth.password_reset",
        user,
        address=address,
        changes={"must_change_password": [False, True]},
        reason=reason,
    )


@transaction.atomic
def password_changed(user: User, *, address: str | None = None) -> None:
    """The user changed their own password (already saved, with PASSWORD_EVENT_RECORDED set so
    it is recorded here with the address): the temporary one, if any, is gone."""
    changes = {}
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        changes["must_change_password"] = [True, False]
    record_account_event(user, "auth.password_change", user, address=address, changes=changes)


@transaction.atomic
def disable_user(actor, user: User, reason: str, *, address: str | None = None) -> None:
    """Stop `user` signing in on the web and the API; their open sessions end at once."""
    _require_admin(actor)
    if user.pk == actor.pk:
        raise DomainError("Không thể tự khóa tài khoản của chính mình.")
    if not user.is_active:
        raise DomainError("Tài khoản này đã bị khóa.")
    if not reason.strip():
        raise DomainError("Cần ghi lý do khóa tài khoản.", field="reason")
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_account_event(
        actor,
        "user.disable",
        user,
        address=address,
        changes={"is_active": [True, False]},
        reason=reason.strip(),
    )


@transaction.atomic
def enable_user(actor, user: User, reason: str = "", *, address: str | None = None) -> None:
    _require_admin(actor)
    if user.is_active:
        raise DomainError("Tài khoản này đang hoạt động.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_account_event(
        actor,
        "user.enable",
        user,
        address=address,
        changes={"is_active": [False, True]},
        reason=reason.strip(),
    )


@dataclass(frozen=True)
class Unlocked:
    """What lifting a lockout did: failures forgotten, addresses no longer locked, and the
    addresses still locked by failures under other names (they end by themselves)."""

    failures: int
    freed: tuple[str, ...]
    still_locked: tuple[selectors.AddressLock, ...]


@transaction.atomic
def unlock_login(actor, user: User, reason: str, *, address: str | None = None) -> Unlocked:
    """Lift the lockout of `user` before it ends on its own: the failed sign-ins typed with
    their name are forgotten, which lifts the lock of the name and of every address that
    those failures locked. An address locked by failures under other names stays locked (an
    administrator of the server lifts it with `dangvien axes_reset_ip`): lifting it here would
    also wipe the count of whoever else guessed from there. The reason stays in the history."""
    _require_admin(actor)
    reason = require_reason(reason, "Cần ghi lý do gỡ tạm khóa đăng nhập.")
    before = selectors.login_lockout(user)
    failures = _clear_failures(user)
    locked_before = [lock.address for lock in before.addresses]
    still_locked = selectors.address_locks(locked_before)
    still = {lock.address for lock in still_locked}
    freed = tuple(ip for ip in locked_before if ip not in still)
    record_account_event(
        actor,
        "auth.unlock",
        user,
        address=address,
        changes={
            "failed_attempts": [failures, 0],
            "locked_addresses": [", ".join(locked_before), ", ".join(sorted(still))],
        },
        reason=reason,
    )
    return Unlocked(failures, freed, still_locked)
