"""The deadlines of a transfer, on the working-day calendar (core/workdays.py): the member starts
the procedure within 60 working days of the trigger, and presents the letter to the receiving
branch within 30 working days of its issue (QĐ 294-QĐ/TW; domain-rules §2.7). The number of
days comes from the rule set in force on the day the period starts."""

import datetime
from collections.abc import Iterable

from dangvien.core.rules import RuleBook
from dangvien.core.workdays import ONE_DAY, WorkingCalendar, span

START_KEY = "transfer_start_working_days"
PRESENT_KEY = "transfer_present_working_days"


def calendar_for(
    starts: Iterable[datetime.date],
    rules: RuleBook,
    key: str,
    until: datetime.date | None = None,
) -> WorkingCalendar:
    """One calendar holding the periods that begin on any of `starts`, and the days after them
    up to `until` (one query)."""
    starts = [day for day in starts if day is not None]
    if not starts:
        return WorkingCalendar(frozenset())
    longest = max(rules.value(key, day) for day in set(starts))
    end = max(starts) + span(longest)
    return WorkingCalendar.load(min(starts), max(end, until) if until else end)


def due(start: datetime.date, key: str, rules: RuleBook, calendar: WorkingCalendar | None = None):
    """The last day of the period of `key` working days beginning after `start`."""
    days = rules.value(key, start)
    calendar = calendar or calendar_for([start], rules, key)
    return calendar.add_working_days(start, days)


def start_due(trigger_on: datetime.date, rules: RuleBook, calendar=None) -> datetime.date:
    """The last day to start a permanent transfer: 60 working days after the trigger."""
    return due(trigger_on, START_KEY, rules, calendar)


def present_due(letter_on: datetime.date, rules: RuleBook, calendar=None) -> datetime.date:
    """The last day to present the letter: 30 working days after it was issued."""
    return due(letter_on, PRESENT_KEY, rules, calendar)


def working_days_late(
    due_on: datetime.date, today: datetime.date, calendar: WorkingCalendar
) -> int:
    """The working days from the day after `due_on` up to `today` included, on the calendar the
    deadline is counted on: Monday after a deadline on Friday is 1 day late, the weekend and
    the days off between are not counted (`calendar` must hold the holidays up to `today`)."""
    late, day = 0, due_on + ONE_DAY
    while day <= today:
        late += calendar.is_working_day(day)
        day += ONE_DAY
    return late
