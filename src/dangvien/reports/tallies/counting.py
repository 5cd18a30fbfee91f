"""Counting a unit's figures from the records, and storing them (recount)."""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from dangvien.assessments.models import MemberAssessment
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgState
from dangvien.reports.models import DirtyUnit, UnitTally
from dangvien.reports.periods import year_end
from dangvien.reports.tallies.units import BREAKDOWN_FIELDS, TODAY, Rows


def counted_years() -> range:
    """The years whose grades and year-end members are kept: every year with assessments."""
    bounds = MemberAssessment.unscoped.aggregate(first=Min("year"), last=Max("year"))
    if bounds["first"] is None:
        return range(0)
    return range(bounds["first"], bounds["last"] + 1)


def unit_rows(
    unit: Organization, years: Iterable[int], today: datetime.date, *, with_today: bool = True
) -> Rows:
    """The figures of one unit counted from the records, exactly as the reports count them:
    today's members by status, breakdown field and birth year (while it is a unit today); for
    each year it was a unit at the end of (the tree of that day: a later move leaves the year's
    figures as they were), its members then and its grades and reasons for not grading."""
    from dangvien.reports.membership import member_counts_by_branch, members_on

    rows: Rows = Counter({(TODAY, "counted", ""): 0})
    if with_today and unit.depth == 1:
        _count_members(rows, TODAY, _active_below(unit.path, today), today)
    years = list(years)
    stood_in = {}
    for year in years:
        rows[year, "counted", ""] = 0
        stood = dated.as_of(unit, tree_day(year, today))
        if stood is None or stood.depth != 1:
            continue  # not a unit at the end of that year: its figures are another unit's
        stood_in[year] = stood
        day = year_end(year, today)
        rows[year, "members", ""] = sum(
            row["members"] for row in member_counts_by_branch(stood, day)
        )
        if day < today:  # a past 31/12: the structure report of that day adds these up
            placed = members_on(stood, day, from_placements=True)
            _count_members(rows, year, placed, day, with_members=False)
    if not stood_in:
        return rows
    first = min(stood_in)
    if not dated.reshaped_since(year_end(first, today), unit.path):
        # The unit's subtree stood as today since: one grouped query on today's paths.
        grades = MemberAssessment.unscoped.filter(
            branch_path__startswith=unit.path, year__in=list(stood_in)
        )
        _count_grades(rows, grades)
    else:
        for year, stood in stood_in.items():
            day = year_end(year, today)
            placed = dated.placed(
                MemberAssessment.unscoped,
                "branch",
                day,
                path="branch_path",
                within=stood.path,
                since=datetime.date(year, 1, 1),
            )
            _count_grades(rows, placed.filter(year=year, placed_path__startswith=stood.path))
    return rows


def _count_members(
    rows: Rows, key: int, members: QuerySet[Member], day: datetime.date, *, with_members=True
) -> None:
    """The members of `members` by status, breakdown field and birth year, under `key` (TODAY
    or a year): one grouped query. A past year's members are counted by member_counts_by_branch
    (`with_members` False), as the quality report counts them."""
    grouped = (
        members.values(*BREAKDOWN_FIELDS, born=ExtractYear("birth_date"))
        .order_by()
        .annotate(n=Count("pk"), official=Count("pk", filter=Q(official_on__lte=day)))
    )
    for row in grouped:
        if with_members:
            rows[key, "members", ""] += row["n"]
        rows[key, "official", ""] += row["official"]
        rows[key, "birth_year", str(row["born"])] += row["n"]
        for field in BREAKDOWN_FIELDS:
            rows[key, field, row[field]] += row["n"]


def _count_grades(rows: Rows, assessments: QuerySet[MemberAssessment]) -> None:
    grouped = assessments.values("year", "grade", "not_graded").order_by().annotate(n=Count("*"))
    for row in grouped:
        if row["grade"]:
            rows[row["year"], "grade", row["grade"]] += row["n"]
        elif row["not_graded"]:
            rows[row["year"], "not_graded", row["not_graded"]] += row["n"]


def tree_day(year: int, today: datetime.date) -> datetime.date:
    """The day whose tree a year's figures follow: 31/12 of the year, today for this year."""
    return min(year_end(year, today), today)


def all_units() -> QuerySet[Organization]:
    """Every organisation that is a unit today or was one on some day (its past years'
    figures are kept under it), in path order."""
    was_unit = OrgState.unscoped.filter(depth=1).values("org_id")
    return Organization.unscoped.filter(Q(depth=1) | Q(pk__in=was_unit)).order_by("path")


def recount(units: Iterable[Organization] | None = None, today: datetime.date | None = None) -> int:
    """Store fresh rows for `units` (default: every dirty unit) and clear the marks counted.

    Each unit in its own transaction: the mark's version is read first, and the mark is
    deleted only if no change marked the unit again meanwhile. Returns the units counted."""
    today = today or timezone.localdate()
    if units is None:
        units = Organization.unscoped.filter(pk__in=DirtyUnit.objects.values("unit_id"))
    years = sorted({*counted_years(), today.year})
    done = 0
    for unit in units:
        with transaction.atomic():
            seen = DirtyUnit.objects.filter(unit=unit).values_list("version", flat=True).first()
            rows = unit_rows(unit, years, today)
            UnitTally.objects.filter(unit=unit).delete()
            UnitTally.objects.bulk_create(
                UnitTally(unit=unit, year=year, figure=figure, value=value, count=count)
                for (year, figure, value), count in rows.items()
            )
            if seen is not None:
                DirtyUnit.objects.filter(unit=unit, version=seen).delete()
        done += 1
    return done


def _active_below(path: str, today: datetime.date) -> QuerySet[Member]:
    """Today's active members below `path`, as the structure report counts them."""
    from dangvien.reports.structure import alive_on

    return Member.unscoped.filter(
        alive_on(today), branch_path__startswith=path, status__in=ACTIVE_STATUSES
    )
