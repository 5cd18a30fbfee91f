"""Reads of accounts: which users an officer may see (those holding roles in their subtree)."""

import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from dangvien.accounts.models import RoleBinding, User
from dangvien.accounts.roles import Capability
from dangvien.core.scope import path_filter, scope_of


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


def get_binding(user, pk: int) -> RoleBinding:
    target = RoleBinding.objects.select_related("organization", "user").filter(pk=pk).first()
    if target is None:
        raise Http404("Không tìm thấy phân quyền.")
    get_user(user, target.user_id)
    return target


def login_lockout(target: User) -> tuple[int, datetime.datetime | None]:
    """Failed sign-ins counted against `target`'s user name, and when a lockout they caused
    ends (None when not locked)."""
    threshold = timezone.now() - get_cool_off()
    attempts = AccessAttempt.objects.filter(username=target.username, attempt_time__gte=threshold)
    summary = attempts.aggregate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
    failures = summary["failures"] or 0
    if failures < settings.AXES_FAILURE_LIMIT:
        return failures, None
    return failures, summary["latest"] + get_cool_off()
