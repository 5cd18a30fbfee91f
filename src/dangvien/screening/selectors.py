"""Reads of the screening pages: cases in the user's scope, a member's case under way."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from dangvien.screening.models import Case, CaseStatus

UNDER_WAY = (CaseStatus.OPEN, CaseStatus.COMPLAINED)


def get_case(user, pk: int, capability: str = Capability.VIEW) -> Case:
    cases = visible(user, Case, capability).select_related("member", "branch", "deciding_org")
    return get_object_or_404(cases, pk=pk)


def cases_below(user, org: Organization, year: int) -> QuerySet[Case]:
    """The cases of `org`'s subtree under way, or opened or decided in `year`."""
    from django.db.models import Q

    return (
        visible(user, Case)
        .filter(branch_path__startswith=org.path)
        .filter(Q(status__in=UNDER_WAY) | Q(opened_on__year=year) | Q(decided_on__year=year))
        .select_related("member", "branch")
        .order_by("status", "-opened_on", "-id")
    )


def case_under_way(user, member: Member) -> Case | None:
    """The member's case under way, for the officers who manage the member (the member page
    shows it to them only)."""
    if not can(user, Capability.MANAGE_MEMBERS, member.branch_path):
        return None
    return Case.unscoped.filter(member=member, status__in=UNDER_WAY).first()


def open_cases_by_member(member_ids) -> dict[int, Case]:
    rows = Case.unscoped.filter(member_id__in=list(member_ids), status__in=UNDER_WAY)
    return {case.member_id: case for case in rows}
