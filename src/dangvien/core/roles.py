"""Roles a user holds on an organisation's subtree, and what each role may do: beside the scope
mechanism (core/scope.py) that reads them."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    OFFICER = "officer", "Cán bộ tổ chức"
    SECRETARY = "secretary", "Bí thư chi bộ"
    INSPECTOR = "inspector", "Kiểm tra (chỉ xem)"
    MEMBER = "member", "Đảng viên"


class Capability(models.TextChoices):
    VIEW = "view", "Xem"
    MANAGE_ORGS = "manage_orgs", "Quản lý tổ chức"
    MANAGE_USERS = "manage_users", "Quản lý tài khoản"
    MANAGE_MEMBERS = "manage_members", "Quản lý đảng viên"


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Capability.values),
    Role.OFFICER: frozenset(Capability.values),
    Role.SECRETARY: frozenset({Capability.VIEW, Capability.MANAGE_MEMBERS}),
    Role.INSPECTOR: frozenset({Capability.VIEW}),
    # A member sees only their own record (members come with the member-records feature).
    Role.MEMBER: frozenset(),
}

# Roles an officer may grant inside their own subtree; only an administrator grants ADMIN.
GRANTABLE_BY_OFFICER = (Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER)
