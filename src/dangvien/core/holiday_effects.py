"""What removing a day off moves: the deadlines counted in working days whose period holds that
day end one working day earlier once it is worked. Two deadlines count working days
(core/workdays.py): the admission ceremony within 30 working days of the decision (QĐ 294 §3.4)
and the recognition review within 30 working days after probation (domain-rules §2.4). Both are
told for the files still waiting for them (no ceremony yet; still probationary)."""

import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from dangvien.admissions.models import AdmissionStep, AdmissionStepKind, Candidate, Stage
from dangvien.admissions.probation_selectors import ended_by
from dangvien.core.rules import RULE_KEYS, RuleBook
from dangvien.core.scope import visible
from dangvien.core.workdays import ONE_DAY, WorkingCalendar, span
from dangvien.members.models import Member, Status

CEREMONY = "ceremony_deadline_working_days"
REVIEW = "recognition_review_working_days"


@dataclass(frozen=True)
class MovedDeadlines:
    """The files whose deadline of one kind moves, and the starts of their periods."""

    rule_key: str
    count: int
    starts: tuple[datetime.date, datetime.date] | None  # first and last start moved


def _longest(rules: RuleBook, key: str) -> int:
    values = [values[key] for _day, values in rules.sets if key in values]
    return max([*values, RULE_KEYS[key][1]])


def moved_starts(day: datetime.date, key: str, rules: RuleBook) -> list[datetime.date]:
    """The period starts whose deadline (`key` working days, as in force on the start) passes
    over `day`: a start before `day` whose deadline, counted with `day` off, comes after it."""
    longest = span(_longest(rules, key))
    calendar = WorkingCalendar.load(day - longest, day + longest)
    if calendar.is_working_day(day) or day.weekday() >= 5:
        return []  # not a day off, or a weekend day: no count changes
    start, moved = day - longest, []
    while start < day:
        if calendar.add_working_days(start, rules.value(key, start)) > day:
            moved.append(start)
        start += ONE_DAY
    return moved


def _runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days as (first, last) ranges."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for _key, group in itertools.groupby(
        enumerate(days), key=lambda pair: pair[1] - datetime.timedelta(days=pair[0])
    ):
        group = [day for _index, day in group]
        runs.append((group[0], group[-1]))
    return runs


def _ceremonies_waiting(user, starts: list[datetime.date]) -> int:
    """Admitted candidates whose decision falls on one of `starts` and whose ceremony is not
    recorded yet."""
    steps = AdmissionStep.objects.filter(candidate=OuterRef("pk"))
    return (
        visible(user, Candidate)
        .filter(stage=Stage.ADMITTED)
        .filter(Exists(steps.filter(kind=AdmissionStepKind.DECISION, done_on__in=starts)))
        .exclude(Exists(steps.filter(kind=AdmissionStepKind.CEREMONY)))
        .count()
    )


def _reviews_waiting(user, starts: list[datetime.date], rules: RuleBook) -> int:
    """Probationary members whose probation ends on one of `starts`."""
    ends = Q(pk__in=[])
    for first, last in _runs(starts):
        ends |= ended_by(last, rules) & ~ended_by(first - ONE_DAY, rules)
    return visible(user, Member).filter(status=Status.PROBATIONARY).filter(ends).count()


def deadlines_moved_by(user, day: datetime.date) -> list[MovedDeadlines]:
    """For each deadline counted in working days, the waiting files whose deadline moves one
    working day earlier when `day` is no longer a day off (none when it falls on a weekend)."""
    rules = RuleBook.load()
    ceremony = moved_starts(day, CEREMONY, rules)
    review = moved_starts(day, REVIEW, rules)
    return [
        MovedDeadlines(
            CEREMONY, _ceremonies_waiting(user, ceremony) if ceremony else 0, _bounds(ceremony)
        ),
        MovedDeadlines(
            REVIEW, _reviews_waiting(user, review, rules) if review else 0, _bounds(review)
        ),
    ]


def _bounds(days: list[datetime.date]) -> tuple[datetime.date, datetime.date] | None:
    return (days[0], days[-1]) if days else None
