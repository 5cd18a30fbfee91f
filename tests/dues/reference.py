"""The dues report and reconciliation as they were computed before the stored summary
(dues/tally.py): one grouped query a month over the placements, the bases looked up per member,
the payments by today's branch paths. The tests compare the report built from the summary with
these on varied data (a tree nobody reshaped since, where both must agree to the đồng)."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dangvien.core.rules import RuleBook
from dangvien.dues.models import DuesPayment, DuesRemittance
from dangvien.dues.rates import DuesRules, basis_annotations, due_expression, months_of
from dangvien.dues.remittances import RemitRow, _share, keep_percent
from dangvien.dues.report import DuesReport, UnitRow, total_of
from dangvien.dues.selectors import (
    _active_below,
    _in_party,
    _overlapping,
    _unpaid_counts,
    flag_threshold,
)
from dangvien.members.models import Placement
from dangvien.organizations.models import Organization, OrgKind, children_filter
from dangvien.reports.membership import child_of


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


def reference_report(org: Organization, year: int, month: int | None = None) -> DuesReport:
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
    return DuesReport(org, year, month, ordered, total_of(ordered))


def _collected_by_branch(org: Organization, month: datetime.date) -> dict[int, int]:
    rows = (
        DuesPayment.unscoped.filter(
            branch_path__startswith=org.path, month=month, annulled_at__isnull=True
        )
        .values("branch_id")
        .order_by()
        .annotate(total=Sum("amount"))
    )
    return {row["branch_id"]: row["total"] for row in rows}


def remittance_row(org: Organization, month: datetime.date, book: RuleBook) -> RemitRow:
    """What `org` collected or received for `month`, keeps, has to remit upward and remitted."""
    rules = DuesRules.on(month, book)
    by_branch = _collected_by_branch(org, month)
    collected = sum(by_branch.values())
    if org.kind == OrgKind.SUB_BRANCH or org.kind == OrgKind.BASE_BRANCH:
        received = collected
    elif org.kind == OrgKind.BASE_COMMITTEE or org.kind == OrgKind.PARTIAL_COMMITTEE:
        branches = Organization.unscoped.in_bulk(list(by_branch))
        received = sum(
            amount - _share(amount, keep_percent(branches[pk], rules))
            for pk, amount in by_branch.items()
        )
    else:
        received = collected  # [U] upper levels: shown, the split above the base is not set
    keep = 0 if org.kind == OrgKind.PARTIAL_COMMITTEE else keep_percent(org, rules)
    to_remit = received - _share(received, keep) if keep < 100 else 0
    remitted = DuesRemittance.unscoped.filter(
        organization=org, month=month, annulled_at__isnull=True
    ).aggregate(s=Coalesce(Sum("amount"), 0))["s"]
    return RemitRow(month, collected, received, keep, to_remit, remitted)


def reference_remittances(org: Organization, year: int) -> list[RemitRow]:
    book = RuleBook.load()
    return [remittance_row(org, month, book) for month in months_of(year)]
