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
        """The holidays between two dates (with room for deadlines counted from `end`)."""
        from dangvien.core.models import Holiday

        last = end + datetime.timedelta(days=120)
        days = Holiday.objects.filter(day__range=(start, last)).values_list("day", flat=True)
        return cls(frozenset(days))

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: datetime.date, count: int) -> datetime.date:
        """The day on which `count` working days after `start` have passed (start not counted)."""
        day = start
        while count > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day


def deadline(start: datetime.date, working_days: int) -> datetime.date:
    """The last day of a period of `working_days` working days that begins after `start`."""
    return WorkingCalendar.load(start, start).add_working_days(start, working_days)


def vietnamese_holidays(years: range) -> list[tuple[datetime.date, str]]:
    """Vietnam's public holidays and days off in lieu for `years`, from the `holidays` package."""
    import holidays

    calendar = holidays.country_holidays("VN", years=years, language="vi")
    return sorted(calendar.items())
