"""Reads the probation and card pages share: a member in the user's scope, the organisation
filter of their lists, a query parameter among its choices."""

from django.db.models import Q
from django.http import Http404

from dangvien.core.scope import visible
from dangvien.members.models import Member
from dangvien.organizations.models import Organization


def get_member(user, pk: int) -> Member:
    try:
        return visible(user, Member).select_related("branch").get(pk=pk)
    except Member.DoesNotExist:
        raise Http404("Không tìm thấy đảng viên trong phạm vi của bạn.") from None


def org_filter(user, code: str) -> tuple[Organization | None, Q]:
    """The organisation chosen by code (within the scope) and the condition on member paths; an
    unknown code matches nobody."""
    if not code:
        return None, Q()
    org = visible(user, Organization).filter(code=code.strip()).first()
    if org is None:
        return None, Q(pk__in=[])
    return org, Q(branch_path__startswith=org.path)


def query_choice(query, name: str, choices) -> str:
    """The query parameter `name` if it is one of `choices`, else "" (no filter)."""
    value = query.get(name, "").strip()
    return value if value in choices else ""
