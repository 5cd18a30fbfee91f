"""Reads of the members who help a candidate: those assigned, one of them in scope, and the
official members the picker offers (the candidate's own branch first)."""

from django.db.models import Case, When
from django.http import Http404

from dangvien.admissions.models import Candidate, Introducer
from dangvien.core.paths import path_ids
from dangvien.core.roles import Capability
from dangvien.core.scope import visible
from dangvien.members.models import Member, Status
from dangvien.organizations.models import BASE_KINDS, Organization, OrgKind


def introducers_of(candidate: Candidate) -> list[Introducer]:
    return list(candidate.introducers.select_related("member", "member__branch"))


def get_introducer(user, pk: int, capability: str = Capability.VIEW) -> Introducer:
    try:
        return (
            visible(user, Introducer, capability)
            .select_related("candidate", "candidate__organization", "member")
            .get(pk=pk)
        )
    except Introducer.DoesNotExist:
        raise Http404("Không tìm thấy đảng viên giúp đỡ trong phạm vi của bạn.") from None


def member_by_code(user, code: str) -> Member | None:
    """A member the user can see, by code (the introducer picker)."""
    code = code.strip()
    return visible(user, Member).filter(code=code).first() if code else None


def base_of(branch: Organization) -> Organization:
    """The base organisation a branch belongs to (itself for a chi bộ cơ sở)."""
    if branch.kind != OrgKind.SUB_BRANCH:
        return branch
    found = (
        Organization.unscoped.filter(pk__in=path_ids(branch.path), kind__in=BASE_KINDS)
        .order_by("-depth")
        .first()
    )
    return found or branch


def introducer_choices(user, candidate: Candidate, limit: int = 500) -> list[Member]:
    """Official members of the candidate's base organisation the user can see, those of the
    candidate's own branch first (the people who work beside them)."""
    base = base_of(candidate.organization)
    return list(
        visible(user, Member)
        .filter(branch_path__startswith=base.path, status=Status.OFFICIAL)
        .annotate(
            own=Case(When(branch_id=candidate.organization_id, then=0), default=1),
        )
        .select_related("branch")
        .order_by("own", "sort_key", "id")
        .only("code", "full_name", "branch__name")[:limit]
    )
