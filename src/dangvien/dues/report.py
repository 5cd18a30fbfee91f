"""The dues report of a subtree for a month or a year (issue 17): due and collected by direct
child, in SQL over the branch paths (one grouped query a month for the amounts due, one for the
collections), with the members flagged under art. 8 by child; JSON-free, the page and the xlsx
export render it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dangvien.core.rules import RuleBook
from dangvien.dues.models import DuesPayment
from dangvien.dues.rates import DuesRules, basis_annotations, due_expression, months_of
from dangvien.dues.selectors import (
    _active_below,
    _in_party,
    _overlapping,
    _unpaid_counts,
    flag_threshold,
)
from dangvien.members.models import Placement
from dangvien.organizations.models import Organization, children_filter
from dangvien.reports.membership import child_of


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


def due_by_child(org: Organization, month: datetime.date, book: RuleBook) -> dict:
    """Per direct child of `org`: members placed in the month, undeclared, and the sum due."""
    rules = DuesRules.on(month, book)
    placements = (
        Placement.objects.filter(
            _overlapping(month),
            _in_party(month, "member__"),
            branch__path__startswith=org.path,
        )
        .annotate(**basis_annotations(month, "member_id"))
        .annotate(dues_due=due_expression(rules))
        .values(child=child_of("branch__path", org))
        .order_by()
        .annotate(
            members=Count("member_id", distinct=True),
            undeclared=Count("member_id", filter=Q(dues_category__isnull=True), distinct=True),
            due=Coalesce(Sum("dues_due"), 0),
        )
    )
    return {row["child"] or None: row for row in placements}


def dues_report(org: Organization, year: int, month: int | None = None) -> DuesReport:
    """Due and collected by direct child of `org` for a month or a year, in SQL over the
    branch paths (the province sees collected vs due by unit)."""
    book = RuleBook.load()
    children = {
        str(child.pk): child
        for child in Organization.unscoped.filter(
            children_filter(org), ended_on__isnull=True
        ).order_by("sort_key")
    }
    rows: dict[str | None, UnitRow] = {key: UnitRow(child) for key, child in children.items()}

    def row_of(key: str | None) -> UnitRow:
        """The row of a child (an ended one that still has figures is looked up once)."""
        if key not in rows:
            rows[key] = UnitRow(Organization.unscoped.get(pk=int(key)) if key else None)
        return rows[key]

    months = _months(year, month)
    for day in months:
        for key, found in due_by_child(org, day, book).items():
            row = row_of(key)
            row.due += found["due"]
            row.undeclared = max(row.undeclared, found["undeclared"])
            row.members = max(row.members, found["members"])
    collected = (
        DuesPayment.unscoped.filter(
            branch_path__startswith=org.path, month__in=months, annulled_at__isnull=True
        )
        .values(child=child_of("branch_path", org))
        .order_by()
        .annotate(total=Sum("amount"), n=Count("pk"))
    )
    for found in collected:
        key = found["child"] or None
        row = row_of(key)
        row.collected += found["total"]
        row.payments += found["n"]
    # The flagged members are few: counted by child from their paths.
    where, params = _active_below(org)
    for _pk, path, _n in _unpaid_counts(where, params, year, at_least=flag_threshold(year)):
        key = path[len(org.path) :].split("/", 1)[0] or None
        if key in rows:
            rows[key].flagged += 1
    ordered = [rows[key] for key in rows]
    total = UnitRow(None)
    for row in ordered:
        for name in ("members", "undeclared", "due", "collected", "payments", "flagged"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return DuesReport(org, year, month, ordered, total)
