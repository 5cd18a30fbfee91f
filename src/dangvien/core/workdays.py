"""Deadlines in working days: Monday to Friday except the public holidays of the `Holiday` table
(ceremony within 30 working days of the decision, recognition review within 30 working days after
probation; domain-rules §2.4)."""

import datetime
from dataclasses import dataclass

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[datetime.date]

    @classmethod
    def load(cls, start: datetime.date, end: datetime.date) -> "WorkingCalendar":
        """The holidays from `start` to `end` (the caller leaves room for its deadlines)."""
        from dangvien.core.models import Holiday

        days = Holiday.objects.filter(day__range=(start, end)).values_list("day", flat=True)
        return cls(frozenset(days))

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def subtract_working_days(self, end: datetime.date, count: int) -> datetime.date:
        """The day before which `count` working days end on `end` (end not counted)."""
        day = end
        while count > 0:
            day -= ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The day on which `count` working days after `start` have passed (start not counted)."""
        day = start
        while count > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day


def span(working_days: int) -> datetime.timedelta:
    """Calendar days that surely hold `working_days` working days: every week has at least one
    working day besides the weekend and the holidays."""
    return datetime.timedelta(days=7 * working_days + 7)


def deadline(start: datetime.date, working_days: int) -> datetime.date:
    """The last day of a period of `working_days` working days that begins after `start`."""
    calendar = WorkingCalendar.load(start, start + span(working_days))
    return calendar.add_working_days(start, working_days)


class RuleDeadlines:
    """The day a rule's working days after each of `days` end (the rule set in force on that
    day gives the number), the rule sets and the holidays read once for them all: an import's
    rows, or one day (`rule_deadline`)."""

    def __init__(self, rule: str, days):
        from dangvien.core.rules import RuleBook

        days = sorted(set(days))
        self.rule, self.rules = rule, RuleBook.load()
        longest = max(self.rules.value(rule, day) for day in days)
        self.calendar = WorkingCalendar.load(days[0], days[-1] + span(longest))

    def __call__(self, start: datetime.date) -> datetime.date:
        return self.calendar.add_working_days(start, self.rules.value(self.rule, start))


def rule_deadline(rule: str, start: datetime.date) -> datetime.date:
    """The day the working days of `rule` in force on `start` end after it."""
    return RuleDeadlines(rule, [start])(start)


def vietnamese_holidays(years: range) -> list[tuple[datetime.date, str]]:
    """Vietnam's public holidays and days off in lieu for `years`, from the `holidays` package."""
    import holidays

    calendar = holidays.country_holidays("VN", years=years, language="vi")
    return sorted(calendar.items())
