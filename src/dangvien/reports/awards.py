"""The awards report (báo cáo khen thưởng) of an organisation's subtree for a year: formats.md,
"Report JSON", `report awards`.

- `to_chuc_xuat_sac_5_nam`: organisations of the subtree graded «Hoàn thành xuất sắc nhiệm vụ»
  in each of the N years Y-N+1 … Y (N from the rule set, `award_streak_years`, 5: HD
  21-HD/BTCTW «5 năm liền»), the streak following amalgamations and absorptions as
  `assessments.streaks` says (the reading the candidates page and the streak page share).
- `dang_vien_xuat_sac_5_nam`: members graded excellent in each of those years (wherever they
  were then) whose grade of Y was given in the subtree.
- `huy_hieu`: members of the subtree on 31/12 of Y, living and in the Party, whose party age
  reaches each badge milestone (30, 40, 45, …, 90 years: HD 01-HD/TW 2021 §18, rule set) during
  Y; party age counts from the admission decision less the days outside the Party
  (members.party_age).

The subtree is the tree as it stood on 31/12 of Y (`as_it_stood`, grades placed by
`organizations.dated.placed`, members by their placements on that day, as the quality report
reads them): a later move, merger or transfer changes no past year's report. Every figure is an
SQL query over the indexed paths and `admitted_on`; only the members with a gap in their party
age (re-admitted, few) are read one by one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangvien.assessments.models import MemberAssessment, OrgAssessment
from dangvien.assessments.streaks import excellent_members, excellent_streaks, streak_years
from dangvien.members.party_age import (
    badge_milestones,
    gap_days_by,
    milestone_date,
    reached_by,
)
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgState, kind_label
from dangvien.reports.membership import (
    alive_on,
    as_it_stood,
    members_on,
    placements_on,
    uses_placements,
)
from dangvien.reports.periods import year_end


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
    streak_years: int = 5

    @property
    def first_year(self) -> int:
        return self.year - self.streak_years + 1


def _placed(queryset: QuerySet, relation: str, path: str, org: Organization, year: int):
    """`queryset` (grades) placed in the tree as it stood on 31/12 of `year`, in `org`'s
    subtree then (`org.path` is its path that day)."""
    day = min(datetime.date(year, 12, 31), timezone.localdate())
    placed = dated.placed(
        queryset, relation, day, path=path, within=org.path, since=datetime.date(year, 1, 1)
    )
    return placed.filter(placed_path__startswith=org.path)


def _excellent_orgs(org: Organization, year: int, years: int) -> list[OrgRow]:
    """The organisations of the subtree as it stood excellent `years` running, with the code,
    name and kind they had at the year's end."""
    grades = _placed(OrgAssessment.unscoped, "organization", "org_path", org, year)
    ids = [streak.organization.pk for streak in excellent_streaks(grades, year, years)]
    day = min(datetime.date(year, 12, 31), timezone.localdate())
    states = OrgState.unscoped.filter(
        dated.stood_in(datetime.date(year, 1, 1), day), org_id__in=ids
    ).values_list("path", "org__code", "name", "kind")
    return [OrgRow(code, name, kind) for _, code, name, kind in sorted(states)]


def _excellent_members(org: Organization, year: int, years: int) -> list[MemberRow]:
    grades = _placed(MemberAssessment.unscoped, "branch", "branch_path", org, year)
    rows = (
        excellent_members(grades, year, years)
        .order_by("member__sort_key", "member_id")
        .values_list("member__code", "member__full_name", "branch__name")
    )
    return [MemberRow(*row) for row in rows]


def _alive(org: Organization, day: datetime.date) -> tuple[QuerySet, str, str]:
    """The members of the subtree on `day` (as the structure report counts them), and how to
    reach a member's fields and their branch then: by their placements for a past day, their
    current branch today."""
    if uses_placements(day, None):
        return placements_on(org, day).filter(alive_on(day, "member__")), "member__", "branch__"
    return members_on(org, day), "", "branch__"


def _badges(org: Organization, year: int) -> tuple[list[int], dict[int, int], list[BadgeRow]]:
    """The members reaching each milestone during `year`: for those with no gap, a range of
    `admitted_on` per milestone (counted and listed in SQL); the few with a gap one by one."""
    start, end = datetime.date(year - 1, 12, 31), datetime.date(year, 12, 31)
    milestones = badge_milestones(end)
    living, member, branch = _alive(org, end)
    ranges = {m: (reached_by(start, m), reached_by(end, m)) for m in milestones}
    within = Q()
    for low, high in ranges.values():
        within |= Q(**{f"{member}admitted_on__gt": low, f"{member}admitted_on__lte": high})
    fields = [f"{member}{name}" for name in ("code", "full_name")] + [f"{branch}name"]
    fields += [f"{member}admitted_on", f"{member}id"]
    candidates = [
        (*row, 0)
        for row in living.filter(within, **{f"{member}party_age_gap_days": 0}).values_list(*fields)
    ]
    with_gap = list(living.filter(**{f"{member}party_age_gap_days__gt": 0}).values_list(*fields))
    # Their days outside as the timeline had them by the year's end (a later gap moves nothing).
    gaps = gap_days_by([row[-1] for row in with_gap], end)
    candidates += [(*row, gaps[row[-1]]) for row in with_gap]
    rows, seen = [], set()
    for code, name, branch_name, admitted_on, _pk, gap in candidates:
        if code in seen:  # a member placed twice that day (moved on it)
            continue
        seen.add(code)
        for years in milestones:
            day = milestone_date(admitted_on, gap, years)
            if start < day <= end:
                rows.append(BadgeRow(code, name, branch_name, years, day))
    rows.sort(key=lambda row: (-row.milestone, row.reached_on, row.code))
    counts = dict.fromkeys(milestones, 0)
    for row in rows:
        counts[row.milestone] += 1
    return milestones, counts, rows


def awards_report(org: Organization, year: int) -> AwardsReport:
    """The report of `org`'s subtree as it stood on 31/12 of `year` (module docstring)."""
    today = timezone.localdate()
    stood = as_it_stood(org, year_end(year, today))
    years = streak_years(year)
    with dated.one_reading():
        milestones, counts, badges = _badges(stood, year)
        return AwardsReport(
            org_code=stood.code,
            org_name=stood.name,
            year=year,
            as_of=today,
            organisations=_excellent_orgs(stood, year, years),
            members=_excellent_members(stood, year, years),
            milestones=milestones,
            badge_counts=counts,
            badges=badges,
            streak_years=years,
        )
