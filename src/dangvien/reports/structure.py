"""The structure report (báo cáo cơ cấu đảng viên) of an organisation and everything below it.

How many members the subtree has on a date, official or probationary, how they break down by
gender, qualification, political theory, ethnicity, religion and age, which organisations it
holds, and its base organisations by sector (loại hình). Every figure is an aggregate computed by
the database over the indexed paths (`Member.branch_path`, `Organization.path`): no member row is
loaded into Python.

The tree is read as it stood on the report's date (organizations/dated.py): the organisation's
name and path then, its children then, the organisations below it then, and each member's branch
on that date from `Placement`, placed by that branch's state on the day (formats.md, "Report
JSON": a report for 2016 gives the same figures after any later move).

This module holds the report itself: its dataclasses, the totals, breakdowns, organisations and
children it shows, read from the records or from the unit tallies (tallies.py). Who belonged to
the subtree on the day is reports/membership.py, shared with the other reports (its functions are
still imported from here).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangvien.members.models import QUALIFICATIONS, THEORY_LEVELS, Gender, Member
from dangvien.organizations import dated
from dangvien.organizations.models import (
    BASE_KINDS,
    Organization,
    OrgKind,
    Sector,
    kind_label,
)
from dangvien.reports import tallies
from dangvien.reports.membership import (
    active_children,
    as_it_stood,
    child_id,
    members_by_branch,
    members_on,
    uses_placements,
)

# Who belonged to the subtree on the day (reports/membership.py), still imported from here by
# reports.quality, reports.tallies, admissions.candidates.selectors and the tests.
from dangvien.reports.membership import alive_on as alive_on
from dangvien.reports.membership import child_of as child_of
from dangvien.reports.membership import member_counts_by_branch as member_counts_by_branch
from dangvien.reports.membership import members_by_child as members_by_child
from dangvien.reports.membership import placements_on as placements_on
from dangvien.reports.transfers import TransferFigures, transfer_figures

UNKNOWN = "Chưa rõ"
# The kinds counted in "organizations", in the order of formats.md.
ORGANIZATION_KINDS = (
    OrgKind.UPPER,
    OrgKind.BASE_COMMITTEE,
    OrgKind.BASE_BRANCH,
    OrgKind.PARTIAL_COMMITTEE,
    OrgKind.SUB_BRANCH,
)
# The key of the base organisations whose sector is not recorded, after the sectors' own slugs.
NO_SECTOR = "chua_ghi"
NO_SECTOR_LABEL = "Chưa ghi loại hình"
BREAKDOWN_TITLES = {
    "gioi_tinh": "Giới tính",
    "chuyen_mon": "Trình độ chuyên môn",
    "ly_luan_chinh_tri": "Lý luận chính trị",
    "dan_toc": "Dân tộc",
    "ton_giao": "Tôn giáo",
    "do_tuoi": "Độ tuổi",
}
# Breakdowns grouped by a field of the record: (field, catalogue values shown first, in order).
GROUPED_BREAKDOWNS = {
    "chuyen_mon": ("qualification", QUALIFICATIONS),
    "ly_luan_chinh_tri": ("political_theory", THEORY_LEVELS),
    "dan_toc": ("ethnicity", []),
    "ton_giao": ("religion", []),
}
# Age in whole years on the report date: (label, lowest age, highest age).
AGE_BANDS = (
    ("≤30", None, 30),
    ("31-40", 31, 40),
    ("41-50", 41, 50),
    ("51-60", 51, 60),
    ("61-70", 61, 70),
    (">70", 71, None),
)


@dataclass(frozen=True)
class ChildCount:
    """Members on the report date in the subtree of one direct child of the reported org."""

    code: str
    name: str
    kind: str
    members: int
    official: int

    @property
    def probationary(self) -> int:
        return self.members - self.official

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class StructureReport:
    org_code: str
    org_name: str
    org_kind: str
    as_of: datetime.date
    members: int
    official: int
    probationary: int
    organizations: dict[str, int]
    breakdown: dict[str, dict[str, int]]
    children: list[ChildCount]
    base_by_sector: dict[str, int]  # every sector slug in Sector order, then NO_SECTOR
    transfers: TransferFigures  # from 01/01 of the year of `as_of` to `as_of`

    @property
    def org_kind_label(self) -> str:
        return kind_label(self.org_kind)


def structure_report(
    org: Organization, as_of: datetime.date | None = None, **options
) -> StructureReport:
    """The structure of `org`'s subtree on `as_of` (default today): see _build."""
    with dated.one_reading():
        return _build(org, as_of, **options)


def _build(
    org: Organization,
    as_of: datetime.date | None = None,
    *,
    from_placements: bool | None = None,
    from_tallies: bool | None = None,
) -> StructureReport:
    """The structure of `org`'s subtree on `as_of` (default today).

    A past date reads each member's branch from the placements; today (or later) the indexed
    current branch path and status are enough, and a province or the whole Party adds up the
    counts kept per unit (tallies.py). `from_placements` and `from_tallies` force one way or
    the other; every way gives the same figures.
    """
    as_of = as_of or timezone.localdate()
    org = as_it_stood(org, as_of)
    members = members_on(org, as_of, from_placements=from_placements)
    key = _tally_key(org, as_of, from_placements, from_tallies)
    if key is not None:
        totals, grouped, by_child = _tallied(org, as_of, members, key)
    else:
        totals = _totals(members, as_of)
        grouped = {field: _counts(members, field) for field, _ in GROUPED_BREAKDOWNS.values()}
        by_child = _by_child(org, members_by_branch(org, as_of, from_placements=from_placements))
    breakdown = {
        "gioi_tinh": {gender.value: totals[f"gender_{i}"] for i, gender in enumerate(Gender)},
        **{
            key: catalogue_order(grouped[field], known)
            for key, (field, known) in GROUPED_BREAKDOWNS.items()
        },
        "do_tuoi": {label: totals[f"age_{i}"] for i, (label, _, _) in enumerate(AGE_BANDS)},
    }
    organizations, base_by_sector = _organizations(org, as_of)
    return StructureReport(
        org_code=org.code,
        org_name=org.name,
        org_kind=org.kind,
        as_of=as_of,
        members=totals["members"],
        official=totals["official"],
        probationary=totals["members"] - totals["official"],
        organizations=organizations,
        breakdown={key: breakdown[key] for key in BREAKDOWN_TITLES},
        children=_children(org, as_of, by_child),
        base_by_sector=base_by_sector,
        transfers=transfer_figures(org, as_of),
    )


def _tally_key(
    org: Organization, as_of: datetime.date, from_placements, from_tallies
) -> int | None:
    """Which rows of the unit tallies answer a report of a province or the whole Party on
    `as_of`: today's (TODAY) for today or later, a year's for the 31/12 of a past year they
    count (tallies.counted_years); None: count from the records."""
    if not (tallies.ready_for(org) if from_tallies is None else from_tallies):
        return None
    if not uses_placements(as_of, from_placements):
        return tallies.TODAY
    year_end = (as_of.month, as_of.day) == (12, 31)
    if from_placements is None and year_end and as_of.year in tallies.counted_years():
        return as_of.year
    return None


def _tallied(
    org: Organization, as_of: datetime.date, members: QuerySet[Member], key: int
) -> tuple[dict[str, int], dict[str, dict[str, int]], dict[int, list[int]]]:
    """The totals, grouped counts and per-child counts of _totals, _counts and _by_child, from
    the unit tallies of `key` (today's, which hold on any later date since no record has a
    future date, or a past year's 31/12): the age bands add up birth years, and count the
    members born in each band's boundary year before its cut-off day from the records (none
    to count when the cut-off is a 31/12: the whole year is in)."""
    per_child = tallies.figures(org, [key], timezone.localdate())
    total = tallies.summed(per_child)
    totals = {"members": total[key, "members", ""], "official": total[key, "official", ""]}
    for index, gender in enumerate(Gender):
        totals[f"gender_{index}"] = total[key, "gender", gender.value]
    born = {
        int(value): n
        for (year, figure, value), n in total.items()
        if year == key and figure == "birth_year"
    }
    # A band [low, high] holds those born on or before the day `low` years before `as_of`,
    # less those born on or before the day `high` + 1 years before it.
    ages = {age for _, low, high in AGE_BANDS for age in (low, high and high + 1) if age}
    cut_off = {age: _years_before(as_of, age) for age in ages}
    # One range per boundary year (an index-only range scan each on PostgreSQL).
    in_boundary_years = {
        age: born.get(day.year, 0)
        if (day.month, day.day) == (12, 31)
        else members.filter(
            birth_date__gte=datetime.date(day.year, 1, 1), birth_date__lte=day
        ).count()
        for age, day in cut_off.items()
    }

    def born_by(age: int | None) -> int:
        if age is None:
            return totals["members"]
        year = cut_off[age].year
        earlier = sum(count for born_in, count in born.items() if born_in < year)
        return earlier + in_boundary_years[age]

    for index, (_label, low, high) in enumerate(AGE_BANDS):
        totals[f"age_{index}"] = born_by(low) - (0 if high is None else born_by(high + 1))
    grouped = {
        field: _labelled(
            (value, count)
            for (year, name, value), count in total.items()
            if year == key and name == field
        )
        for field, _ in GROUPED_BREAKDOWNS.values()
    }
    by_child = {
        pk: [counts[key, "members", ""], counts[key, "official", ""]]
        for pk, counts in per_child.items()
    }
    return totals, grouped, by_child


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29/02 becomes 28/02 in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _age_between(low: int | None, high: int | None, as_of: datetime.date) -> Q:
    """Age in whole years on `as_of` within [low, high], as conditions on the birth date."""
    condition = Q()
    if low is not None:
        condition &= Q(birth_date__lte=_years_before(as_of, low))
    if high is not None:
        condition &= Q(birth_date__gt=_years_before(as_of, high + 1))
    return condition


def _totals(members: QuerySet[Member], as_of: datetime.date) -> dict[str, int]:
    """Members, official members, genders and age bands: one aggregate query."""
    aggregates = {
        "members": Count("pk"),
        "official": Count("pk", filter=Q(official_on__lte=as_of)),
    }
    for index, gender in enumerate(Gender):
        aggregates[f"gender_{index}"] = Count("pk", filter=Q(gender=gender.value))
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        aggregates[f"age_{index}"] = Count("pk", filter=_age_between(low, high, as_of))
    return members.order_by().aggregate(**aggregates)


def _counts(members: QuerySet[Member], field: str) -> dict[str, int]:
    """Counts by the stored value of `field` (empty → "Chưa rõ")."""
    rows = members.values(field).order_by(field).annotate(n=Count("pk"))
    return _labelled((row[field], row["n"]) for row in rows)


def _labelled(counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """(stored value, count) pairs by label: an empty value counts as "Chưa rõ"."""
    labelled: dict[str, int] = {}
    for value, count in counts:
        label = value or UNKNOWN
        labelled[label] = labelled.get(label, 0) + count
    return labelled


def catalogue_order(counts: dict[str, int], known: list[str]) -> dict[str, int]:
    """The catalogue values first, in order, then the others by count, "Chưa rõ" last."""
    ordered = [value for value in known if value in counts]
    others = sorted(
        (value for value in counts if value not in known and value != UNKNOWN),
        key=lambda value: (-counts[value], value),
    )
    if UNKNOWN in counts:
        others.append(UNKNOWN)
    return {value: counts[value] for value in ordered + others}


def _organizations(
    org: Organization, as_of: datetime.date
) -> tuple[dict[str, int], dict[str, int]]:
    """Organisations strictly below `org` on `as_of` by kind, and the base organisations among
    them by sector (blank → NO_SECTOR), as they stood then: one query on the states' path,
    grouped by kind and sector."""
    by_kind = {kind.value: 0 for kind in ORGANIZATION_KINDS}
    by_sector = {**{sector.value: 0 for sector in Sector}, NO_SECTOR: 0}
    day = min(as_of, timezone.localdate())
    rows = (
        dated.states_below(org.path, day)
        .values("kind", "sector")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in rows:
        if row["kind"] in by_kind:
            by_kind[row["kind"]] += row["n"]
        if row["kind"] in BASE_KINDS:
            by_sector[row["sector"] or NO_SECTOR] += row["n"]
    return by_kind, by_sector


def sector_label(slug: str) -> str:
    """The Vietnamese name of a sector slug of `base_by_sector`."""
    return NO_SECTOR_LABEL if slug == NO_SECTOR else Sector(slug).label


def _by_child(org: Organization, by_branch: QuerySet) -> dict[int, list[int]]:
    """Members and official members per direct child, summed from the per-branch counts."""
    totals: dict[int, list[int]] = {}
    for row in by_branch:
        child = child_id(org, row["path"])
        if child is None:
            continue  # `org` is itself the branch
        counts = totals.setdefault(child, [0, 0])
        counts[0] += row["members"]
        counts[1] += row["official"]
    return totals


def _children(
    org: Organization, as_of: datetime.date, totals: dict[int, list[int]]
) -> list[ChildCount]:
    """The direct children active on `as_of` with their members and official members."""
    children = active_children(org, as_of)
    return [
        ChildCount(
            code=child.code,
            name=child.name,
            kind=child.kind,
            members=totals.get(child.pk, [0, 0])[0],
            official=totals.get(child.pk, [0, 0])[1],
        )
        for child in children
    ]
