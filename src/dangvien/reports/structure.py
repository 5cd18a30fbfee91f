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
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, StrIndex, Substr
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.members.models import (
    ACTIVE_STATUSES,
    QUALIFICATIONS,
    THEORY_LEVELS,
    Gender,
    Member,
    Placement,
)
from dangvien.organizations import dated
from dangvien.organizations.models import (
    BASE_KINDS,
    Organization,
    OrgKind,
    Sector,
    kind_label,
)
from dangvien.reports import tallies
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
    if _use_placements(as_of, from_placements):
        members = _members_on(org, as_of)
    else:
        members = _current_members(org, as_of)
    use_tallies = tallies.ready_for(org) if from_tallies is None else from_tallies
    if use_tallies and not _use_placements(as_of, from_placements):
        totals, grouped, by_child = _tallied(org, as_of, members)
    else:
        totals = _totals(members, as_of)
        grouped = {field: _counts(members, field) for field, _ in GROUPED_BREAKDOWNS.values()}
        by_child = _by_child(org, members_by_branch(org, as_of, from_placements=from_placements))
    breakdown = {
        "gioi_tinh": {gender.value: totals[f"gender_{i}"] for i, gender in enumerate(Gender)},
        **{
            key: _ordered(grouped[field], known)
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


def _tallied(
    org: Organization, as_of: datetime.date, members: QuerySet[Member]
) -> tuple[dict[str, int], dict[str, dict[str, int]], dict[int, list[int]]]:
    """The totals, grouped counts and per-child counts of _totals, _counts and _by_child, from
    the unit tallies: today's counts hold on any later date (no record has a future date); the
    age bands add up birth years, and count the members born in each band's boundary year
    before its cut-off day from the records."""
    per_child = tallies.figures(org, [tallies.TODAY], timezone.localdate())
    total = tallies.summed(per_child)
    today = tallies.TODAY
    totals = {"members": total[today, "members", ""], "official": total[today, "official", ""]}
    for index, gender in enumerate(Gender):
        totals[f"gender_{index}"] = total[today, "gender", gender.value]
    born = {int(value): n for (_, figure, value), n in total.items() if figure == "birth_year"}
    # A band [low, high] holds those born on or before the day `low` years before `as_of`,
    # less those born on or before the day `high` + 1 years before it.
    ages = {age for _, low, high in AGE_BANDS for age in (low, high and high + 1) if age}
    cut_off = {age: _years_before(as_of, age) for age in ages}
    # One range per boundary year (an index-only range scan each on PostgreSQL).
    in_boundary_years = {
        age: members.filter(
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
            (value, count) for (_, name, value), count in total.items() if name == field
        )
        for field, _ in GROUPED_BREAKDOWNS.values()
    }
    by_child = {
        pk: [counts[today, "members", ""], counts[today, "official", ""]]
        for pk, counts in per_child.items()
    }
    return totals, grouped, by_child


def as_it_stood(org: Organization, as_of: datetime.date) -> Organization:
    """`org` as it stood on `as_of` (its name and path then), for a report of that day;
    DomainError saying when it was established or ended when it did not exist then."""
    stood = dated.as_of(org, min(as_of, timezone.localdate()))
    if stood is None:
        raise DomainError(dated.absence(org, as_of) or f"{org.name} không tồn tại vào ngày đó.")
    return stood


def _use_placements(as_of: datetime.date, from_placements: bool | None) -> bool:
    """A past date reads the placements; today or later the current branch is enough."""
    return as_of < timezone.localdate() if from_placements is None else from_placements


def members_by_branch(
    org: Organization, as_of: datetime.date, *, from_placements: bool | None = None
) -> QuerySet:
    """Members and official members on `as_of` per branch path (`path`, `members`,
    `official`) in `org`'s subtree: one grouped query, shared by the reports that count
    members (structure, quality)."""
    if _use_placements(as_of, from_placements):
        return _branches_on(org, as_of)
    return _current_branches(org, as_of)


def member_counts_by_branch(org: Organization, as_of: datetime.date) -> QuerySet:
    """Members on `as_of` per branch path (`path`, `members`) in `org`'s subtree, counted as
    members_by_branch counts them but without the official members, so that a past date needs
    no join with the members' records: placements covering the date, less those of the few
    members admitted after it or gone by then (NOT EXISTS: the database anti-joins the few
    such members of a large subtree, or looks each member of a small one up by key)."""
    if not _use_placements(as_of, None):
        return (
            _current_members(org, as_of)
            .values(path=F("branch_path"))
            .order_by()
            .annotate(members=Count("pk"))
        )
    not_alive = Member.unscoped.filter(
        Q(admitted_on__gt=as_of) | Q(left_on__lte=as_of), pk=OuterRef("member_id")
    )
    return (
        placements_on(org, as_of)
        .exclude(Exists(not_alive))
        .values(path=F("placed_path"))
        .order_by()
        .annotate(members=Count("member_id"))
    )


def child_of(field: str, org: Organization) -> Func:
    """The id of `org`'s direct child cut out of a path column or alias ("/1/7/42/9/" below
    "/1/7/" → "42"; "" for `org` itself): PostgreSQL's split_part, else substrings."""
    if connection.vendor == "postgresql":
        return Func(
            F(field),
            Value("/"),
            Value(org.path.count("/") + 1),
            function="split_part",
            output_field=CharField(),
        )
    rest = Substr(field, len(org.path) + 1)
    return Substr(rest, 1, StrIndex(Concat(rest, Value("/")), Value("/")) - 1)


def child_id(org: Organization, path: str) -> int | None:
    """The id of the direct child of `org` whose subtree holds `path` (None for `org` itself)."""
    below = path[len(org.path) :]
    return int(below.split("/", 1)[0]) if below else None


def active_children(org: Organization, as_of: datetime.date) -> list[Organization]:
    """The direct children of `org` active on `as_of`, as they stood then, in name order."""
    return dated.children_as_of(org, min(as_of, timezone.localdate()))


def alive_on(as_of: datetime.date, prefix: str = "") -> Q:
    """Admitted on or before `as_of` and not left by then (left_on is the first day outside)."""
    return Q(**{f"{prefix}admitted_on__lte": as_of}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": as_of})
    )


def members_by_child(
    org: Organization, as_of: datetime.date, excluded: Callable[[str], Exists]
) -> dict[int | None, int]:
    """The members of `org`'s subtree on `as_of` (those members_on gives) for whom
    `excluded(member_field)` does not hold, per direct child (None: `org` itself is the
    branch): one grouped query, however many children."""
    if _use_placements(as_of, None):
        rows = (
            placements_on(org, as_of)
            .filter(alive_on(as_of, "member__"))
            .exclude(excluded("member_id"))
            .values(child=child_of("placed_path", org))
            .order_by()
            .annotate(n=Count("member_id", distinct=True))
        )
    else:
        rows = (
            _current_members(org, as_of)
            .exclude(excluded("pk"))
            .values(child=child_of("branch_path", org))
            .order_by()
            .annotate(n=Count("pk"))
        )
    return {int(row["child"]) if row["child"] else None: row["n"] for row in rows}


def members_on(org: Organization, as_of: datetime.date) -> QuerySet[Member]:
    """The members of `org`'s subtree on `as_of`, the same ones the counts count: by the
    placements for a past date, by the current branch for today."""
    if _use_placements(as_of, None):
        return _members_on(org, as_of)
    return _current_members(org, as_of)


def _current_members(org: Organization, as_of: datetime.date) -> QuerySet[Member]:
    """Members active now in the subtree: one prefix query on the indexed (branch_path, status)."""
    return Member.unscoped.filter(
        alive_on(as_of), branch_path__startswith=org.path, status__in=ACTIVE_STATUSES
    )


def _current_branches(org: Organization, as_of: datetime.date) -> QuerySet:
    return (
        _current_members(org, as_of)
        .values(path=F("branch_path"))
        .order_by()
        .annotate(members=Count("pk"), official=Count("pk", filter=Q(official_on__lte=as_of)))
    )


def placements_on(org: Organization, as_of: datetime.date) -> QuerySet[Placement]:
    """Placements covering `as_of` (ends are inclusive) in a branch that was in the subtree on
    that day (`org.path` is the path it had then); `placed_path` is that branch's path then."""
    placements = dated.placed(
        Placement.objects, "branch", as_of, path="branch__path", within=org.path
    )
    return placements.filter(placed_path__startswith=org.path, start__lte=as_of).filter(
        Q(end__isnull=True) | Q(end__gte=as_of)
    )


def _members_on(org: Organization, as_of: datetime.date) -> QuerySet[Member]:
    return Member.unscoped.filter(
        alive_on(as_of), pk__in=placements_on(org, as_of).values("member_id")
    )


def _branches_on(org: Organization, as_of: datetime.date) -> QuerySet:
    return (
        placements_on(org, as_of)
        .filter(alive_on(as_of, "member__"))
        .values(path=F("placed_path"))
        .order_by()
        .annotate(
            members=Count("member_id", distinct=True),
            official=Count("member_id", distinct=True, filter=Q(member__official_on__lte=as_of)),
        )
    )


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


def _ordered(counts: dict[str, int], known: list[str]) -> dict[str, int]:
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
