"""Reads of accounts: which users an officer may see (those holding roles in their subtree)."""

import datetime
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from dangvien.accounts.models import RoleBinding, User
from dangvien.accounts.signals import LOCKED_REASON
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Capability
from dangvien.core.scope import path_filter, scope_of


def roles_held(user) -> QuerySet:
    """(role, organisation path, the organisation's end) of each role `user` holds in force:
    what the scope mechanism (core.scope) reads."""
    return RoleBinding.objects.filter(user=user, active=True).values_list(
        "role", "organization__path", "organization__ended_on"
    )


def role_holders(prefixes) -> QuerySet:
    """The ids of the users holding a role in force under any of `prefixes` (a subquery)."""
    return RoleBinding.objects.filter(
        path_filter("organization__path", prefixes), active=True
    ).values("user_id")


def visible_users(user) -> QuerySet[User]:
    scope = scope_of(user)
    active = RoleBinding.objects.filter(active=True).select_related("organization")
    users = User.objects.prefetch_related(Prefetch("role_bindings", queryset=active))
    if scope.everything:
        return users.order_by("username")
    prefixes = scope.paths_for(Capability.MANAGE_USERS)
    if not prefixes:
        return User.objects.none()
    holders = RoleBinding.objects.filter(path_filter("organization__path", prefixes))
    return users.filter(pk__in=holders.values("user_id")).order_by("username")


def get_user(user, pk: int) -> User:
    try:
        return visible_users(user).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("Không tìm thấy tài khoản trong phạm vi của bạn.") from None


def role_bindings(target: User) -> list[RoleBinding]:
    """Every role of `target`, in force or revoked (restorable), in the order granted."""
    return list(
        RoleBinding.objects.filter(user=target).select_related("organization").order_by("pk")
    )


def get_binding(user, pk: int) -> RoleBinding:
    target = RoleBinding.objects.select_related("organization", "user").filter(pk=pk).first()
    if target is None:
        raise Http404("Không tìm thấy phân quyền.")
    get_user(user, target.user_id)
    return target


@dataclass(frozen=True)
class AddressLock:
    """An address refused for a while after failed sign-ins under any names (django-axes counts
    them per address as well as per name)."""

    address: str
    failures: int
    until: datetime.datetime


@dataclass(frozen=True)
class LoginLockout:
    """What stops `target` signing in: the failures counted against their user name, when the
    lock of the name ends (None when it is not locked), and the locked addresses they tried
    from."""

    failures: int
    until: datetime.datetime | None
    addresses: tuple[AddressLock, ...] = ()

    @property
    def locked(self) -> bool:
        return self.until is not None or bool(self.addresses)


def _counted_since() -> datetime.datetime:
    return timezone.now() - get_cool_off()


def attempts_by(target: User) -> QuerySet[AccessAttempt]:
    """Failed sign-ins typed with `target`'s user name, however capitalised."""
    return AccessAttempt.objects.filter(username__iexact=target.username)


def address_locks(addresses) -> tuple[AddressLock, ...]:
    """Which of `addresses` (a list or a values() query) are locked now, and until when."""
    counted = AccessAttempt.objects.filter(
        ip_address__in=addresses, attempt_time__gte=_counted_since()
    )
    rows = (
        counted.values("ip_address")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("ip_address")
    )
    return tuple(
        AddressLock(row["ip_address"], row["failures"], row["latest"] + get_cool_off())
        for row in rows
    )


def login_lockout(target: User) -> LoginLockout:
    """The lock of `target`'s user name and of the addresses they failed or were refused from
    (four queries)."""
    attempts = AccessAttempt.objects.filter(
        username=target.username, attempt_time__gte=_counted_since()
    )
    summary = attempts.aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
    failures = summary["failures"] or 0
    until = None
    if failures >= settings.AXES_FAILURE_LIMIT:
        until = summary["latest"] + get_cool_off()
    counted = attempts_by(target).filter(attempt_time__gte=_counted_since())
    addresses = set(counted.values_list("ip_address", flat=True)) | _refused_from(target)
    return LoginLockout(failures, until, address_locks(sorted(addresses - {None})))


def _refused_from(target: User) -> set[str]:
    """Addresses where `target`'s name was refused while already locked: the lockout does not
    count those attempts, only the audit keeps them (accounts/signals.py)."""
    refused = AuditEntry.unscoped.filter(
        action="auth.login_failed",
        target_type=User._meta.label_lower,
        target_id=target.pk,
        reason=LOCKED_REASON,
        at__gte=_counted_since(),
    )
    return set(refused.values_list("changes__ip_address__1", flat=True))
