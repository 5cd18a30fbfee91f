"""Writes to accounts: create a user, grant and revoke roles, always within the actor's scope."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dangvien.accounts.models import RoleBinding, User
from dangvien.accounts.roles import GRANTABLE_BY_OFFICER, Capability, Role
from dangvien.core import audit
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.scope import require, scope_of
from dangvien.organizations.models import Organization


def _require_grant(actor, role: str, organization: Organization | None) -> None:
    if role == Role.ADMIN or organization is None:
        if not scope_of(actor).everything:
            raise ScopeDenied("Chỉ quản trị hệ thống được cấp quyền quản trị.")
        if role != Role.ADMIN:
            raise DomainError("Vai trò này cần gắn với một tổ chức.", field="organization")
        return
    if role not in GRANTABLE_BY_OFFICER:
        raise DomainError("Vai trò không hợp lệ.", field="role")
    require(actor, Capability.MANAGE_USERS, organization.path)
    if not organization.is_active:
        raise DomainError(f"{organization.name} đã giải thể.", field="organization")


def _org_path(binding: RoleBinding) -> str:
    return binding.organization.path if binding.organization_id else ""


@transaction.atomic
def grant_role(actor, user: User, role: str, organization: Organization | None) -> RoleBinding:
    """Give `user` a role on `organization`'s subtree (the actor must manage users there)."""
    _require_grant(actor, role, organization)
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


@transaction.atomic
def revoke_role(actor, binding: RoleBinding) -> None:
    _require_grant(actor, binding.role, binding.organization)
    if binding.user_id == actor.pk and binding.role == Role.ADMIN:
        raise DomainError("Không thể tự thu hồi quyền quản trị của chính mình.")
    binding.active = False
    binding.save(update_fields=["active"])
    audit.record(
        actor,
        "role.revoke",
        binding.user,
        org_path=_org_path(binding),
        changes={"role": [str(binding), None]},
    )


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
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tên đăng nhập {username} đã được dùng.", field="username")
    user = User(username=username, full_name=" ".join(full_name.split()))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
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
