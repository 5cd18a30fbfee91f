"""Demo data of party dues, so the pages are filled: the demo secretary's school branch
(SH.HB.01.01, whose treasurer account «thuquy» collects) and the member account's record with
their bases from January of last year (salaries, a pensioner, a voluntary higher amount approved
by the upper committee, one exempt), every month paid up to last month, in cash or through the
portal, but one member's last three months (the art. 8 flag), and half the branch this month;
the branch's share remitted for last month. Bulk inserts: a few hundred rows."""

import datetime

from dangvien.core.rules import RuleBook
from dangvien.dues import tally
from dangvien.dues.models import Category, Channel, DuesBasis, DuesPayment, DuesRemittance
from dangvien.dues.rates import DuesRules, month_start
from dangvien.dues.remittances import keep_percent
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization

SCHOOL_BRANCH = "SH.HB.01.01"
FLAGGED_INDEX = 1  # the member who left three months unpaid


def _next(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _skipped(today: datetime.date) -> set[datetime.date]:
    """Three unpaid months of one calendar year, over by today: this year's last three when
    three are over, else October to December of last year."""
    if today.month >= 4:
        return {datetime.date(today.year, today.month - n, 1) for n in (1, 2, 3)}
    return {datetime.date(today.year - 1, month, 1) for month in (10, 11, 12)}


def _basis(index: int, member: Member, start: datetime.date) -> DuesBasis:
    base = 5_000_000 + (index * 1_370_000) % 9_000_000
    basis = DuesBasis(member=member, from_month=start, category=Category.SALARY, base_amount=base)
    if index == 3:
        basis.category, basis.base_amount = Category.PENSION, 7_200_000
    elif index == 5:
        basis.voluntary_amount = 200_000
        basis.approval_number = "125-CV/ĐU"
        basis.approval_body = "Đảng ủy Trường THPT Hòa Bình"
        basis.approved_on = start
    elif index == 8:
        basis.category, basis.base_amount = Category.EXEMPT, 0
        basis.note = "Hoàn cảnh đặc biệt khó khăn, chi bộ đề nghị miễn (demo)."
    return basis


def demo_members(branch: Organization | None = None) -> list[Member]:
    """The school branch's members the demo gives dues to (the import examples name them)."""
    branch = branch or Organization.unscoped.filter(code=SCHOOL_BRANCH).first()
    if branch is None:
        return []
    return list(
        Member.unscoped.filter(branch=branch, status__in=ACTIVE_STATUSES).order_by("code")[:24]
    )


def load(today: datetime.date) -> None:
    branch = Organization.unscoped.filter(code=SCHOOL_BRANCH).first()
    if branch is None:
        return
    members = demo_members(branch)
    own = Member.unscoped.filter(user__username="dangvien").select_related("branch").first()
    if own is not None:
        members.append(own)
    book = RuleBook.load()
    first = datetime.date(today.year - 1, 1, 1)
    this_month = month_start(today)
    skipped = _skipped(today)
    bases, payments = [], []
    collected: dict[datetime.date, int] = {}
    for index, member in enumerate(members):
        start = max(first, month_start(member.admitted_on))
        basis = _basis(index, member, start)
        bases.append(basis)
        if basis.category == Category.EXEMPT:
            continue
        month = start
        while month <= this_month:
            unpaid = (index == FLAGGED_INDEX and month in skipped) or (
                month == this_month and index % 2
            )
            if not unpaid:
                amount = DuesRules.on(month, book).due(
                    basis.category, basis.base_amount, basis.voluntary_amount
                )
                portal = (index + month.month) % 3 == 0
                paid_on = min(today, month + datetime.timedelta(days=9))
                payments.append(
                    DuesPayment(
                        member=member,
                        month=month,
                        branch=member.branch,
                        branch_path=member.branch.path,
                        amount=amount,
                        channel=Channel.PORTAL if portal else Channel.CASH,
                        reference=f"DVC{month:%Y%m}{member.pk:05d}" if portal else "",
                        paid_on=paid_on,
                    )
                )
                if member.branch_id == branch.pk:
                    collected[month] = collected.get(month, 0) + amount
            month = _next(month)
    DuesBasis.unscoped.bulk_create(bases)
    DuesPayment.unscoped.bulk_create(payments)
    # Bulk writes send no signal: the report's summary of the built years is counted again.
    tally.refresh_members([member.pk for member in members])
    last_month = month_start(this_month - datetime.timedelta(days=1))
    if collected.get(last_month):
        keep = keep_percent(branch, DuesRules.on(last_month, book))
        amount = collected[last_month] - (collected[last_month] * keep + 50) // 100
        DuesRemittance.unscoped.create(
            organization=branch,
            org_path=branch.path,
            month=last_month,
            amount=amount,
            remitted_on=min(today, last_month + datetime.timedelta(days=40)),
            reference=f"PC-{last_month:%m%Y}",
        )
