"""Members admitted in a period below an organisation, by the branch that admitted them.

Admissions count for the branch that admitted the member, not the one they are in today: a
member admitted in one organisation and transferred to another later stays in the first one's
figures (its quota was met by admitting them). `admitted_between` and `admitted_in_years` are
the one read of "members admitted in a period below an organisation" for every page that shows
it (the survey of the pool, the quotas page, the grading of organisations) in today's tree,
for the current year or while nothing was reshaped since; `admitted_as_it_stood` is the
admissions report's, in the tree as it stood at the period's end (formats.md, "Report JSON";
reports/admissions.py), and `admitted_in_years_as_they_stood` the same for the past periods of
those pages, each read at the end of its own period.
"""

import datetime

from django.db.models import DateField, F, Func, Q, QuerySet

from dangvien.members.models import Member
from dangvien.organizations import dated

# Also read by reports.admissions from here.
from dangvien.organizations.dated import state_as_it_stood as state_as_it_stood
from dangvien.organizations.dated import stood_in as stood_in

# The path of the branch that admitted the member, an alias of the querysets below: group by
# it, never filter on it. Today's path for `admitted_between` and `admitted_in_years` (moving an
# organisation rewrites the paths below it); the path at the period's end for
# `admitted_as_it_stood`.
ADMITTING_PATH = "admitting_path"


def admitted_between(path, start, end) -> QuerySet[Member]:
    """Members of any status admitted from `start` to `end` (dates, inclusive) by a branch in
    the subtree at `path` (a value or an outer reference), wherever they are active now.

    The admitting branch is the one of the member's placement (`Placement`) that starts on the
    admission day: every writer of members creates it (`members.services.create_member`, which
    admitting a candidate goes through, the member import, the demo and the benchmark data) and
    a transfer never starts on that day (it must start after the current placement), so each
    member joins one placement at most. There is no fallback to `Member.branch_path`: a member
    without that placement is counted nowhere (a correction of `admitted_on` must move the
    first placement's start with it). A fallback would need an outer join filtered on a
    computed path, which no index serves; the inner join is driven by the indexed organisation
    paths and `placement_branch_idx` (branch, start), or by the admission dates, as the
    database chooses.
    The scope is the caller's: `path` must be an organisation the user sees; those admitted
    there count even when they have moved out of the user's scope since (only counts leave).

    Filter the returned queryset further only on the member's own fields: the placements'
    conditions sit in this one `filter()` so that they apply to the same placement row."""
    return _admitted_where(path, *_between(start, end))


def _between(start, end) -> tuple[Q, Q]:
    """The admission day, and the admitting placement's start (the same day), from `start` to
    `end` (dates, or SQL expressions of dates)."""
    return (
        Q(admitted_on__gte=start, admitted_on__lte=end),
        Q(placements__start__gte=start, placements__start__lte=end),
    )


def admitted_in_years(path, first_year, last_year) -> QuerySet[Member]:
    """As `admitted_between`, from 01/01 of `first_year` to 31/12 of `last_year`, which may be
    SQL expressions (the quotas page compares each quota's own year or term)."""
    if isinstance(first_year, int) and isinstance(last_year, int):
        return admitted_between(
            path, datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
        )
    return _admitted_where(
        path,
        Q(admitted_on__year__gte=first_year, admitted_on__year__lte=last_year),
        Q(placements__start__year__gte=first_year, placements__start__year__lte=last_year),
    )


def _admitted_where(path, admitted: Q, started: Q) -> QuerySet[Member]:
    """The join of `admitted_between`. `started` repeats the period on the placement's start
    (equal to the admission day) so that the database may range-scan `placement_branch_idx`."""
    return Member.unscoped.filter(
        admitted,
        started,
        placements__start=F("admitted_on"),
        placements__branch__path__startswith=path,
    ).alias(**{ADMITTING_PATH: F("placements__branch__path")})


def admitted_as_it_stood(
    path: str, start: datetime.date, end: datetime.date, day: datetime.date
) -> QuerySet[Member]:
    """The members `admitted_between` gives, each placed by the state its admitting branch had
    on `day` (the period's end, or today when the period ends later), or by its last state when
    the branch ended within the period: `path` is the path the reported organisation had on
    `day`, `ADMITTING_PATH` the admitting branch's path then (formats.md, "Report JSON").

    While nothing reshaped the tree after `start`, today's paths are those of every day of the
    period (of a branch ended within it too): the indexed join of `admitted_between` answers.
    Otherwise the branch's states join on one condition (`_placed_then`)."""
    if not dated.reshaped_since(start, path):
        return admitted_between(path, start, end)
    return _placed_then(path, *_between(start, end), start, day)


def admitted_in_years_as_they_stood(path, first_year, last_year) -> QuerySet[Member]:
    """As `admitted_as_it_stood`, from 01/01 of `first_year` to 31/12 of `last_year` read on
    that 31/12, where the years and `path` (the path the counting organisation had then) may be
    outer references: the quotas page counts each quota of a past period in the tree of its
    own period's end. Always the join of the states: the caller asks `dated.reshaped_since`
    once for the page and counts by `admitted_in_years` when nothing was reshaped."""
    start, end = FirstDay(first_year), LastDay(last_year)
    return _placed_then(path, *_between(start, end), start, end)


def _placed_then(path, admitted: Q, started: Q, start, day) -> QuerySet[Member]:
    """The members admitted in the period (`admitted`, `started`: the admission day and the
    admitting placement's start) whose admitting branch's state as it stood at the period's
    end (`stood_in`; `start` and `day` values or SQL expressions) lies below `path`. Every
    condition sits in this one `filter()`, so that the placement, the branch and its state
    are the same rows; `ADMITTING_PATH` reuses that join."""
    states = "placements__branch__states__"
    return Member.unscoped.filter(
        admitted,
        started,
        stood_in(start, day, states, F("placements__branch__ended_on")),
        placements__start=F("admitted_on"),
        **{f"{states}path__startswith": path},
    ).alias(**{ADMITTING_PATH: F(f"{states}path")})


class _YearDay(Func):
    """A day of a year given as an SQL integer expression: PostgreSQL's make_date; SQLite keeps
    dates as ISO text (the years of quotas have four digits: targets.services.check_period)."""

    output_field = DateField()
    month_day = (1, 1)

    def as_sql(self, compiler, connection, **extra):
        month, day = self.month_day
        if connection.vendor == "postgresql":
            template = f"make_date((%(expressions)s)::integer, {month}, {day})"
        else:
            template = f"date(CAST(%(expressions)s AS TEXT) || '-{month:02d}-{day:02d}')"
        return super().as_sql(compiler, connection, template=template, **extra)


class FirstDay(_YearDay):
    """01/01 of a year."""


class LastDay(_YearDay):
    """31/12 of a year."""

    month_day = (12, 31)
