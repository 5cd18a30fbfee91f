"""Adding up the units' rows for a report: stored for clean units, counted for the others."""

import datetime
from collections import Counter

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from dangvien.core.importing import chunks
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import Organization, OrgState
from dangvien.reports.models import DirtyUnit, UnitTally
from dangvien.reports.periods import year_end
from dangvien.reports.tallies.counting import _active_below, tree_day, unit_rows
from dangvien.reports.tallies.units import TODAY, Rows


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


def summed(per_child: dict[int, Rows]) -> Rows:
    """The rows of figures() added up over the children: the figures of the whole scope."""
    total: Rows = Counter()
    for counts in per_child.values():
        total.update(counts)
    return total


def figures(
    org: Organization,
    wanted: list[int],
    today: datetime.date,
    only: tuple[str, ...] = (),
) -> dict[int, Rows]:
    """The rows of the `wanted` years (TODAY for today's members) added up per direct child of
    `org` (`org` as it stood at the end of the last year wanted; a province: its units; the
    whole Party: its provinces): the stored rows of the units counted and clean, the records'
    own counts (unit_rows) for the others. Each year adds up the units of its own year-end tree
    (one query for all years while nothing reshaped `org`'s subtree since the first). With
    `only`, the rows of those figures alone (the quality report reads 3 of the 11 kinds: of
    Hà Nội's 31,751 rows of five years, 2,837)."""
    totals: dict[int, Rows] = {}
    for units, years in _unit_groups(org, wanted, today):
        _add_units(totals, org, units, years, today, only)
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


def _add_units(totals: dict[int, Rows], org: Organization, units, years, today, only) -> None:
    """Add the rows of `years` of `units` (see _unit_groups) to `totals`, per child: of the
    figures `only` names, or all."""
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
        rows = UnitTally.objects.filter(unit_id__in=chunk, year__in=years)
        rows = (
            (rows.filter(figure__in=only) if only else rows)
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
            {
                key: count
                for key, count in counted.items()
                if key[0] in years and (not only or key[1] in only)
            }
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
