"""The dates a report is computed for: "at the end of year Y", default today (formats.md)."""

import datetime

from dangvien.core.errors import DomainError

# The Party was founded on 03/02/1930: no report can be about an earlier year.
FIRST_YEAR = 1930
# Quotas and congress terms are planned ahead; no plan reaches past this year.
LAST_YEAR = 2100


def year_end(year: int | None, today: datetime.date) -> datetime.date:
    """31/12 of `year`, or `today` without a year; the year must have begun and be ≥ 1930."""
    if year is None:
        return today
    if year < FIRST_YEAR:
        raise DomainError(f"Năm phải từ {FIRST_YEAR} trở đi.", field="year")
    if year > today.year:
        raise DomainError(
            f"Năm {year} chưa bắt đầu: chọn năm {today.year} trở về trước.", field="year"
        )
    return datetime.date(year, 12, 31)
