"""Cells of the dues spreadsheets: a month (mm/yyyy text or a date cell), whole đồng."""

import datetime
import re

from dangvien.core.spreadsheets import cell_text

_MONTH = re.compile(r"(\d{1,2})\s*/\s*(\d{4})")


def parse_month(value) -> datetime.date:
    """The first day of the month of `mm/yyyy` text or a date cell; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = cell_text(value)
    found = _MONTH.fullmatch(text.strip())
    if not found or not 1 <= int(found.group(1)) <= 12 or int(found.group(2)) < 1930:
        raise ValueError(f"“{text}” không phải tháng dạng mm/yyyy.")
    return datetime.date(int(found.group(2)), int(found.group(1)), 1)


def parse_money(value) -> int:
    """Whole đồng from a number cell or text with dots as thousands separators."""
    if isinstance(value, bool):
        raise ValueError(f"“{value}” không phải số tiền.")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    else:
        text = cell_text(value).replace(".", "").replace(" ", "").replace("\u00a0", "")
        if not text.isdigit():
            raise ValueError(f"“{cell_text(value)}” không phải số đồng nguyên.")
        amount = int(text)
    if amount < 0 or amount > 10**12:
        raise ValueError(f"“{cell_text(value)}” không phải số tiền hợp lệ.")
    return amount
