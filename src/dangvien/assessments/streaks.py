"""Excellent N years running: the one reading of a streak of «Hoàn thành xuất sắc nhiệm vụ»
that the streak page (assessments), the award candidates (awards) and the awards report
(reports) share, for organisations and for members.

N is the rule set's `award_streak_years` in force at the end of the last year (HD 21-HD/BTCTW:
«hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền»), unless the caller asks for another length
(the streak page lets its reader choose).

An organisation keeps its identity through restructuring by the successor links (domain-briefs
§10: "streaks across mergers and transfers follow the successor links"; domain-rules §1: hợp
nhất and sáp nhập both carry what the old organisations had into the receiving one). A year
counts for an organisation when:
- it was graded that year: its own grade decides (excellent or not), whatever was merged into
  it; so an organisation that absorbed others keeps its own record;
- it was not graded that year (it did not exist yet: formed by amalgamation, or a receiving
  organisation graded only from the merger on): every organisation merged into it later
  (hợp nhất or sáp nhập, effective after 31/12 of that year, not annulled) was excellent that
  year, each counted the same way (their own predecessors in turn) [U: local practice].
A move (chuyển) keeps the organisation and its grades; the caller decides the subtree.
A member's streak follows them through transfers: their grades wherever they were then.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dangvien.assessments.models import Grade, MemberAssessment, OrgAssessment
from dangvien.core.rules import RuleBook
from dangvien.core.scope import visible
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind

# Restructurings that carry an organisation's record into the receiving one.
MERGING = (OrgEventKind.ABSORB, OrgEventKind.AMALGAMATE)
# A chain of mergers longer than any real one stops here (and a wrongly recorded cycle too).
MAX_DEPTH = 8


def streak_years(year: int) -> int:
    """How many years running earn the award: `award_streak_years` of the rule set in force
    on 31/12 of `year` (HD 21-HD/BTCTW, «5 năm liền»)."""
    return RuleBook.load().value("award_streak_years", datetime.date(year, 12, 31))


@dataclass(frozen=True)
class Streak:
    """An organisation excellent in each year from `first_year` to `last_year`; `through` names
    the organisations merged into it whose grades count for the years it was not graded."""

    organization: Organization
    first_year: int
    last_year: int
    through: tuple[str, ...] = ()

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1


class _Record:
    """The grades of a few organisations and who was merged into them, read once, to tell
    whether an organisation counts as excellent in a year (module docstring)."""

    def __init__(self, grades: dict[tuple[int, int], str], before: dict[int, list[tuple]]):
        self.grades = grades
        self.before = before  # receiving id → [(predecessor id, effective_on)]

    def excellent(self, org_id: int, year: int, used: set[int], depth: int = 0) -> bool:
        own = self.grades.get((org_id, year))
        if own:
            return own == Grade.EXCELLENT
        if depth >= MAX_DEPTH:
            return False
        earlier = [p for p, day in self.before.get(org_id, ()) if day.year > year]
        if not earlier or not all(self.excellent(p, year, used, depth + 1) for p in earlier):
            return False
        used.update(earlier)
        return True


def excellent_streaks(
    last_grades: QuerySet[OrgAssessment],
    until_year: int,
    years: int | None = None,
    organizations: QuerySet[Organization] | None = None,
) -> list[Streak]:
    """The organisations graded excellent in `until_year` among `last_grades` (the caller's
    scope and subtree: today's paths, or the tree as it stood) that were excellent in each of
    the `years` years ending `until_year` (default: the rule set's), counting the successor
    links (module docstring), each with its whole streak's length; longest first.

    A few queries whatever the subtree's size: the organisations excellent over the window by
    their own grades (GROUP BY … HAVING) or that received others in it, the merger events
    (one per level of a chain, usually one), their grades, then the organisations
    (`organizations`, default unscoped)."""
    years = years or streak_years(until_year)
    first = until_year - years + 1
    last = last_grades.filter(year=until_year, grade=Grade.EXCELLENT)
    own_run = _every_year(OrgAssessment, "organization_id", last, first, until_year)
    received = OrgEvent.unscoped.filter(
        kind__in=MERGING,
        annulled_at__isnull=True,
        receiving_id=OuterRef("organization_id"),
        effective_on__gt=datetime.date(first, 12, 31),
    )
    ids = set(
        last.filter(Q(organization_id__in=own_run) | Exists(received)).values_list(
            "organization_id", flat=True
        )
    )
    if not ids:
        return []
    record = _read(ids, until_year)
    found = {}
    for org_id in ids:
        used: set[int] = set()
        if all(record.excellent(org_id, y, used) for y in range(first, until_year + 1)):
            start = first
            while start > 1930 and record.excellent(org_id, start - 1, used):
                start -= 1
            found[org_id] = (start, used)
    if not found:
        return []
    rows = (organizations if organizations is not None else Organization.unscoped).filter(
        pk__in=list(found)
    )
    names = dict(
        Organization.unscoped.filter(pk__in={p for _, u in found.values() for p in u}).values_list(
            "pk", "name"
        )
    )
    streaks = [
        Streak(
            o,
            found[o.pk][0],
            until_year,
            tuple(sorted(names[p] for p in found[o.pk][1])),
        )
        for o in rows.select_related("parent")
    ]
    return sorted(streaks, key=lambda s: (-s.years, s.organization.sort_key, s.organization.pk))


def streaks_below(
    user, org: Organization, until_year: int, years: int | None = None
) -> list[Streak]:
    """`excellent_streaks` of `org`'s subtree as it is today, as `user` sees it (the streak
    page, the award candidates)."""
    grades = visible(user, OrgAssessment).filter(org_path__startswith=org.path)
    return excellent_streaks(grades, until_year, years, visible(user, Organization))


def _read(ids: set[int], until_year: int) -> _Record:
    """The merger events into `ids` and, in turn, into their predecessors; then the grades up
    to `until_year` of all of them (one query)."""
    before: dict[int, list[tuple]] = {}
    frontier, seen = set(ids), set(ids)
    for _ in range(MAX_DEPTH):
        events = OrgEvent.unscoped.filter(
            kind__in=MERGING, annulled_at__isnull=True, receiving_id__in=frontier
        ).values_list("receiving_id", "org_id", "effective_on")
        frontier = set()
        for receiving, org_id, day in events:
            before.setdefault(receiving, []).append((org_id, day))
            if org_id not in seen:
                frontier.add(org_id)
                seen.add(org_id)
        if not frontier:
            break
    grades = {
        (org_id, year): grade
        for org_id, year, grade in OrgAssessment.unscoped.filter(
            organization_id__in=seen, year__lte=until_year
        )
        .exclude(grade="")
        .values_list("organization_id", "year", "grade")
    }
    return _Record(grades, before)


def excellent_members(
    last_grades: QuerySet[MemberAssessment], until_year: int, years: int | None = None
) -> QuerySet[MemberAssessment]:
    """The grades of `until_year` among `last_grades` (the caller's scope and subtree) of the
    members excellent in each of the `years` years ending `until_year` (default: the rule
    set's), wherever they were graded before: one query (a GROUP BY … HAVING subquery)."""
    years = years or streak_years(until_year)
    last = last_grades.filter(year=until_year, grade=Grade.EXCELLENT)
    running = _every_year(MemberAssessment, "member_id", last, until_year - years + 1, until_year)
    return last.filter(member_id__in=running)


def _every_year(model, key: str, among: QuerySet, first: int, last: int) -> QuerySet:
    """The `key` (member or organisation) of the grades `among` whose own grade was excellent
    in each year from `first` to `last`: a GROUP BY … HAVING subquery."""
    return (
        model.unscoped.filter(
            **{f"{key}__in": among.values(key)},
            grade=Grade.EXCELLENT,
            year__gte=first,
            year__lte=last,
        )
        .values(key)
        .order_by()
        .annotate(n=Count("year"))
        .filter(n=last - first + 1)
        .values(key)
    )
