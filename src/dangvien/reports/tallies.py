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

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from dangvien.assessments.models import MemberAssessment
from dangvien.core import changes
from dangvien.core.importing import chunks
from dangvien.core.models import DataGeneration
from dangvien.core.paths import is_top, path_ids
from dangvien.members.models import ACTIVE_STATUSES, Member, Placement
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import Organization, OrgState
from dangvien.reports.models import DirtyUnit, UnitTally, UnitVersion
from dangvien.reports.periods import year_end

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


# ------------------------------------------------------------------------------ marking dirty


_pending: set[int] = set()  # units marked by this process, recounted once committed


def mark_units(unit_ids: Iterable[int | None]) -> None:
    """Mark units dirty in the current transaction (their version grows) and recount them once
    it commits; should that fail, the marks stay and the reports count those units afresh."""
    ids = sorted({pk for pk in unit_ids if pk is not None})
    if not ids:
        return
    _pending.update(ids)
    transaction.on_commit(_recount_pending)
    _count_up(DirtyUnit, ids)
    _count_up(UnitVersion, ids)


def bump_versions(org_ids: Iterable[int]) -> None:
    """Count a change on organisations themselves (a province a unit left or joined), so the
    version of their scope grows even though the sum of their units' versions may fall."""
    _count_up(UnitVersion, sorted(set(org_ids)))


def _count_up(model, ids: list[int]) -> None:
    """Add one to the version of each id's row (created at 1), in id order: concurrent
    writers lock the rows in the same order."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            values = ", ".join(["(%s, 1)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (unit_id, version) VALUES {values} "
                f"ON CONFLICT (unit_id) DO UPDATE SET version = {table}.version + 1",
                chunk,
            )


def mark_paths(paths: Iterable[str]) -> None:
    """Mark the units of these branch (or organisation) paths dirty."""
    mark_units(unit_of(path) for path in paths)


def mark_members(member_ids: Iterable[int]) -> None:
    """Mark the units of these members' branches and of every branch they were placed in."""
    ids = list(member_ids)
    paths = set(Member.unscoped.filter(pk__in=ids).values_list("branch_path", flat=True))
    paths |= set(Placement.objects.filter(member_id__in=ids).values_list("branch__path", flat=True))
    mark_paths(paths)


def _recount_pending() -> None:
    """Recount the units marked by the transactions committed so far (once for many marks)."""
    if not _pending:
        return
    ids = sorted(_pending)
    _pending.clear()
    recount(Organization.unscoped.filter(pk__in=ids))


def _member_before_save(sender, instance: Member, raw=False, **kwargs) -> None:
    if instance.pk and not raw:  # a transfer: the unit it leaves changes too
        mark_paths(Member.unscoped.filter(pk=instance.pk).values_list("branch_path", flat=True))


def _member_saved(sender, instance: Member, raw=False, **kwargs) -> None:
    if not raw:
        mark_paths([instance.branch_path])


def _placement_changed(sender, instance: Placement, raw=False, **kwargs) -> None:
    if not raw:
        branch = Organization.unscoped.filter(pk=instance.branch_id)
        mark_paths(branch.values_list("path", flat=True))


def _assessment_changed(sender, instance: MemberAssessment, raw=False, **kwargs) -> None:
    if not raw:
        mark_paths([instance.branch_path])


def _organization_saved(sender, instance: Organization, raw=False, **kwargs) -> None:
    if not raw and instance.path:  # a renamed branch shows in the member list of its unit
        mark_paths([instance.path])


def version_of(paths: Iterable[str]) -> int:
    """A number that grows with every change to the records below `paths` (a path, "/" for
    the whole tree): the sum of the versions of the units they cover or lie in."""
    condition = _version_condition(paths)
    if not condition:
        return 0
    return UnitVersion.objects.filter(condition).aggregate(n=Sum("version"))["n"] or 0


def cache_version(paths: Iterable[str]) -> tuple[str, int]:
    """The data generation token (core.models.DataGeneration, renewed by a restore) and
    version_of(paths), read in one query: what a cached page of `paths` is kept under."""
    paths = list(paths)
    condition = _version_condition(paths)
    if condition:
        versions = UnitVersion.objects.filter(condition).order_by()
        total = versions.values(n=Func(F("version"), function="SUM"))
        row = (
            DataGeneration.objects.order_by("pk")
            .annotate(n=Subquery(total))
            .values_list("token", "n")
            .first()
        )
        if row is not None:
            return row[0], row[1] or 0
    token = DataGeneration.objects.order_by("pk").values_list("token", flat=True).first()
    return token or "", version_of(paths)


def _version_condition(paths: Iterable[str]) -> Q:
    condition = Q()
    for path in paths:
        if path == "/":
            condition = Q(pk__isnull=False)  # every row
            break
        if is_top(path):  # a top organisation: its units and itself
            units = Organization.unscoped.filter(depth=1, path__startswith=path).values("pk")
            condition |= Q(unit_id__in=units) | Q(unit_id=unit_top(path))
        elif (unit := unit_of(path)) is not None:
            condition |= Q(unit_id=unit)
    return condition


def _records_changed(sender, *, paths, member_ids, moves, **kwargs) -> None:
    """Mark the units of what a bulk write or a move changed (core.changes announces them)."""
    if member_ids:
        mark_members(member_ids)
    if paths:
        mark_paths(paths)
    if moves:  # the path copies change in bulk, without signals; a batch of moves at once
        ends = [path for move in moves for path in move]
        mark_paths(ends)
        bump_versions(unit_top(path) for path in ends)


def connect() -> None:
    """Mark units dirty on every single save or delete, and on every bulk write or move
    announced through core.changes."""
    changes.changed.connect(_records_changed, dispatch_uid="tally-records-changed")
    pre_save.connect(_member_before_save, sender=Member, dispatch_uid="tally-member-pre")
    post_save.connect(_member_saved, sender=Member, dispatch_uid="tally-member")
    post_delete.connect(_member_saved, sender=Member, dispatch_uid="tally-member-del")
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="tally-org")
    handlers = ((Placement, _placement_changed), (MemberAssessment, _assessment_changed))
    for model, handler in handlers:
        post_save.connect(handler, sender=model, dispatch_uid=f"tally-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"tally-{model.__name__}-del")


# ------------------------------------------------------------------------- counting a unit


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


def _complete(unit_ids, wanted: list[int]) -> QuerySet:
    """The ids of `unit_ids` (ids or a query of them) counted for every `wanted` year and not
    dirty since."""
    counted = UnitTally.objects.filter(unit__in=unit_ids, figure="counted", year__in=wanted)
    return (
        counted.values("unit_id")
        .order_by()
        .annotate(n=Count("*"))
        .filter(n=len(wanted))
        .exclude(unit_id__in=DirtyUnit.objects.values("unit_id"))
        .values("unit_id")
    )


def active_members(path: str) -> int:
    """Today's active members below `path` (the whole tree "/" or a top organisation): the
    stored count of each clean unit, an indexed COUNT of the others (one query each: the
    units still dirty once their writes commit, or never counted). One query for the units."""
    tally = UnitTally.objects.filter(unit=OuterRef("pk"), year=TODAY)
    units = Organization.unscoped.filter(depth=1, path__startswith=path).values_list(
        "path",
        Exists(tally.filter(figure="counted")),
        Exists(DirtyUnit.objects.filter(unit=OuterRef("pk"))),
        Subquery(tally.filter(figure="members").values("count")[:1]),
    )
    today = timezone.localdate()
    total = 0
    for unit_path, counted, dirty, stored in units:
        if counted and not dirty:
            total += stored or 0
        else:
            total += _active_below(unit_path, today).count()
    return total


def _active_below(path: str, today: datetime.date) -> QuerySet[Member]:
    """Today's active members below `path`, as the structure report counts them."""
    from dangvien.reports.structure import alive_on

    return Member.unscoped.filter(
        alive_on(today), branch_path__startswith=path, status__in=ACTIVE_STATUSES
    )


def summed(per_child: dict[int, Rows]) -> Rows:
    """The rows of figures() added up over the children: the figures of the whole scope."""
    total: Rows = Counter()
    for counts in per_child.values():
        total.update(counts)
    return total


def figures(org: Organization, wanted: list[int], today: datetime.date) -> dict[int, Rows]:
    """The rows of the `wanted` years (TODAY for today's members) added up per direct child of
    `org` (`org` as it stood at the end of the last year wanted; a province: its units; the
    whole Party: its provinces): the stored rows of the units counted and clean, the records'
    own counts (unit_rows) for the others. Each year adds up the units of its own year-end tree
    (one query for all years while nothing reshaped `org`'s subtree since the first)."""
    totals: dict[int, Rows] = {}
    for units, years in _unit_groups(org, wanted, today):
        _add_units(totals, org, units, years, today)
    return totals


def _unit_groups(org: Organization, wanted: list[int], today: datetime.date) -> list[tuple]:
    """(units, years): the units whose rows of `years` make up `org`'s figures, a query of
    today's units or {unit id: child id} of a year-end tree."""
    now = [year for year in wanted if year == TODAY]
    past = sorted(year for year in wanted if year != TODAY)
    if past and not dated.reshaped_since(year_end(past[0], today), org.path):
        now, past = now + past, []
    groups = []
    if now:
        groups.append((Organization.unscoped.filter(depth=1, path__startswith=org.path), now))
    for year in past:
        day = tree_day(year, today)
        stood = dated.as_of(org, day)
        if stood is None:
            continue
        states = OrgState.unscoped.filter(holding_on(day), depth=1, path__startswith=stood.path)
        units = {
            unit: parent if org.pk is None else unit
            for unit, parent in states.values_list("org_id", "parent_id")
        }
        groups.append((units, [year]))
    return groups


def _add_units(totals: dict[int, Rows], org: Organization, units, years, today) -> None:
    """Add the rows of `years` of `units` (see _unit_groups) to `totals`, per child."""
    if isinstance(units, dict):
        ids, child_of = list(units), units
        child = _province_of(units) if org.pk is None else F("unit_id")
    else:
        ids, child_of = list(units.values_list("pk", flat=True)), None
        child = F("unit__parent_id" if org.pk is None else "unit_id")
    if not ids:
        return
    # The ids as lists (a few hundred units): as subqueries, the planner expected one counted
    # unit and scanned every organisation (90 ms for a province after its reorganisation).
    complete = [
        pk
        for chunk in chunks(ids)
        for pk in _complete(chunk, years).values_list("unit_id", flat=True)
    ]
    for chunk in chunks(complete):
        rows = (
            UnitTally.objects.filter(unit_id__in=chunk, year__in=years)
            .values_list(child, "year", "figure", "value")
            .order_by()
            .annotate(n=Sum("count"))
        )
        for child_pk, year, figure, value, count in rows:
            totals.setdefault(child_pk, Counter())[year, figure, value] += count
    counted_years = [year for year in years if year != TODAY]
    done = set(complete)
    others = Organization.unscoped.filter(pk__in=[pk for pk in ids if pk not in done])
    for unit in others:
        if child_of is not None:
            child_pk = child_of[unit.pk]
        else:
            child_pk = unit.parent_id if org.pk is None else unit.pk
        counted = unit_rows(unit, counted_years, today, with_today=TODAY in years)
        totals.setdefault(child_pk, Counter()).update(
            {key: count for key, count in counted.items() if key[0] in years}
        )


def _province_of(units: dict[int, int]) -> Case:
    """The province each unit stood under that day ({unit id: province id}), as SQL."""
    by_province: dict[int, list[int]] = {}
    for unit, province in units.items():
        by_province.setdefault(province, []).append(unit)
    return Case(
        *(When(unit_id__in=ids, then=Value(pk)) for pk, ids in by_province.items()),
        output_field=IntegerField(),
    )


def ready_for(org: Organization) -> bool:
    """Whether reports of `org` add up unit tallies: the tree's top organisations (provinces)
    and the whole Party."""
    return org.pk is None or org.depth == 0
