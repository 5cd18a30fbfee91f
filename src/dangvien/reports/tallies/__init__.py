"""Counts per unit (reports.models.UnitTally), kept exact, for the reports of a province and of
the whole Party.

A province of 600,000 members or the whole Party's 6 million cannot be counted member by member
within a page's time; a unit (the organisation just below a province, about 8,000 members) can.
So each unit's figures are counted once and stored, and a report above the units adds up their
rows. Exactness rests on two rules:

- every change to a member, a placement or an assessment marks its unit dirty (DirtyUnit) in the
  same transaction: signals for single saves, core.changes for bulk writes (connect());
- a report counts a dirty unit, or one never counted for the year asked, from the records
  (unit_rows(), the same function that recount() stores), so it never reads a stale tally.

A year's rows count the unit as it stood at the end of that year (the tree of that day,
organizations/dated.py): a unit that moved, took in or lost organisations keeps the figures of
the years before under the tree they were reported by, and a report of a past year adds up the
units of that year's tree (the units of today's tree while nothing reshaped its subtree since).
A move marks the units it leaves and enters, whose years from the move's on are then recounted.

`dangvien recount` (and the lazy recount of a report on the primary database) stores fresh rows
and clears the marks it counted.
"""

from dangvien.reports.tallies.counting import all_units, counted_years, recount, tree_day, unit_rows
from dangvien.reports.tallies.marking import (
    bump_versions,
    connect,
    mark_members,
    mark_paths,
    mark_units,
)
from dangvien.reports.tallies.reading import active_members, figures, ready_for, summed
from dangvien.reports.tallies.units import BREAKDOWN_FIELDS, TODAY, Rows, unit_of, unit_top
from dangvien.reports.tallies.versions import cache_version, version_of

__all__ = [
    "BREAKDOWN_FIELDS",
    "TODAY",
    "Rows",
    "active_members",
    "all_units",
    "bump_versions",
    "cache_version",
    "connect",
    "counted_years",
    "figures",
    "mark_members",
    "mark_paths",
    "mark_units",
    "ready_for",
    "recount",
    "summed",
    "tree_day",
    "unit_of",
    "unit_rows",
    "unit_top",
    "version_of",
]
