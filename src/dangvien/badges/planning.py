"""Ceremonies and the planning list of party badges (domain-rules §6, R6.1–R6.3).

The four ceremonies of a year (3/2, 19/5, 2/9, 7/11: HD 01-HD/TW 2021 §18) come from the rule
set. The planning list of a subtree for a ceremony holds the members, living and in the Party,
who reach a milestone after the previous ceremony and by this one (or, asked, by this one at
any earlier time) and have no badge of it: per milestone one indexed query on `branch_path`
and `admitted_on` for the members with no gap in their party age; the few with a gap are read
one by one (members.party_age). Deceased members who reached a milestone before their death
are listed apart, for a posthumous award (truy tặng), by choice.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from dangvien.badges.models import Badge
from dangvien.core.rules import RuleBook, add_months
from dangvien.members.models import ACTIVE_STATUSES, Member, Status
from dangvien.members.party_age import badge_milestones, milestone_date, reached_by

CEREMONY_KEYS = tuple(f"badge_ceremony_{n}_mmdd" for n in range(1, 5))
LIST_LIMIT = 1000


def ceremonies(year: int) -> list[datetime.date]:
    """The ceremony days of `year` in the rule set in force on its first day."""
    rules, first = RuleBook.load(), datetime.date(year, 1, 1)
    days = []
    for key in CEREMONY_KEYS:
        mmdd = rules.value(key, first)
        try:
            days.append(datetime.date(year, mmdd // 100, mmdd % 100))
        except ValueError:
            continue  # a rule value that is no day of the year: no ceremony then
    return sorted(days)


def next_ceremony(day: datetime.date | None = None) -> datetime.date:
    """The first ceremony on or after `day` (today)."""
    day = day or timezone.localdate()
    for year in (day.year, day.year + 1):
        for ceremony in ceremonies(year):
            if ceremony >= day:
                return ceremony
    raise ValueError(day)


def previous_ceremony(ceremony: datetime.date) -> datetime.date:
    """The ceremony before `ceremony` (the day before it, when none is configured)."""
    earlier = [c for c in ceremonies(ceremony.year - 1) + ceremonies(ceremony.year) if c < ceremony]
    return earlier[-1] if earlier else ceremony - datetime.timedelta(days=1)


def upcoming_ceremonies(day: datetime.date | None = None, count: int = 4) -> list[datetime.date]:
    day = day or timezone.localdate()
    found = [c for c in ceremonies(day.year) + ceremonies(day.year + 1) if c >= day]
    return found[:count]


def early_window_months(milestone: int, on: datetime.date) -> int:
    """How many months before the milestone a seriously ill member may receive it (R6.2)."""
    rules = RuleBook.load()
    if milestone <= rules.value("badge_early_short_until_years", on):
        return rules.value("badge_early_months_short", on)
    return rules.value("badge_early_months_long", on)


def _spoken(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" hoặc {items[-1]}" if len(items) > 1 else "".join(items)


def ceremony_days_label(year: int) -> str:
    """The ceremony days of `year` as the confirmation says them («3/2, 19/5, 2/9 hoặc 7/11»),
    from the rule set (HD 01-HD/TW 2021 §18)."""
    return _spoken([f"{day.day}/{day.month}" for day in ceremonies(year)])


def early_award_label(on: datetime.date) -> str:
    """The early award for a seriously ill member as the rule set in force on `on` says it
    (R6.2; HD 01-HD/TW 2021 §18): «tối đa 12 tháng trước mốc (30–65 năm), 24 tháng (70–90
    năm)»."""
    milestones = badge_milestones(on)
    groups: dict[int, list[int]] = {}
    for milestone in milestones:
        groups.setdefault(early_window_months(milestone, on), []).append(milestone)
    parts = [
        f"{months} tháng" + (" trước mốc" if not index else "") + f" ({_span(found)} năm)"
        for index, (months, found) in enumerate(groups.items())
    ]
    return "tối đa " + ", ".join(parts)


def _span(milestones: list[int]) -> str:
    return f"{milestones[0]}–{milestones[-1]}" if len(milestones) > 1 else str(milestones[0])


def earliest_early_award(reached_on: datetime.date, milestone: int) -> datetime.date:
    return add_months(reached_on, -early_window_months(milestone, reached_on))


@dataclass(frozen=True)
class PlanRow:
    member_id: int
    code: str
    name: str
    branch: str
    milestone: int
    reached_on: datetime.date
    deceased_on: datetime.date | None = None


def _awarded(milestone: int):
    return Exists(
        Badge.unscoped.filter(
            member_id=OuterRef("pk"), milestone=milestone, annulled_at__isnull=True
        )
    )


FIELDS = ("pk", "code", "full_name", "branch__name", "admitted_on", "party_age_gap_days")


def planning_list(
    path: str, ceremony: datetime.date, *, overdue: bool = False
) -> tuple[list[PlanRow], int]:
    """Members of the subtree at `path` due a badge by `ceremony` and not yet given it: those
    reaching a milestone since the previous ceremony, or (`overdue`) the highest milestone
    reached by then whenever. Returns at most LIST_LIMIT rows, and how many there are."""
    milestones = badge_milestones(ceremony)
    since = previous_ceremony(ceremony)
    living = Member.unscoped.filter(branch_path__startswith=path, status__in=ACTIVE_STATUSES)
    rows: list[PlanRow] = []
    total = 0
    for index, years in enumerate(milestones):
        window = Q(party_age_gap_days=0, admitted_on__lte=reached_by(ceremony, years))
        if not overdue:
            window &= Q(admitted_on__gt=reached_by(since, years))
        if index + 1 < len(milestones):  # the highest milestone reached (R6.1)
            window &= Q(admitted_on__gt=reached_by(ceremony, milestones[index + 1]))
        due = living.filter(window).filter(~_awarded(years))
        total += due.count()
        room = LIST_LIMIT - len(rows)
        if room > 0:
            for pk, code, name, branch, admitted_on, gap in due.order_by(
                "sort_key", "pk"
            ).values_list(*FIELDS)[:room]:
                rows.append(
                    PlanRow(pk, code, name, branch, years, milestone_date(admitted_on, gap, years))
                )
    awarded = set(
        Badge.unscoped.filter(
            member__branch_path__startswith=path,
            member__party_age_gap_days__gt=0,
            annulled_at__isnull=True,
        ).values_list("member_id", "milestone")
    )
    for pk, code, name, branch, admitted_on, gap in living.filter(
        party_age_gap_days__gt=0
    ).values_list(*FIELDS):
        reached = [m for m in milestones if milestone_date(admitted_on, gap, m) <= ceremony]
        if not reached or (pk, reached[-1]) in awarded:
            continue
        day = milestone_date(admitted_on, gap, reached[-1])
        if overdue or day > since:
            total += 1
            rows.append(PlanRow(pk, code, name, branch, reached[-1], day))
    rows.sort(key=lambda row: (-row.milestone, row.reached_on, row.code))
    return rows, total


def posthumous_list(path: str, ceremony: datetime.date) -> list[PlanRow]:
    """Members of the subtree who died in the year up to `ceremony` having reached a milestone
    they were not given: for a posthumous award (truy tặng), by choice."""
    milestones = badge_milestones(ceremony)
    deceased = Member.unscoped.filter(
        branch_path__startswith=path,
        status=Status.DECEASED,
        left_on__gt=add_months(ceremony, -12),
        left_on__lte=ceremony,
        admitted_on__lte=reached_by(ceremony, milestones[0]),
    )
    awarded = set(
        Badge.unscoped.filter(member__in=deceased, annulled_at__isnull=True).values_list(
            "member_id", "milestone"
        )
    )
    rows = []
    for pk, code, name, branch, admitted_on, gap, died in deceased.values_list(*FIELDS, "left_on"):
        reached = [m for m in milestones if milestone_date(admitted_on, gap, m) <= died]
        if reached and (pk, reached[-1]) not in awarded:
            day = milestone_date(admitted_on, gap, reached[-1])
            rows.append(PlanRow(pk, code, name, branch, reached[-1], day, died))
    rows.sort(key=lambda row: (-row.milestone, row.reached_on, row.code))
    return rows
