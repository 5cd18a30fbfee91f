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
)
from django.utils import timezone

from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import visible
from dangvien.dues.models import (
    Category,
    DuesBasis,
    DuesOwedMonth,
    DuesOwedYear,
    DuesPayment,
    UnpaidExcuse,
)
from dangvien.dues.rates import (
    DuesRules,
    basis_annotations,
    due_expression,
    month_end,
    months_of,
)
from dangvien.members.models import ACTIVE_STATUSES, Member, Placement
from dangvien.organizations.models import (
    Organization,
)


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


def _stored_unpaid_counts(
    org: Organization, year: int, at_least: int, limit: int | None
) -> list[tuple[int, str, int]]:
    """What `_unpaid_counts` gives for the active members below `org`, read from the months
    owed that dues/tally.py keeps (the year built): grouped per member on the path index, the
    few reaching `at_least` then checked for their status and put in order."""
    months = counted_months(year)
    if not months:
        return []
    if len(months) == 12:  # the year is over: its count per member is kept
        counts = {
            pk: (path, n)
            for pk, path, n in DuesOwedYear.objects.filter(
                year=year, months__gte=at_least, branch_path__startswith=org.path
            ).values_list("member_id", "branch_path", "months")
        }
    else:
        counts = {
            row["member_id"]: (row["branch_path"], row["n"])
            for row in DuesOwedMonth.objects.filter(
                branch_path__startswith=org.path, month__in=months
            )
            .values("member_id", "branch_path")
            .order_by()
            .annotate(n=Count("pk"))
            .filter(n__gte=at_least)
        }
    members = Member.unscoped.filter(pk__in=list(counts), status__in=ACTIVE_STATUSES)
    ordered = sorted(
        members.values_list("pk", "sort_key"), key=lambda row: (-counts[row[0]][1], row[1], row[0])
    )
    return [(pk, *counts[pk]) for pk, _key in ordered[:limit]]


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
    from dangvien.dues.tally import built_years

    if year in built_years():
        counts = _stored_unpaid_counts(org, year, flag_threshold(year), limit)
    else:
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


def excuses_of(member: Member) -> QuerySet[UnpaidExcuse]:
    """The valid reasons recorded for the member's unpaid months, newest month first, annulled
    ones kept (with their reason)."""
    return UnpaidExcuse.unscoped.filter(member=member).order_by("-month", "-id")


def bases_of(member: Member) -> QuerySet[DuesBasis]:
    return DuesBasis.unscoped.filter(member=member).order_by("-from_month", "-id")


def visible_payments(user, capability: str = Capability.VIEW) -> QuerySet[DuesPayment]:
    return visible(user, DuesPayment, capability)


def my_section(member: Member, today: datetime.date):
    """The member's dues of the year on their own summary page (issue 17 point 7): paid, still
    owed, months unpaid against the art. 8 threshold; the months in detail at /dues/my/."""
    from dangvien.site.my_sections import Section

    months = member_year(member, today.year)
    return Section(
        key="dues",
        title=f"Đảng phí năm {today.year}",
        template="dues/_my_section.html",
        context={
            "paid": sum(row.payment.amount for row in months if row.payment),
            "owed": sum(row.owed for row in months if row.payment is not None or not row.excused),
            "unpaid": member_unpaid_months(member, today.year),
            "threshold": flag_threshold(today.year),
        },
    )
