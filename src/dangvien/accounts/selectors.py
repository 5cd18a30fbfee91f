"""Reads of accounts: which users an officer may see (those holding roles in their subtree)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

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
