"""The awards report (báo cáo khen thưởng) of an organisation's subtree for a year: formats.md,
"Report JSON", `report awards`.

- `to_chuc_xuat_sac_5_nam`: organisations of the subtree graded «Hoàn thành xuất sắc nhiệm vụ»
  in each of the years Y-4 … Y (the five years running that earn a commendation, e.g. «hoàn
  thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền»). A year before an organisation was formed by
  amalgamation (hợp nhất) counts when every organisation amalgamated into it was graded
  excellent that year (organizations.OrgEvent, the successor link); [U] whether a commendation
  follows a merger this way is local practice.
- `dang_vien_xuat_sac_5_nam`: members graded excellent in each of Y-4 … Y (wherever they were
  active then) whose grade of Y was given in the subtree.
- `huy_hieu`: members living and in the Party whose party age reaches each badge milestone
  (30, 40, 45, …, 90 years: HD 01-HD/TW 2021 §18, rule set) during Y; party age counts from the
  admission decision less the days outside the Party (members.party_age).

Every figure is an SQL query over the indexed paths and `admitted_on`; only the members with a
gap in their party age (re-admitted, few) are read one by one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from dangvien.assessments.models import Grade, MemberAssessment, OrgAssessment
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.members.party_age import badge_milestones, milestone_date, reached_by
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, kind_label

STREAK_YEARS = 5


@dataclass(frozen=True)
class OrgRow:
    code: str
    name: str
    kind: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    branch: str


@dataclass(frozen=True)
class BadgeRow:
    code: str
    name: str
    branch: str
    milestone: int
    reached_on: datetime.date


@dataclass(frozen=True)
class AwardsReport:
    org_code: str
    org_name: str
    year: int
    as_of: datetime.date
    organisations: list[OrgRow]
    members: list[MemberRow]
    milestones: list[int]
    badge_counts: dict[int, int]
    badges: list[BadgeRow]

    @property
    def first_year(self) -> int:
        return self.year - STREAK_YEARS + 1


def _excellent_orgs(org: Organization, year: int) -> list[OrgRow]:
    """Organisations of the subtree excellent each of the five years: one GROUP BY … HAVING
    query; then, for organisations excellent in the later years only, the years before their
    amalgamation read from the organisations amalgamated into them."""
    first = year - STREAK_YEARS + 1
    excellent = OrgAssessment.unscoped.filter(
        grade=Grade.EXCELLENT, year__gte=first, year__lte=year
    )
    in_subtree = excellent.filter(year=year, org_path__startswith=org.path)
    counts = dict(
        excellent.filter(organization_id__in=in_subtree.values("organization_id"))
        .values("organization_id")
        .order_by()
        .annotate(n=Count("year"))
        .values_list("organization_id", "n")
    )
    chosen = {pk for pk, n in counts.items() if n == STREAK_YEARS}
    for pk, n in counts.items():
        if n < STREAK_YEARS and _continued_by_predecessors(pk, first, year):
            chosen.add(pk)
    rows = (
        Organization.unscoped.filter(pk__in=chosen)
        .order_by("path")
        .values_list("code", "name", "kind")
    )
    return [OrgRow(*row) for row in rows]


def _excellent_years(org_id: int, first: int, last: int, depth: int = 0) -> set[int]:
    """The years in [first, last] an organisation was excellent, its own or, for the years
    before it was formed by amalgamation, those every amalgamated organisation shares."""
    own = set(
        OrgAssessment.unscoped.filter(
            organization_id=org_id, grade=Grade.EXCELLENT, year__gte=first, year__lte=last
        ).values_list("year", flat=True)
    )
    graded = set(
        OrgAssessment.unscoped.filter(
            organization_id=org_id, year__gte=first, year__lte=last
        ).values_list("year", flat=True)
    )
    if depth > 5:  # a chain of amalgamations longer than any real one
        return own
    predecessors = list(
        OrgEvent.unscoped.filter(
            receiving_id=org_id, kind=OrgEventKind.AMALGAMATE, annulled_at__isnull=True
        ).values_list("org_id", flat=True)
    )
    if not predecessors:
        return own
    shared = None
    for pk in predecessors:
        years = _excellent_years(pk, first, last, depth + 1)
        shared = years if shared is None else shared & years
    return own | {y for y in shared if y not in graded}


def _continued_by_predecessors(org_id: int, first: int, last: int) -> bool:
    return _excellent_years(org_id, first, last) >= set(range(first, last + 1))


def _excellent_members(org: Organization, year: int) -> list[MemberRow]:
    first = year - STREAK_YEARS + 1
    streak = (
        MemberAssessment.unscoped.filter(grade=Grade.EXCELLENT, year__gte=first, year__lte=year)
        .values("member_id")
        .order_by()
        .annotate(n=Count("year"))
        .filter(n=STREAK_YEARS)
        .values("member_id")
    )
    rows = (
        MemberAssessment.unscoped.filter(
            year=year,
            grade=Grade.EXCELLENT,
            branch_path__startswith=org.path,
            member_id__in=streak,
        )
        .order_by("member__sort_key", "member_id")
        .values_list("member__code", "member__full_name", "branch__name")
    )
    return [MemberRow(*row) for row in rows]


def _badges(org: Organization, year: int) -> tuple[list[int], dict[int, int], list[BadgeRow]]:
    """The members reaching each milestone during `year`: for those with no gap, a range of
    `admitted_on` per milestone (counted and listed in SQL); the few with a gap one by one."""
    start, end = datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31)
    milestones = badge_milestones(end)
    living = Member.unscoped.filter(branch_path__startswith=org.path, status__in=ACTIVE_STATUSES)
    ranges = {m: (reached_by(start, m), reached_by(end, m)) for m in milestones}
    no_gap = living.filter(party_age_gap_days=0)
    within = Q()
    for low, high in ranges.values():
        within |= Q(admitted_on__gt=low, admitted_on__lte=high)
    fields = ("code", "full_name", "branch__name", "admitted_on", "party_age_gap_days")
    candidates = list(no_gap.filter(within).values_list(*fields))
    candidates += list(living.filter(party_age_gap_days__gt=0).values_list(*fields))
    rows = []
    for code, name, branch, admitted_on, gap in candidates:
        for years in milestones:
            day = milestone_date(admitted_on, gap, years)
            if start < day <= end:
                rows.append(BadgeRow(code, name, branch, years, day))
    rows.sort(key=lambda row: (-row.milestone, row.reached_on, row.code))
    counts = dict.fromkeys(milestones, 0)
    for row in rows:
        counts[row.milestone] += 1
    return milestones, counts, rows


def awards_report(org: Organization, year: int) -> AwardsReport:
    milestones, counts, badges = _badges(org, year)
    return AwardsReport(
        org_code=org.code,
        org_name=org.name,
        year=year,
        as_of=timezone.localdate(),
        organisations=_excellent_orgs(org, year),
        members=_excellent_members(org, year),
        milestones=milestones,
        badge_counts=counts,
        badges=badges,
    )
