"""The dues report of a subtree for a month or a year (issue 17): due and collected by direct
child, with the members flagged under art. 8 by child; JSON-free, the page and the xlsx export
render it.

It adds up the stored branch-month summary (dues/tally.py: the same figures as counting the
placements, bases and payments each time, kept exact by every write), grouped by each branch's
path as it stood in the month (organizations/dated.py), so that a later move, merger or transfer
never changes a past report: one grouped query for the period while nothing reshaped the tree
below the organisation since, else one a month over the states of that month."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from dangvien.dues.models import (
    DuesMonthMover,
    DuesMonthTally,
    DuesOwedMonth,
    DuesOwedYear,
    DuesYearTally,
)
from dangvien.dues.rates import month_end, months_of
from dangvien.dues.selectors import counted_months, flag_threshold
from dangvien.dues.tally import ensure_year
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations import dated
from dangvien.organizations.models import Organization
from dangvien.reports.membership import active_children, as_it_stood, child_of


@dataclass
class UnitRow:
    org: Organization | None  # None: the organisation itself (a branch)
    members: int = 0
    undeclared: int = 0
    due: int = 0
    collected: int = 0
    payments: int = 0
    flagged: int = 0

    @property
    def percent(self) -> int | None:
        return round(self.collected * 100 / self.due) if self.due else None

    @property
    def name(self) -> str:
        return self.org.name if self.org else "Trực tiếp"


@dataclass
class DuesReport:
    org: Organization
    year: int
    month: int | None
    rows: list[UnitRow]
    total: UnitRow

    @property
    def period(self) -> str:
        return f"tháng {self.month:02d}/{self.year}" if self.month else f"năm {self.year}"


def _months(year: int, month: int | None) -> list[datetime.date]:
    return [datetime.date(year, month, 1)] if month else months_of(year)


def _day_of(month: datetime.date, today: datetime.date) -> datetime.date:
    """The day whose tree a month is grouped by: its last, or today for the month under way."""
    return min(month_end(month), today)


@dataclass
class _Month:
    """One month's figures of one child."""

    members: int = 0
    undeclared: int = 0
    due: int = 0
    collected: int = 0
    payments: int = 0


def _key(child: str | None) -> str | None:
    return child or None


def _grouped(org: Organization, placed) -> dict:
    """(month, child of `org`) → _Month over the tally and the movers placed by `placed`."""
    figures: dict[tuple, _Month] = {}
    tallies = (
        placed(DuesMonthTally.objects.all())
        .values("month", child=child_of("placed_path", org))
        .order_by()
        .annotate(
            members=Sum("members"),
            undeclared=Sum("undeclared"),
            due=Sum("due"),
            collected=Sum("collected"),
            payments=Sum("payments"),
        )
    )
    for row in tallies:
        figures[(row["month"], _key(row["child"]))] = _Month(
            row["members"], row["undeclared"], row["due"], row["collected"], row["payments"]
        )
    _add_movers(figures, org, placed)
    return figures


def _add_movers(figures: dict, org: Organization, placed) -> None:
    """A member placed in two branches of one child in a month counts once there."""
    movers = (
        placed(DuesMonthMover.objects.all())
        .values("month", child=child_of("placed_path", org))
        .order_by()
        .annotate(
            n=Count("member_id", distinct=True),
            undeclared_n=Count("member_id", distinct=True, filter=Q(undeclared=True)),
        )
    )
    for row in movers:
        found = figures.setdefault((row["month"], _key(row["child"])), _Month())
        found.members += row["n"]
        found.undeclared += row["undeclared_n"]


def _grouped_year(org: Organization, year: int, placed) -> dict:
    """The same as `_grouped` for a whole year below `org` while nothing reshaped the tree
    since its start: one row a branch (`DuesYearTally`), its months' members side by side."""
    months = months_of(year)
    sums = {f"m{month.month}": Sum(f"members_{month.month:02d}") for month in months}
    sums |= {f"u{month.month}": Sum(f"undeclared_{month.month:02d}") for month in months}
    rows = (
        DuesYearTally.objects.filter(year=year, branch_path__startswith=org.path)
        .values(child=child_of("branch_path", org))
        .order_by()
        .annotate(**sums, due=Sum("due"), collected=Sum("collected"), payments=Sum("payments"))
    )
    figures: dict[tuple, _Month] = {}
    for row in rows:
        key = _key(row["child"])
        for month in months:
            figures[(month, key)] = _Month(row[f"m{month.month}"], row[f"u{month.month}"])
        # The year's sums once, on its first month (the report adds the months up).
        first = figures[(months[0], key)]
        first.due, first.collected, first.payments = row["due"], row["collected"], row["payments"]
    _add_movers(figures, org, placed)
    return figures


def _unreshaped(org: Organization, months: list[datetime.date]) -> bool:
    """Whether nothing reshaped the tree below `org` since the first month: today's path
    copies are then every month's."""
    first = _day_of(months[0], timezone.localdate())
    stood = dated.as_of(org, first)
    return stood is not None and not dated.reshaped_since(first, stood.path)


def placings(org: Organization, months: list[datetime.date]) -> list[tuple]:
    """How to place summary rows (`DuesMonthTally`, `DuesMonthMover`) of these months in the
    tree as it stood in each: (the organisation as it stood, its months, a function giving a
    queryset of those rows within it, with `placed_path`, the branch's path then). One entry
    for the period while nothing reshaped the tree below `org` since its first month, else
    one a month (none for a month the organisation did not exist)."""
    today = timezone.localdate()
    if _unreshaped(org, months):

        def current(queryset):
            return queryset.filter(month__in=months, branch_path__startswith=org.path).alias(
                placed_path=F("branch_path")
            )

        return [(org, months, current)]
    found = []
    for month in months:
        day = _day_of(month, today)
        stood = dated.as_of(org, day)
        if stood is None:
            continue

        def then(queryset, day=day, stood=stood, month=month):
            rows = dated.placed(
                queryset.filter(month=month),
                "branch",
                day,
                path="branch_path",
                within=stood.path,
                since=month,
            )
            return rows.filter(placed_path__startswith=stood.path)

        found.append((stood, [month], then))
    return found


def _flagged_by_child(
    org: Organization, year: int, day: datetime.date, *, current: bool = False
) -> dict:
    """Active members with at least `dues_unpaid_months_flag` months owed in the year's months
    that are over (Điều lệ Đảng Điều 8; R5.2), by the child holding their branch on `day`: the
    months owed grouped per member on the path index first, the few reaching the threshold then
    checked for their status."""
    counted = counted_months(year)
    if not counted:
        return {}
    threshold = flag_threshold(year)

    def placed(queryset):
        if current:  # nothing reshaped below `org` since the period began: today's copies
            rows = queryset.alias(placed_path=F("branch_path"))
        else:
            rows = dated.placed(queryset, "branch", day, path="branch_path", within=org.path)
        return rows.filter(placed_path__startswith=org.path)

    if len(counted) == 12:  # the year is over: its count per member is kept
        over = DuesOwedYear.objects.filter(
            year=year, months__gte=threshold, member__status__in=ACTIVE_STATUSES
        )
        rows = (
            placed(over)
            .values(child=child_of("placed_path", org))
            .order_by()
            .annotate(n=Count("member_id"))
        )
        return {_key(row["child"]): row["n"] for row in rows}
    rows = (
        placed(DuesOwedMonth.objects.filter(month__in=counted))
        .values("member_id", child=child_of("placed_path", org))
        .order_by()
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
    )
    found = {row["member_id"]: _key(row["child"]) for row in rows}
    active = Member.unscoped.filter(pk__in=list(found), status__in=ACTIVE_STATUSES)
    flagged: dict[str | None, int] = {}
    for pk in active.values_list("pk", flat=True):
        flagged[found[pk]] = flagged.get(found[pk], 0) + 1
    return flagged


def dues_report(org: Organization, year: int, month: int | None = None) -> DuesReport:
    """Due and collected by direct child of `org` for a month or a year (the province sees
    collected vs due by unit), by the tree as it stood in each month; the children listed are
    those of the period's end (or today's, for the period under way)."""
    ensure_year(year)
    today = timezone.localdate()
    months = _months(year, month)
    end = _day_of(months[-1], today)
    with dated.one_reading():
        stood = as_it_stood(org, end)
        rows: dict[str | None, UnitRow] = {
            str(child.pk): UnitRow(child) for child in active_children(org, end)
        }

        def row_of(key: str | None) -> UnitRow:
            """The row of a child (one ended within the period is looked up once)."""
            if key not in rows:
                rows[key] = UnitRow(Organization.unscoped.get(pk=int(key)) if key else None)
            return rows[key]

        figures = {}
        entries = placings(org, months)
        current = len(entries) == 1 and entries[0][0] is org
        if month is None and current:
            figures = _grouped_year(org, year, entries[0][2])
        else:
            for stood_then, _months_then, placed in entries:
                figures.update(_grouped(stood_then, placed))
        for (_month, key), found in sorted(figures.items(), key=lambda item: item[0][0]):
            row = row_of(key)
            row.due += found.due
            row.collected += found.collected
            row.payments += found.payments
            row.undeclared = max(row.undeclared, found.undeclared)
            row.members = max(row.members, found.members)
        for key, n in _flagged_by_child(stood, year, end, current=current).items():
            if key in rows:
                rows[key].flagged += n
    ordered = [rows[key] for key in rows]
    return DuesReport(stood, year, month, ordered, total_of(ordered))


def total_of(rows: list[UnitRow]) -> UnitRow:
    """The rows added up (the report's last line)."""
    total = UnitRow(None)
    for row in rows:
        for name in ("members", "undeclared", "due", "collected", "payments", "flagged"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total
