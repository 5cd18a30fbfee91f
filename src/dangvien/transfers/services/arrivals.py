"""The member arrives: confirmed by the receiving side (a permanent transfer moves the
placement that day), back home after a temporary stay, or coming from outside the system."""

import datetime

from django.db import transaction
from django.utils import timezone

from dangvien.core import versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can
from dangvien.members.models import EventKind, Member, MemberEvent, Status
from dangvien.organizations.models import Organization
from dangvien.transfers import deadlines
from dangvien.transfers.models import (
    Direction,
    Transfer,
    TransferKind,
    TransferStatus,
)
from dangvien.transfers.services.records import (
    acting_user,
    audit_both_sides,
    confirming_path,
    join_branch,
    leave_branch,
    leave_system,
    locked,
    record_timeline,
    require_manage,
    require_past,
    require_receiving_branch,
    require_standing_on,
    return_to_system,
)


@transaction.atomic
def confirm_arrival(
    actor, transfer: Transfer, arrived_on: datetime.date | None, *, late_explanation: str = ""
) -> Transfer:
    """The receiving side confirms the member presented the letter (for a destination outside
    the system, the sending side records the day they left). A permanent transfer moves the
    member from that day; a temporary one starts hosting them. Presenting later than 30 working
    days after the letter needs an explanation (QĐ 294-QĐ/TW; domain-rules §2.7)."""
    transfer = locked(transfer)
    require_manage(actor, confirming_path(transfer))
    if transfer.status != TransferStatus.LETTER_ISSUED:
        raise DomainError(f"Việc chuyển này {transfer.get_status_display().lower()}.")
    member = (
        Member.unscoped.select_for_update(of=("self",))
        .select_related("branch")
        .get(pk=transfer.member_id)
    )
    if not member.is_active or member.left_on:
        # Died, left the Party or the system since the letter: no arrival overwrites that.
        status = member.get_status_display().lower()
        raise DomainError(
            f"{member.full_name} không còn sinh hoạt trong hệ thống ({status}): hãy hủy giấy "
            "giới thiệu này."
        )
    arrived_on = require_past(arrived_on, "arrived_on", "ngày đến sinh hoạt")
    if transfer.to_branch_id:
        require_standing_on(transfer.to_branch, arrived_on)
    if transfer.letter_issued_on and arrived_on < transfer.letter_issued_on:
        raise DomainError(
            f"Ngày đến sinh hoạt trước ngày cấp giấy ({transfer.letter_issued_on:%d/%m/%Y}).",
            field="arrived_on",
        )
    late_explanation = late_explanation.strip()
    if transfer.letter_issued_on:
        rules = RuleBook.load()
        present_due = deadlines.present_due(transfer.letter_issued_on, rules)
        if arrived_on > present_due and not late_explanation:
            raise DomainError(
                f"Quá hạn xuất trình giấy giới thiệu (hết ngày {present_due:%d/%m/%Y}): hãy ghi "
                "giải trình của đảng viên hoặc tổ chức để chậm.",
                field="late_explanation",
            )
    if transfer.kind == TransferKind.PERMANENT:
        if member.branch_id != transfer.from_branch_id:
            raise DomainError(
                f"{member.full_name} không còn sinh hoạt ở {transfer.from_branch.name}: hãy hủy "
                "giấy giới thiệu này."
            )
        leave_branch(member, arrived_on)
        if transfer.to_branch_id:
            join_branch(member, transfer.to_branch, arrived_on)
        else:
            leave_system(actor, member, arrived_on, reason=transfer.outside_destination)
        versions.bump(member)
    transfer.status = TransferStatus.ARRIVED
    transfer.arrived_on = arrived_on
    transfer.confirmed_by, transfer.confirmed_at = acting_user(actor), timezone.now()
    if transfer.to_branch_id:
        transfer.to_path = transfer.to_branch.path  # the path on the day of arrival
    if late_explanation:
        transfer.late_explanation = "\n".join(
            text for text in (transfer.late_explanation, late_explanation) if text
        )
    transfer.save()
    record_timeline(actor, transfer)
    audit_both_sides(
        actor,
        "transfer.arrive",
        transfer,
        {"status": [TransferStatus.LETTER_ISSUED.label, transfer.get_status_display()]},
        effective_on=arrived_on,
        reason=late_explanation,
    )
    return transfer


@transaction.atomic
def record_return(actor, transfer: Transfer, returned_on: datetime.date | None) -> Transfer:
    """A temporarily transferred member is back in their home branch (either side records it);
    their home placement never changed, so no count moves."""
    transfer = locked(transfer)
    if not transfer.is_temporary or transfer.status != TransferStatus.ARRIVED:
        raise DomainError("Chỉ ghi nhận trở về với đảng viên đang chuyển sinh hoạt tạm thời.")
    sides = [transfer.from_branch.path, transfer.to_branch.path if transfer.to_branch_id else ""]
    if not any(path and can(actor, Capability.MANAGE_MEMBERS, path) for path in sides):
        require_manage(actor, transfer.from_branch.path)
    returned_on = require_past(returned_on, "returned_on", "ngày trở về")
    if returned_on < transfer.arrived_on:
        raise DomainError(
            f"Ngày trở về trước ngày đến sinh hoạt ({transfer.arrived_on:%d/%m/%Y}).",
            field="returned_on",
        )
    transfer.status, transfer.returned_on = TransferStatus.RETURNED, returned_on
    transfer.save()
    MemberEvent.objects.create(
        member=transfer.member,
        kind=EventKind.TRANSFERRED,
        on=returned_on,
        reason=f"Trở về sinh hoạt tại {transfer.from_branch.name} sau thời gian chuyển sinh "
        "hoạt tạm thời",
        from_branch=transfer.to_branch,
        to_branch=transfer.from_branch,
        actor=acting_user(actor),
    )
    audit_both_sides(
        actor,
        "transfer.return",
        transfer,
        {"status": [TransferStatus.ARRIVED.label, TransferStatus.RETURNED.label]},
        effective_on=returned_on,
    )
    return transfer


@transaction.atomic
def receive_from_outside(
    actor,
    member: Member,
    *,
    to_branch: Organization,
    arrived_on: datetime.date | None,
    outside_origin: str,
    letter_number: str = "",
    letter_issued_on: datetime.date | None = None,
    identified_by_papers: bool = False,
) -> Transfer:
    """A member comes into the system with a letter from a party organisation outside it.

    `member` is either a record just entered for them (members.services.create_member, in
    `to_branch`): its placement then runs from the arrival, not from the admission, since the
    member was active elsewhere before; or a record of this system whose member had left it
    by a transfer out: they are counted again from the arrival. Such a record is taken back by
    an officer who sees it, or who found it by the papers the member brought
    (`identified_by_papers`: transfers.identify, an exact card or CCCD number with the birth
    date)."""
    require_manage(actor, to_branch.path)
    require_receiving_branch(actor, to_branch, None)
    member = Member.unscoped.select_for_update(of=("self",)).get(pk=member.pk)
    if not outside_origin.strip():
        raise DomainError("Cần ghi nơi chuyển đi (tổ chức đảng ngoài hệ thống).", field="origin")
    arrived_on = require_past(arrived_on, "arrived_on", "ngày đến sinh hoạt")
    if arrived_on < member.admitted_on:
        raise DomainError("Ngày đến sinh hoạt trước ngày vào Đảng.", field="arrived_on")
    require_standing_on(to_branch, arrived_on)
    if letter_issued_on and letter_issued_on > arrived_on:
        raise DomainError("Ngày cấp giấy sau ngày đến sinh hoạt.", field="letter_issued_on")
    if not member.is_active and member.status != Status.TRANSFERRED_OUT:
        raise DomainError(f"{member.full_name} không còn là đảng viên.")
    placements = list(member.placements.order_by("start", "id"))
    if member.status == Status.TRANSFERRED_OUT:  # back into the system after a transfer out
        if not identified_by_papers and not can(actor, Capability.VIEW, member.branch_path):
            raise DomainError(
                "Không tìm thấy hồ sơ trong phạm vi quản lý: tìm hồ sơ theo số thẻ đảng viên "
                "hoặc số CCCD cùng ngày sinh trên giấy tờ đảng viên mang đến."
            )
        if arrived_on < member.left_on:
            raise DomainError(
                f"Ngày trở lại trước ngày chuyển ra ngoài hệ thống ({member.left_on:%d/%m/%Y}).",
                field="arrived_on",
            )
        return_to_system(actor, member, arrived_on, reason=outside_origin.strip())
        join_branch(member, to_branch, arrived_on)
    elif len(placements) == 1 and not member.transfers.exists():
        # The record just entered: active here from the arrival (never before it).
        placement = placements[0]
        require_manage(actor, member.branch_path)
        if placement.branch_id != to_branch.pk:
            raise DomainError("Hồ sơ vừa nhập thuộc chi bộ khác.", field="to_branch")
        placement.start = arrived_on
        placement.save(update_fields=["start"])
    else:
        raise DomainError(
            f"{member.full_name} đang sinh hoạt trong hệ thống: dùng chuyển sinh hoạt trong "
            "hệ thống."
        )
    versions.bump(member)
    transfer = Transfer.unscoped.create(
        member=member,
        kind=TransferKind.PERMANENT,
        direction=Direction.IN,
        to_branch=to_branch,
        to_path=to_branch.path,
        outside_origin=outside_origin.strip(),
        letter_number=letter_number.strip(),
        letter_issued_on=letter_issued_on,
        arrived_on=arrived_on,
        status=TransferStatus.ARRIVED,
        issued_by=acting_user(actor),
        confirmed_by=acting_user(actor),
        confirmed_at=timezone.now(),
    )
    record_timeline(actor, transfer)
    audit_both_sides(
        actor,
        "transfer.receive",
        transfer,
        {"from": [None, transfer.outside_origin], "to": [None, to_branch.name]},
        effective_on=arrived_on,
    )
    return transfer
