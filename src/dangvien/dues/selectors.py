"""Reads of party dues shared by the pages, the report, the export and the screening: every
figure is computed in the database (one grouped query a month), never by loading members.

Who is on a branch's sheet for a month: the members whose placement in that branch overlaps the
month (a member who moved during the month is on both sheets; a month is paid once, where the
member paid it). Members exempted from work and party activities (Điều lệ Đảng Điều 8) still pay
dues: the exemption is from activities, not from the duty to pay (QĐ 01-QĐ/TW 2026: «Đóng đảng
phí là nhiệm vụ của đảng viên»). A month counts as unpaid (Điều lệ Đảng Điều 8; R5.2) when it is
over, the member belonged to the Party all or part of it, their dues record had begun (their
first declared basis), they are not in the exempt category, nothing was paid for it and no valid
reason is recorded.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import visible
from dangvien.dues.models import Category, DuesBasis, DuesPayment, DuesRemittance, UnpaidExcuse
from dangvien.dues.rates import (
    DuesRules,
    basis_annotations,
    due_expression,
    month_end,
    months_of,
)
from dangvien.members.models import ACTIVE_STATUSES, Member, Placement
from dangvien.organizations.models import (
    BASE_KINDS,
    Organization,
    OrgKind,
    Sector,
    children_filter,
)
from dangvien.reports.membership import child_of

COMMUNE_SECTORS = (Sector.XA, Sector.PHUONG, Sector.DAC_KHU)


def _overlapping(month: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start__lte": month_end(month)}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": month})
    )


def _in_party(month: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}admitted_on__lte": month_end(month)}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": month})
    )


def counted_months(year: int) -> list[datetime.date]:
    """The months of `year` that are over (today's month is still open)."""
    today = timezone.localdate()
    if year < today.year:
        return months_of(year)
    if year > today.year:
        return []
    return months_of(year, today.month - 1)


def _unpaid_counts(
    where: str, params: list, year: int, *, at_least: int = 1, limit: int | None = None
) -> list[tuple[int, str, int]]:
    """(member id, branch path, unpaid months of `year`) of the members matching `where` (SQL
    on `mem`, the members table) with at least `at_least` unpaid months, most first: one
    statement, the counted months as a VALUES list crossed with the members, each month probed
    through the indexes of bases, payments and valid reasons (see the module). The category in
    force is the latest basis from that month or before; none (the record has not begun) or
    «miễn» does not count."""
    months = counted_months(year)
    if not months:
        return []
    member, basis = Member._meta.db_table, DuesBasis._meta.db_table
    payment, excuse = DuesPayment._meta.db_table, UnpaidExcuse._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(months))
    sql = (
        f"WITH months (first_day, last_day) AS (VALUES {values}) "
        f"SELECT mem.id, mem.branch_path, COUNT(*) FROM {member} mem CROSS JOIN months mo "
        f"WHERE ({where}) AND mem.admitted_on <= mo.last_day "
        "AND (mem.left_on IS NULL OR mem.left_on > mo.first_day) "
        f"AND COALESCE((SELECT b.category FROM {basis} b WHERE b.member_id = mem.id "
        "AND b.annulled_at IS NULL AND b.from_month <= mo.first_day "
        "ORDER BY b.from_month DESC, b.id DESC LIMIT 1), %s) <> %s "
        f"AND NOT EXISTS (SELECT 1 FROM {payment} p WHERE p.member_id = mem.id "
        "AND p.month = mo.first_day AND p.annulled_at IS NULL) "
        f"AND NOT EXISTS (SELECT 1 FROM {excuse} e WHERE e.member_id = mem.id "
        "AND e.month = mo.first_day AND e.annulled_at IS NULL) "
        "GROUP BY mem.id, mem.branch_path, mem.sort_key HAVING COUNT(*) >= %s "
        "ORDER BY COUNT(*) DESC, mem.sort_key, mem.id"
    )
    arguments = [day for month in months for day in (month, month_end(month))]
    arguments += [*params, Category.EXEMPT.value, Category.EXEMPT.value, at_least]
    if limit is not None:
        sql += " LIMIT %s"
        arguments.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


def _active_below(org: Organization) -> tuple[str, list]:
    statuses = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    return (
        f"mem.branch_path LIKE %s AND mem.status IN ({statuses})",
        [f"{org.path}%", *(status.value for status in ACTIVE_STATUSES)],
    )


def unpaid_by_member(ids: list[int], year: int) -> dict[int, int]:
    """The unpaid months of `year` of these members (those with none left out)."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    return {pk: n for pk, _path, n in _unpaid_counts(f"mem.id IN ({marks})", list(ids), year)}


def flag_threshold(year: int) -> int:
    """Art. 8's months (rule `dues_unpaid_months_flag`) in the set in force at the year's end."""
    return RuleBook.load().value("dues_unpaid_months_flag", datetime.date(year, 12, 1))


def member_unpaid_months(member: Member, year: int) -> int:
    """How many months of `year` the member left unpaid without a valid reason (R5.2)."""
    return unpaid_by_member([member.pk], year).get(member.pk, 0)


@dataclass(frozen=True)
class UnpaidFlag:
    member: Member
    months_unpaid: int


def unpaid_flags(org: Organization, year: int, limit: int | None = None) -> list[UnpaidFlag]:
    """Active members of `org`'s subtree with at least `dues_unpaid_months_flag` unpaid months
    in `year` without a valid reason (Điều lệ Đảng Điều 8; R5.2), most months first: for the
    screening (xóa tên) and the dues pages."""
    where, params = _active_below(org)
    counts = _unpaid_counts(where, params, year, at_least=flag_threshold(year), limit=limit)
    members = Member.unscoped.select_related("branch").in_bulk([pk for pk, _, _ in counts])
    return [UnpaidFlag(members[pk], n) for pk, _path, n in counts]


# -- The branch's sheet ---------------------------------------------------------------------------


@dataclass
class SheetRow:
    member: Member
    category: str | None
    base: int | None
    due: int | None
    payment: DuesPayment | None
    excuse: UnpaidExcuse | None
    unpaid_in_year: int
    flagged: bool
    token: str = ""

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else "Chưa khai báo"

    @property
    def owed(self) -> int:
        if self.due is None:
            return 0
        return max(0, self.due - (self.payment.amount if self.payment else 0))


@dataclass
class Sheet:
    branch: Organization
    month: datetime.date
    rules: DuesRules
    rows: list[SheetRow]
    threshold: int
    totals: dict = field(default_factory=dict)


def sheet_members(branch: Organization, month: datetime.date) -> QuerySet[Member]:
    placed = Placement.objects.filter(_overlapping(month), branch=branch)
    return Member.unscoped.filter(_in_party(month), pk__in=placed.values("member_id"))


def sheet(branch: Organization, month: datetime.date) -> Sheet:
    """The collection sheet of `branch` for `month`: each member's category, amount due,
    payment, and unpaid months in the year (the art. 8 flag)."""
    from dangvien.core import versions

    rules = DuesRules.on(month)
    members = list(
        sheet_members(branch, month)
        .annotate(**basis_annotations(month))
        .annotate(dues_due=due_expression(rules))
        .order_by("sort_key", "pk")
    )
    ids = [member.pk for member in members]
    unpaid = unpaid_by_member(ids, month.year)
    payments = {
        p.member_id: p
        for p in DuesPayment.unscoped.filter(
            member_id__in=ids, month=month, annulled_at__isnull=True
        ).select_related("branch", "created_by")
    }
    excuses = {
        e.member_id: e
        for e in UnpaidExcuse.unscoped.filter(
            member_id__in=ids, month=month, annulled_at__isnull=True
        )
    }
    tokens = versions.tokens_many(payments.values())
    threshold = flag_threshold(month.year)
    rows = [
        SheetRow(
            member=member,
            category=member.dues_category,
            base=member.dues_base,
            due=member.dues_due,
            payment=payments.get(member.pk),
            excuse=excuses.get(member.pk),
            unpaid_in_year=unpaid.get(member.pk, 0),
            flagged=unpaid.get(member.pk, 0) >= threshold,
            token=tokens.get(payments[member.pk].pk, "") if member.pk in payments else "",
        )
        for member in members
    ]
    totals = {
        "members": len(rows),
        "due": sum(row.due or 0 for row in rows),
        "paid": sum(row.payment.amount for row in rows if row.payment),
        "paid_members": sum(1 for row in rows if row.payment),
        "undeclared": sum(1 for row in rows if row.category is None),
        "flagged": sum(1 for row in rows if row.flagged),
    }
    return Sheet(branch, month, rules, rows, threshold, totals)


# -- Reports by unit ------------------------------------------------------------------------------


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


# -- What each level keeps and remits (R5.5) ------------------------------------------------------


def keep_percent(org: Organization, rules: DuesRules) -> int:
    """The share of dues `org` keeps (QĐ 09-QĐ/TW, HD 724; R5.5): a sub-branch by its base
    organisation's sector, a base organisation by its own."""
    if org.kind == OrgKind.SUB_BRANCH:
        base = (
            Organization.unscoped.filter(
                kind=OrgKind.BASE_COMMITTEE,
            )
            .filter(pk__in=[int(p) for p in org.path.strip("/").split("/")])
            .first()
        )
        commune = base is not None and base.sector in COMMUNE_SECTORS
        return rules[
            "dues_keep_branch_commune_percent" if commune else "dues_keep_branch_other_percent"
        ]
    if org.kind in BASE_KINDS:
        commune = org.sector in COMMUNE_SECTORS
        return rules[
            "dues_keep_base_commune_percent" if commune else "dues_keep_base_other_percent"
        ]
    return 100


def _share(amount: int, percent: int) -> int:
    return (amount * percent + 50) // 100


@dataclass
class RemitRow:
    month: datetime.date
    collected: int  # collected by the organisation's own branches in its subtree
    received: int  # due to reach it from the levels below
    keep_percent: int
    to_remit: int
    remitted: int

    @property
    def difference(self) -> int:
        return self.to_remit - self.remitted


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


def remittances(org: Organization, year: int) -> list[RemitRow]:
    book = RuleBook.load()
    return [remittance_row(org, month, book) for month in months_of(year)]


def remittance_records(org: Organization, year: int) -> QuerySet[DuesRemittance]:
    return DuesRemittance.unscoped.filter(
        organization=org, month__year=year, annulled_at__isnull=True
    ).order_by("month", "id")


# -- The member's own year ------------------------------------------------------------------------


@dataclass
class MemberMonth:
    month: datetime.date
    category: str | None
    due: int | None
    payment: DuesPayment | None
    excused: bool

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else "Chưa khai báo"

    @property
    def owed(self) -> int:
        if self.due is None:
            return 0
        return max(0, self.due - (self.payment.amount if self.payment else 0))


def member_year(member: Member, year: int) -> list[MemberMonth]:
    """Each month of `year` up to now: category, amount due, payment (12 small queries at most:
    one member)."""
    today = timezone.localdate()
    last = 12 if year < today.year else today.month
    book = RuleBook.load()
    payments = {
        p.month: p
        for p in DuesPayment.unscoped.filter(
            member=member, month__year=year, annulled_at__isnull=True
        ).select_related("branch")
    }
    excused = set(
        UnpaidExcuse.unscoped.filter(
            member=member, month__year=year, annulled_at__isnull=True
        ).values_list("month", flat=True)
    )
    rows = []
    for month in months_of(year, last):
        if member.admitted_on > month_end(month):
            continue
        rules = DuesRules.on(month, book)
        found = (
            Member.unscoped.filter(pk=member.pk)
            .annotate(**basis_annotations(month))
            .annotate(dues_due=due_expression(rules))
            .values("dues_category", "dues_due")
            .first()
        )
        rows.append(
            MemberMonth(
                month,
                found["dues_category"],
                found["dues_due"],
                payments.get(month),
                month in excused,
            )
        )
    return rows


def bases_of(member: Member) -> QuerySet[DuesBasis]:
    return DuesBasis.unscoped.filter(member=member).order_by("-from_month", "-id")


def visible_payments(user, capability: str = Capability.VIEW) -> QuerySet[DuesPayment]:
    return visible(user, DuesPayment, capability)
