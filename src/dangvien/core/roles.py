"""Roles a user holds on an organisation's subtree, and what each role may do: beside the scope
mechanism (core/scope.py) that reads them."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    OFFICER = "officer", "Cán bộ tổ chức"
    SECRETARY = "secretary", "Bí thư chi bộ"
    INSPECTOR = "inspector", "Kiểm tra (chỉ xem)"
    # An officer of an inspection committee: records its inspections and supervisions in the
    # committee's subtree (QĐ 296-QĐ/TW), without managing members or organisations.
    INSPECTION_OFFICER = "inspection_officer", "Cán bộ ủy ban kiểm tra"
    # The branch's dues collector (thủ quỹ, người thu đảng phí; QĐ 342-QĐ/TW, QĐ 01-QĐ/TW
    # 2026): records the branch's dues collections, sees the branch, changes nothing else.
    TREASURER = "treasurer", "Thủ quỹ, người thu đảng phí"
    MEMBER = "member", "Đảng viên"


class Capability(models.TextChoices):
    VIEW = "view", "Xem"
    MANAGE_ORGS = "manage_orgs", "Quản lý tổ chức"
    MANAGE_USERS = "manage_users", "Quản lý tài khoản"
    MANAGE_MEMBERS = "manage_members", "Quản lý đảng viên"
    MANAGE_INSPECTIONS = "manage_inspections", "Ghi kiểm tra, giám sát"
    HANDLE_DENUNCIATIONS = "handle_denunciations", "Giải quyết tố cáo"
    COLLECT_DUES = "collect_dues", "Thu đảng phí"


# Capabilities no one holds by being an administrator or an officer: only the roles that name
# them, on their own subtree. A denouncer's identity is seen by the inspection committee that
# handles the denunciation and by no one else (QĐ 296-QĐ/TW chương IV: the denouncer is
# protected; domain-rules §7.3).
CONFIDENTIAL = frozenset({Capability.HANDLE_DENUNCIATIONS})


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Capability.values) - CONFIDENTIAL,
    Role.OFFICER: frozenset(Capability.values) - CONFIDENTIAL,
    # A branch inspects and supervises its members (Điều lệ Đảng).
    Role.SECRETARY: frozenset(
        {
            Capability.VIEW,
            Capability.MANAGE_MEMBERS,
            Capability.MANAGE_INSPECTIONS,
            Capability.COLLECT_DUES,
        }
    ),
    Role.TREASURER: frozenset({Capability.VIEW, Capability.COLLECT_DUES}),
    Role.INSPECTOR: frozenset({Capability.VIEW}),
    Role.INSPECTION_OFFICER: frozenset(
        {Capability.VIEW, Capability.MANAGE_INSPECTIONS, Capability.HANDLE_DENUNCIATIONS}
    ),
    # A member sees only their own record (members come with the member-records feature).
    Role.MEMBER: frozenset(),
}

# Roles an officer may grant inside their own subtree; only an administrator grants ADMIN.
# An inspection-committee officer sees denouncers (CONFIDENTIAL): only an administrator grants
# it, never to their own account (accounts.services); the grant is in the account's history and
# each letter opened in the access review.
GRANTABLE_BY_OFFICER = (
    Role.OFFICER,
    Role.SECRETARY,
    Role.TREASURER,
    Role.INSPECTOR,
    Role.MEMBER,
)


def confidential(role: str) -> bool:
    """Whether `role` carries a capability no administrator holds by being one."""
    return bool(ROLE_CAPABILITIES.get(role, frozenset()) & CONFIDENTIAL)


# -- Who holds which role where -------------------------------------------------------------------
# The bindings are the accounts app's (accounts.models.RoleBinding). Core is below every app, so
# accounts hands it the two reads it needs when it is ready (AccountsConfig.ready()).


@dataclass(frozen=True)
class RoleReads:
    """The reads of role bindings the scope mechanism and the access review need."""

    # (role, organisation path, the organisation's end date) of each role a user holds in force.
    held_by: Callable[[Any], Iterable[tuple[str, str | None, datetime.date | None]]]
    # The ids of the users holding a role in force under any of these subtrees (a subquery).
    holders: Callable[[Iterable[str]], QuerySet]


_provided: list[RoleReads] = []


def provide_role_reads(reads: RoleReads) -> None:
    _provided[:] = [reads]


def role_reads() -> RoleReads:
    if not _provided:
        raise ImproperlyConfigured("No app provides the role bindings (see accounts.apps).")
    return _provided[0]
