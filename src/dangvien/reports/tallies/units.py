"""What a unit is (the organisation at depth 1) and the shape of the rows counted for it."""

from collections import Counter

from dangvien.core.paths import path_ids
from dangvien.reports.models import UnitTally

TODAY = UnitTally.TODAY
# The fields of the members counted by value (today, and on each past 31/12), as the structure
# report breaks them down.
BREAKDOWN_FIELDS = ("gender", "qualification", "political_theory", "ethnicity", "religion")
# (year, figure, value) → count: the rows of one unit.
Rows = Counter


def unit_top(path: str) -> int:
    """The top organisation (a province) of a path."""
    return path_ids(path)[0]


def unit_of(path: str) -> int | None:
    """The unit holding a branch path: the organisation at depth 1 ("/3/17/90/" → 17)."""
    ids = path_ids(path)
    return ids[1] if len(ids) > 1 else None
