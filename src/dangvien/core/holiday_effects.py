"""What removing a day off moves: the deadlines counted in working days whose period holds that
day end one working day earlier once it is worked. The apps whose deadlines count working days
register them here (admissions: the admission ceremony within 30 working days of the decision,
QĐ 294 §3.4, and the recognition review within 30 working days after probation, domain-rules
§2.4), each with how many of its files still wait for it."""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from dangvien.core.rules import RULE_KEYS, RuleBook
from dangvien.core.workdays import ONE_DAY, WorkingCalendar, span


@dataclass(frozen=True)
class WorkingDayDeadline:
    """A deadline counted in working days, as its app registers it: the rule holding its length,
    how the holiday page names it, and how many files in the user's scope wait for it among
    those whose period starts on the given days."""

    rule_key: str
    name: str  # "Hạn tổ chức lễ kết nạp"
    started_by: str  # what starts the period: "quyết định kết nạp ký"
    files: str  # the files waiting for it
    count_waiting: Callable[[object, list[datetime.date], RuleBook], int]


_DEADLINES: dict[str, WorkingDayDeadline] = {}


def register_deadline(deadline: WorkingDayDeadline) -> None:
    """Called from an app's ready(); the page lists the deadlines in registration order."""
    _DEADLINES[deadline.rule_key] = deadline


@dataclass(frozen=True)
class MovedDeadlines:
    """The files whose deadline of one kind moves, and the starts of their periods."""

    deadline: WorkingDayDeadline
    count: int
    starts: tuple[datetime.date, datetime.date] | None  # first and last start moved


def _longest(rules: RuleBook, key: str) -> int:
    values = [values[key] for _family, _day, values in rules.sets if key in values]
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


def runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days as (first, last) ranges."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for _key, group in itertools.groupby(
        enumerate(days), key=lambda pair: pair[1] - datetime.timedelta(days=pair[0])
    ):
        group = [day for _index, day in group]
        runs.append((group[0], group[-1]))
    return runs


def deadlines_moved_by(user, day: datetime.date) -> list[MovedDeadlines]:
    """For each deadline counted in working days, the waiting files whose deadline moves one
    working day earlier when `day` is no longer a day off (none when it falls on a weekend)."""
    rules = RuleBook.load()
    moved = []
    for deadline in _DEADLINES.values():
        starts = moved_starts(day, deadline.rule_key, rules)
        count = deadline.count_waiting(user, starts, rules) if starts else 0
        moved.append(MovedDeadlines(deadline, count, _bounds(starts)))
    return moved


def _bounds(days: list[datetime.date]) -> tuple[datetime.date, datetime.date] | None:
    return (days[0], days[-1]) if days else None
