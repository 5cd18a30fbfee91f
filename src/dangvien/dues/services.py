"""Writes of party dues (QĐ 342-QĐ/TW, QĐ 01-QĐ/TW 2026; domain-rules §5): a member's basis,
a month's collection (one month or several paid early or late at once), its correction or
annulment with a reason, a valid reason for a month unpaid, and a remittance upward. Each takes
the acting user (None: the command line), checks scope and rules, runs in one transaction and is
recorded in the history; an edit carries the version it read."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.dues import tally
from dangvien.dues.models import (
    Category,
    Channel,
    DuesBasis,
    DuesPayment,
    DuesRemittance,
    UnpaidExcuse,
)
from dangvien.dues.rates import DuesRules, basis_on, month_start
from dangvien.members.models import Member, Placement
from dangvien.organizations.models import BRANCH_KINDS, Organization

MAX_MONTHS_AT_ONCE = 24  # a payment early or late covers at most two years


def _may(actor, capability: str, path: str) -> None:
    if actor is not None:
        require(actor, capability, path)


def _money(value, label: str, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError(f"{label} phải là số đồng nguyên, không âm.", field=field)
    if value > 10**12:
        raise DomainError(f"{label} quá lớn.", field=field)
    return value


def _not_future(day: datetime.date | None, label: str, field: str) -> None:
    if day is None:
        raise DomainError(f"Ghi {label}.", field=field)
    if day > timezone.localdate():
        raise DomainError(
            f"{label[:1].upper()}{label[1:]} {day:%d/%m/%Y} ở tương lai.", field=field
        )


def _money_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


# -- The basis ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    from_month: datetime.date
    category: str
    base_amount: int = 0
    voluntary_amount: int | None = None
    approval_number: str = ""
    approval_body: str = ""
    approved_on: datetime.date | None = None
    note: str = ""


def _check_basis(member: Member, basis: Basis) -> None:
    if basis.category not in Category.values:
        raise DomainError("Đối tượng không hợp lệ.", field="category")
    _money(basis.base_amount, "Mức căn cứ", "base_amount")
    rated = basis.category in (Category.SALARY, Category.ALLOWANCE, Category.PENSION)
    if rated and not basis.base_amount:
        raise DomainError(
            "Ghi mức căn cứ: tiền lương đóng BHXH tháng trước, trợ cấp ốm đau, thai sản hoặc "
            "lương hưu (Quy định 01-QĐ/TW).",
            field="base_amount",
        )
    if basis.category == Category.EXEMPT and not basis.note.strip():
        raise DomainError("Ghi lý do miễn đóng đảng phí.", field="note")
    if month_start(basis.from_month) < month_start(member.admitted_on):
        raise DomainError(
            f"Tháng trước khi vào Đảng ({member.admitted_on:%m/%Y}).", field="from_month"
        )
    if basis.voluntary_amount is not None:
        _money(basis.voluntary_amount, "Mức tự nguyện", "voluntary_amount")
        # QĐ 01-QĐ/TW 2026 (R5.3): the branch reports it, the direct upper committee decides.
        if not basis.approval_number.strip() or basis.approved_on is None:
            raise DomainError(
                "Mức tự nguyện đóng cao hơn cần văn bản đồng ý của cấp ủy cấp trên trực tiếp "
                "(số văn bản và ngày; Quy định 01-QĐ/TW).",
                field="approval_number",
            )
        _not_future(basis.approved_on, "ngày đồng ý", "approved_on")
    for name, label in (
        ("approval_number", "Số văn bản"),
        ("approval_body", "Cấp ủy đồng ý"),
    ):
        require_text(getattr(basis, name), field=name, label=label)


@transaction.atomic
def declare_basis(actor, member: Member, basis: Basis) -> DuesBasis:
    """The member's category and base amount from a month (R5.1): a new row of the history;
    a row of the same month is replaced only through its annulment (with a reason)."""
    _may(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    basis = Basis(**{**basis.__dict__, "from_month": month_start(basis.from_month)})
    _check_basis(member, basis)
    if basis.from_month > month_start(timezone.localdate()) + datetime.timedelta(days=31):
        raise DomainError("Chỉ khai báo từ tháng này, tháng sau hoặc trước đó.", field="from_month")
    if DuesBasis.unscoped.filter(
        member=member, from_month=basis.from_month, annulled_at__isnull=True
    ).exists():
        raise DomainError(
            f"Đã có khai báo từ tháng {basis.from_month:%m/%Y}: hủy khai báo đó (ghi lý do) "
            "rồi khai báo lại.",
            field="from_month",
        )
    before = basis_on(member, basis.from_month)
    row = DuesBasis.unscoped.create(
        member=member,
        from_month=basis.from_month,
        category=basis.category,
        base_amount=basis.base_amount,
        voluntary_amount=basis.voluntary_amount,
        approval_number=basis.approval_number.strip(),
        approval_body=basis.approval_body.strip(),
        approved_on=basis.approved_on,
        note=basis.note.strip(),
        created_by=audit.acting_user(actor),
    )
    _basis_changed(member, basis.from_month)
    audit.record(
        actor,
        "dues.basis",
        member,
        org_path=member.branch_path,
        changes={"dues_basis": [_basis_text(before), _basis_text(row)]},
        effective_on=basis.from_month,
        decision_number=row.approval_number,
        decision_body=row.approval_body,
        reason=row.note,
    )
    return row


def _basis_changed(member: Member, from_month: datetime.date) -> None:
    """A basis holds from its month until the next: the report's summary of every month from
    it on is counted again (dues/tally.py)."""
    tally.refresh_members([member.pk], _from(from_month))


def _from(month: datetime.date) -> list[datetime.date]:
    """The built months from `month` on."""
    return [day for day in tally.built_months() if day >= month]


def _basis_text(row: DuesBasis | None) -> str | None:
    if row is None:
        return None
    text = f"{row.get_category_display()}"
    if row.base_amount:
        text += f", mức căn cứ {_money_text(row.base_amount)}"
    if row.voluntary_amount:
        text += f", tự nguyện {_money_text(row.voluntary_amount)}/tháng"
    return f"{text} (từ tháng {row.from_month:%m/%Y})"


@transaction.atomic
def annul_basis(actor, row: DuesBasis, *, reason: str) -> DuesBasis:
    _may(actor, Capability.MANAGE_MEMBERS, row.member.branch_path)
    row = DuesBasis.unscoped.select_for_update().select_related("member").get(pk=row.pk)
    if row.annulled_at is not None:
        raise DomainError("Khai báo này đã được hủy.")
    reason = require_reason(reason, "Ghi lý do hủy khai báo.")
    row.mark_annulled(actor, reason)
    _basis_changed(row.member, row.from_month)
    audit.record(
        actor,
        "dues.basis_annul",
        row.member,
        org_path=row.member.branch_path,
        changes={"dues_basis": [_basis_text(row), None]},
        reason=reason,
    )
    return row


# -- Collections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """A payment of `months` consecutive months from `month` (early or late: several at once),
    each month at the amount given (default: the month's amount due)."""

    month: datetime.date
    channel: str
    paid_on: datetime.date
    reference: str = ""
    amount: int | None = None  # for each month; None: the amount due of each month
    months: int = 1


def _check_collection(collection: Collection) -> None:
    if collection.channel not in Channel.values:
        raise DomainError("Chọn hình thức nộp.", field="channel")
    require_text(collection.reference, field="reference", label="Mã giao dịch")
    if collection.channel == Channel.PORTAL and not collection.reference.strip():
        # R5.4: the portal's transaction reference is kept for each payment.
        raise DomainError(
            "Nộp qua Cổng Dịch vụ công quốc gia: ghi mã giao dịch.", field="reference"
        )
    _not_future(collection.paid_on, "ngày nộp", "paid_on")
    if not 1 <= collection.months <= MAX_MONTHS_AT_ONCE:
        raise DomainError(f"Số tháng nộp một lần từ 1 đến {MAX_MONTHS_AT_ONCE}.", field="months")
    if collection.amount is not None:
        _money(collection.amount, "Số tiền", "amount")


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _placed_in(member: Member, branch: Organization, month: datetime.date) -> bool:
    from dangvien.dues.selectors import _overlapping

    return Placement.objects.filter(_overlapping(month), member=member, branch=branch).exists()


@transaction.atomic
def collect(
    actor, branch: Organization, member: Member, collection: Collection
) -> list[DuesPayment]:
    """The branch's treasurer records the member's payment for one month, or several months
    paid early or late at once (QĐ 01-QĐ/TW 2026): one row a month. A month already paid is
    refused, saying who recorded it: two treasurers never overwrite each other."""
    _may(actor, Capability.COLLECT_DUES, branch.path)
    if branch.kind not in BRANCH_KINDS:
        raise DomainError(f"{branch.name} không phải một chi bộ.")
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    _check_collection(collection)
    first = month_start(collection.month)
    if not (member.branch_id == branch.pk or _placed_in(member, branch, first)):
        raise DomainError(
            f"{member.full_name} không sinh hoạt ở {branch.name} tháng {first:%m/%Y}."
        )
    if first < month_start(member.admitted_on):
        raise DomainError(f"Tháng {first:%m/%Y} trước khi vào Đảng.", field="month")
    months = [first]
    while len(months) < collection.months:
        months.append(_next_month(months[-1]))
    # Dues are owed for the months in the Party, the month of leaving included (Điều lệ Đảng
    # Điều 8 counts the months of a member): none after it, whoever records them.
    if member.left_on is not None and months[-1] >= member.left_on:
        after = next(month for month in months if month >= member.left_on)
        raise DomainError(
            f"{member.full_name} ra khỏi danh sách đảng viên từ ngày {member.left_on:%d/%m/%Y} "
            f"({member.get_status_display()}): không thu đảng phí tháng {after:%m/%Y}.",
            field="month",
        )
    taken = (
        DuesPayment.unscoped.filter(member=member, month__in=months, annulled_at__isnull=True)
        .select_related("created_by")
        .order_by("month")
    )
    if taken:
        paid = taken[0]
        who = paid.created_by.get_full_name() if paid.created_by else "nhập từ tệp"
        when = timezone.localtime(paid.created_at)
        raise DomainError(
            f"{member.full_name} đã nộp tháng {paid.month:%m/%Y} "
            f"({_money_text(paid.amount)}, {who} ghi lúc {when:%H:%M %d/%m/%Y}). "
            "Muốn thay đổi thì sửa khoản đã ghi, ghi lý do.",
            field="month",
        )
    rows = []
    for month in months:
        amount = collection.amount
        if amount is None:
            due = DuesRules.on(month).due(*_basis_values(member, month))
            if due is None:
                raise DomainError(
                    f"Chưa khai báo đối tượng, mức căn cứ của {member.full_name}: ghi số tiền, "
                    "hoặc khai báo trước.",
                    field="amount",
                )
            amount = due
        payment = DuesPayment.unscoped.create(
            member=member,
            month=month,
            branch=branch,
            branch_path=branch.path,
            amount=amount,
            channel=collection.channel,
            reference=collection.reference.strip(),
            paid_on=collection.paid_on,
            created_by=audit.acting_user(actor),
        )
        audit.record(
            actor,
            "dues.pay",
            payment,
            org_path=branch.path,
            changes={"amount": [None, amount], "channel": [None, payment.get_channel_display()]},
            effective_on=collection.paid_on,
            decision_number=payment.reference,
        )
        rows.append(payment)
    tally.refresh_branches([branch.pk], months)
    tally.refresh_owed([member.pk], months)
    return rows


def _basis_values(member: Member, month: datetime.date) -> tuple:
    row = basis_on(member, month)
    if row is None:
        return (None, 0, None)
    return (row.category, row.base_amount, row.voluntary_amount)


@transaction.atomic
def correct_payment(
    actor,
    payment: DuesPayment,
    *,
    amount: int,
    channel: str,
    reference: str,
    paid_on: datetime.date,
    reason: str,
    expected_version: str | None = None,
) -> DuesPayment:
    """Correct a recorded month (amount, channel, reference, date), with a reason."""
    _may(actor, Capability.COLLECT_DUES, payment.branch_path)
    versions.check(payment, expected_version, label="Khoản thu đảng phí")
    payment = DuesPayment.unscoped.select_for_update().get(pk=payment.pk)
    if payment.annulled_at is not None:
        raise DomainError("Khoản thu này đã được hủy.")
    reason = require_reason(reason, "Ghi lý do sửa.")
    _check_collection(Collection(payment.month, channel, paid_on, reference, amount))
    new = {"amount": amount, "channel": channel, "reference": reference.strip(), "paid_on": paid_on}
    changes = {
        name: [getattr(payment, name), value]
        for name, value in new.items()
        if getattr(payment, name) != value
    }
    if not changes:
        raise DomainError("Không có gì thay đổi.")
    for name, value in new.items():
        setattr(payment, name, value)
    payment.save()
    versions.bump(payment)
    tally.refresh_branches([payment.branch_id], [payment.month])
    audit.record(
        actor,
        "dues.pay_correct",
        payment,
        org_path=payment.branch_path,
        changes=changes,
        reason=reason,
    )
    return payment


@transaction.atomic
def annul_payment(
    actor, payment: DuesPayment, *, reason: str, expected_version: str | None = None
) -> DuesPayment:
    """A month recorded by mistake: kept, marked annulled with who, when and why; the month is
    unpaid again."""
    _may(actor, Capability.COLLECT_DUES, payment.branch_path)
    versions.check(payment, expected_version, label="Khoản thu đảng phí")
    payment = DuesPayment.unscoped.select_for_update().get(pk=payment.pk)
    if payment.annulled_at is not None:
        raise DomainError("Khoản thu này đã được hủy.")
    reason = require_reason(reason, "Ghi lý do hủy.")
    payment.mark_annulled(actor, reason)
    versions.bump(payment)
    tally.refresh_branches([payment.branch_id], [payment.month])
    tally.refresh_owed([payment.member_id], [payment.month])
    audit.record(
        actor,
        "dues.pay_annul",
        payment,
        org_path=payment.branch_path,
        changes={"amount": [payment.amount, None]},
        reason=reason,
    )
    return payment


@transaction.atomic
def excuse_month(actor, member: Member, month: datetime.date, reason: str) -> UnpaidExcuse:
    """A valid reason for a month unpaid, recorded by the branch (Điều lệ Đảng Điều 8)."""
    _may(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    month = month_start(month)
    reason = require_reason(reason, "Ghi lý do chính đáng.")
    if UnpaidExcuse.unscoped.filter(member=member, month=month, annulled_at__isnull=True).exists():
        raise DomainError(f"Đã ghi lý do cho tháng {month:%m/%Y}.", field="month")
    row = UnpaidExcuse.unscoped.create(
        member=member, month=month, reason=reason, created_by=audit.acting_user(actor)
    )
    tally.refresh_owed([member.pk], [month])
    audit.record(
        actor,
        "dues.excuse",
        member,
        org_path=member.branch_path,
        changes={"dues_excuse": [None, f"tháng {month:%m/%Y}"]},
        reason=reason,
    )
    return row


@transaction.atomic
def annul_excuse(actor, row: UnpaidExcuse, *, reason: str) -> UnpaidExcuse:
    """A valid reason recorded by mistake: kept, marked annulled with who, when and why; the
    month counts as unpaid again, towards the art. 8 flag too (Điều lệ Đảng Điều 8)."""
    _may(actor, Capability.MANAGE_MEMBERS, row.member.branch_path)
    row = UnpaidExcuse.unscoped.select_for_update().select_related("member").get(pk=row.pk)
    if row.annulled_at is not None:
        raise DomainError("Lý do này đã được hủy.")
    reason = require_reason(reason, "Ghi lý do hủy.")
    row.mark_annulled(actor, reason)
    tally.refresh_owed([row.member_id], [row.month])
    audit.record(
        actor,
        "dues.excuse_annul",
        row.member,
        org_path=row.member.branch_path,
        changes={"dues_excuse": [f"tháng {row.month:%m/%Y}", None]},
        reason=reason,
    )
    return row


# -- Remittances ----------------------------------------------------------------------------------


@transaction.atomic
def record_remittance(
    actor,
    org: Organization,
    *,
    month: datetime.date,
    amount: int,
    remitted_on: datetime.date,
    reference: str = "",
) -> DuesRemittance:
    """Dues `org` remitted to the level above for a month (R5.5)."""
    _may(actor, Capability.COLLECT_DUES, org.path)
    _money(amount, "Số tiền", "amount")
    if not amount:
        raise DomainError("Ghi số tiền đã nộp.", field="amount")
    _not_future(remitted_on, "ngày nộp", "remitted_on")
    require_text(reference, field="reference", label="Số chứng từ")
    month = month_start(month)
    # One remittance a level and month (R5.5): a form sent twice, or two officers at once, must
    # not record it twice. The organisation's row is the lock; a wrong one is annulled first.
    Organization.unscoped.select_for_update().filter(pk=org.pk).first()
    if DuesRemittance.unscoped.filter(
        organization=org, month=month, annulled_at__isnull=True
    ).exists():
        raise DomainError(
            f"{org.name} đã ghi khoản nộp cấp trên tháng {month:%m/%Y}. Nếu khoản đã ghi sai "
            "thì hủy khoản đó (ghi lý do) rồi ghi lại.",
            field="month",
        )
    row = DuesRemittance.unscoped.create(
        organization=org,
        org_path=org.path,
        month=month,
        amount=amount,
        remitted_on=remitted_on,
        reference=reference.strip(),
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "dues.remit",
        row,
        org_path=org.path,
        changes={"amount": [None, amount]},
        effective_on=remitted_on,
        decision_number=row.reference,
    )
    return row


@transaction.atomic
def annul_remittance(actor, row: DuesRemittance, *, reason: str) -> DuesRemittance:
    _may(actor, Capability.COLLECT_DUES, row.org_path)
    row = DuesRemittance.unscoped.select_for_update().get(pk=row.pk)
    if row.annulled_at is not None:
        raise DomainError("Khoản nộp này đã được hủy.")
    reason = require_reason(reason, "Ghi lý do hủy.")
    row.mark_annulled(actor, reason)
    audit.record(
        actor,
        "dues.remit_annul",
        row,
        org_path=row.org_path,
        changes={"amount": [row.amount, None]},
        reason=reason,
    )
    return row
