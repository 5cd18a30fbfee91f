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


def disciplined_share(orgs, year: int) -> dict[int, tuple[bool, int, int]]:
    """For each of `orgs`: whether a decision of `year` disciplined the organisation itself (its
    leadership, as a collective), and how many of its direct sub-units existing in the year were
    disciplined out of how many (QĐ 132-QĐ/TW Điều 12.4, QĐ 124). Three queries."""
    import datetime

    from django.db.models import Count, Q

    from dangvien.organizations.models import Organization

    ids = [org.pk for org in orgs]
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    decided = organization_decisions(year)
    themselves = set(decided.filter(organization__in=ids).values_list("organization", flat=True))
    sub_units = (
        Organization.unscoped.filter(parent__in=ids)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=last))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first))
        .values("parent")
        .annotate(n=Count("pk"))
    )
    counts = {row["parent"]: row["n"] for row in sub_units}
    hit = (
        decided.filter(organization__parent__in=ids)
        .values("organization__parent")
        .annotate(n=Count("organization", distinct=True))
    )
    disciplined = {row["organization__parent"]: row["n"] for row in hit}
    return {pk: (pk in themselves, disciplined.get(pk, 0), counts.get(pk, 0)) for pk in ids}
