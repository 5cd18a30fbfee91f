"""Reading discipline decisions: those of a member or an organisation, and who was disciplined in
a year (the grading's cap, QĐ 124-QĐ/TW)."""

from django.db.models import QuerySet

from dangvien.discipline.models import Discipline


def disciplined_in(member_ids, year: int) -> set[int]:
    """Those of `member_ids` with a discipline decision dated in `year` (not annulled)."""
    found = Discipline.unscoped.filter(
        member__in=list(member_ids), decided_on__year=year, annulled_at__isnull=True
    )
    return set(found.values_list("member", flat=True))


def organization_decisions(year: int) -> QuerySet[Discipline]:
    """The decisions of `year` on organisations, not annulled."""
    return Discipline.unscoped.filter(
        organization__isnull=False, decided_on__year=year, annulled_at__isnull=True
    )


def organizations_disciplined_in(parent_path: str, orgs, year: int) -> set[int]:
    """Those of `orgs` (below `parent_path`) disciplined in `year`, themselves or an organisation
    below them: their grade cannot be excellent (QĐ 124-QĐ/TW, domain-rules R7.4). One query."""
    decided = organization_decisions(year).filter(subject_path__startswith=parent_path)
    paths = list(decided.values_list("subject_path", flat=True))
    return {org.pk for org in orgs if any(path.startswith(org.path) for path in paths)}


def decisions_on(subject) -> QuerySet[Discipline]:
    """The decisions on a member or an organisation the caller may already see, latest first."""
    from dangvien.members.models import Member

    field = "member" if isinstance(subject, Member) else "organization"
    return Discipline.unscoped.filter(**{field: subject}).select_related("deciding_org")
