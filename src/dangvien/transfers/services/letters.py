"""The introduction letter (giấy giới thiệu sinh hoạt đảng): issued by the sending side,
withdrawn before the arrival, reopened when cancelled or confirmed by mistake (domain-rules
§2.7)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.core import blockers, versions
from dangvien.core.errors import DomainError
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.validation import require_reason
from dangvien.members.models import EventKind, Member, MemberEvent
from dangvien.organizations.models import Organization
from dangvien.transfers import deadlines
from dangvien.transfers.models import (
    TEMPORARY_KINDS,
    Direction,
    Transfer,
    TransferKind,
    TransferStatus,
)
from dangvien.transfers.services.records import (
    acting_user,
    audit_both_sides,
    confirming_path,
    locked,
    require_manage,
    require_past,
    require_receiving_branch,
    return_to_system,
)

OPEN = Q(status=TransferStatus.LETTER_ISSUED) | Q(
    status=TransferStatus.ARRIVED, kind__in=TEMPORARY_KINDS
)


def open_transfer(member: Member) -> Transfer | None:
    """The member's letter still waiting, or temporary stay not ended, if any."""
    return Transfer.unscoped.filter(OPEN, member=member).first()


def _check_temporary_period(kind: str, start: datetime.date, until, rules: RuleBook) -> None:
    """Temporary: from 3 months to under 1 year; full-time study: from 3 months to 2 years
    (domain-rules §2.7, HD 01-HD/TW)."""
    if kind not in TEMPORARY_KINDS:
        return
    if until is None:
        raise DomainError("Cần ghi ngày kết thúc sinh hoạt tạm thời.", field="temporary_until")
    shortest = rules.value("transfer_temporary_min_months", start)
    if until < add_months(start, shortest):
        raise DomainError(
            f"Chuyển sinh hoạt tạm thời từ {shortest} tháng trở lên (sớm nhất đến "
            f"{add_months(start, shortest):%d/%m/%Y}).",
            field="temporary_until",
        )
    if kind == TransferKind.STUDY:
        longest = rules.value("transfer_study_max_months", start)
        if until > add_months(start, longest):
            raise DomainError(
                f"Đi học tập trung chuyển sinh hoạt tạm thời tối đa {longest} tháng (đến "
                f"{add_months(start, longest):%d/%m/%Y}).",
                field="temporary_until",
            )
    else:
        longest = rules.value("transfer_temporary_max_months", start)
        if until >= add_months(start, longest):
            raise DomainError(
                f"Chuyển sinh hoạt tạm thời dưới {longest} tháng (trước "
                f"{add_months(start, longest):%d/%m/%Y}); lâu hơn thì chuyển chính thức.",
                field="temporary_until",
            )


@transaction.atomic
def issue_letter(
    actor,
    member: Member,
    *,
    kind: str = TransferKind.PERMANENT,
    to_branch: Organization | None = None,
    outside_destination: str = "",
    trigger_on: datetime.date | None,
    letter_issued_on: datetime.date | None,
    letter_number: str = "",
    temporary_until: datetime.date | None = None,
    late_explanation: str = "",
) -> Transfer:
    """The sending side issues the introduction letter (giấy giới thiệu sinh hoạt đảng) to a
    branch of the system or to a party organisation outside it. A permanent transfer starts
    within 60 working days of its trigger; a later start is recorded with its explanation
    (QĐ 294-QĐ/TW; domain-rules §2.7)."""
    require_manage(actor, member.branch_path)
    member = (
        Member.unscoped.select_for_update(of=("self",)).select_related("branch").get(pk=member.pk)
    )
    if not member.is_active or member.left_on:
        raise DomainError(f"{member.full_name} không còn sinh hoạt trong hệ thống.")
    if kind not in TransferKind.values:
        raise DomainError("Loại chuyển sinh hoạt không hợp lệ.", field="kind")
    if open_transfer(member) is not None:
        raise DomainError(
            f"{member.full_name} đang có một việc chuyển sinh hoạt chưa xong: hãy xác nhận, hủy "
            "hoặc ghi nhận trở về trước khi cấp giấy giới thiệu mới.",
        )
    if problem := blockers.transfer_refusal(member):  # the higher apps' (an open inspection)
        raise DomainError(problem)
    outside_destination = outside_destination.strip()
    if (to_branch is None) == (not outside_destination):
        raise DomainError(
            "Ghi một trong hai: chi bộ chuyển đến trong hệ thống, hoặc nơi chuyển đến ngoài hệ "
            "thống.",
            field="to_branch",
        )
    if to_branch is not None:
        require_receiving_branch(actor, to_branch, member)
    trigger_on = require_past(trigger_on, "trigger_on", "ngày phát sinh việc chuyển")
    letter_on = require_past(letter_issued_on, "letter_issued_on", "ngày cấp giấy giới thiệu")
    if letter_on < member.admitted_on:
        raise DomainError("Ngày cấp giấy trước ngày vào Đảng.", field="letter_issued_on")
    if letter_on < trigger_on:
        raise DomainError(
            "Giấy giới thiệu cấp sau khi phát sinh việc chuyển (ngày nhận công tác mới, nghỉ "
            "hưu, chuyển nơi ở…).",
            field="letter_issued_on",
        )
    rules = RuleBook.load()
    _check_temporary_period(kind, trigger_on, temporary_until, rules)
    late_explanation = late_explanation.strip()
    if kind == TransferKind.PERMANENT:
        start_due = deadlines.start_due(trigger_on, rules)
        if letter_on > start_due and not late_explanation:
            raise DomainError(
                f"Quá hạn bắt đầu thủ tục ({deadlines_days(rules, trigger_on)} ngày làm việc từ "
                f"{trigger_on:%d/%m/%Y}, hết ngày {start_due:%d/%m/%Y}): hãy ghi giải trình.",
                field="late_explanation",
            )
    transfer = Transfer.unscoped.create(
        member=member,
        kind=kind,
        direction=Direction.WITHIN if to_branch is not None else Direction.OUT,
        from_branch=member.branch,
        from_path=member.branch_path,
        to_branch=to_branch,
        to_path=to_branch.path if to_branch is not None else "",
        outside_destination=outside_destination,
        trigger_on=trigger_on,
        letter_number=letter_number.strip(),
        letter_issued_on=letter_on,
        temporary_until=temporary_until if kind in TEMPORARY_KINDS else None,
        late_explanation=late_explanation,
        issued_by=acting_user(actor),
    )
    audit_both_sides(
        actor,
        "transfer.issue",
        transfer,
        {
            "kind": [None, transfer.get_kind_display()],
            "to": [None, transfer.destination],
            "letter_issued_on": [None, letter_on],
        },
        effective_on=letter_on,
        reason=late_explanation,
    )
    return transfer


def deadlines_days(rules: RuleBook, start: datetime.date) -> int:
    return rules.value(deadlines.START_KEY, start)


@transaction.atomic
def cancel_transfer(actor, transfer: Transfer, reason: str) -> Transfer:
    """The sending side withdraws a letter the member has not presented yet, with the reason."""
    transfer = locked(transfer)
    require_manage(actor, transfer.from_branch.path)
    if transfer.status != TransferStatus.LETTER_ISSUED:
        raise DomainError(
            f"Chỉ hủy được giấy giới thiệu chưa được xác nhận; việc chuyển này "
            f"{transfer.get_status_display().lower()}."
        )
    require_reason(reason, "Hãy ghi lý do hủy giấy giới thiệu.")
    transfer.status = TransferStatus.CANCELLED
    transfer.cancel_reason = reason.strip()
    transfer.cancelled_by, transfer.cancelled_at = acting_user(actor), timezone.now()
    transfer.save()
    audit_both_sides(
        actor,
        "transfer.cancel",
        transfer,
        {"status": [TransferStatus.LETTER_ISSUED.label, TransferStatus.CANCELLED.label]},
        reason=transfer.cancel_reason,
    )
    return transfer


@transaction.atomic
def reopen_transfer(actor, transfer: Transfer, reason: str) -> Transfer:
    """Correct a cancellation or a confirmation made by mistake, with the reason: the letter is
    waiting again. An arrival undone puts the member back where they were (their placement in
    the sending branch goes on, as if they never left); refused once anything happened to the
    member after it."""
    transfer = locked(transfer)
    require_reason(reason, "Hãy ghi lý do mở lại (ghi nhầm, quyết định bị hủy…).")
    old = transfer.get_status_display()
    if transfer.status == TransferStatus.CANCELLED:
        require_manage(actor, transfer.from_branch.path)
        transfer.cancel_reason, transfer.cancelled_by, transfer.cancelled_at = "", None, None
    elif transfer.status == TransferStatus.ARRIVED and transfer.direction != Direction.IN:
        require_manage(actor, confirming_path(transfer))
        _undo_arrival(actor, transfer, reason.strip())
        transfer.arrived_on, transfer.confirmed_by, transfer.confirmed_at = None, None, None
    else:
        raise DomainError(f"Việc chuyển này {old.lower()}: không có gì để mở lại.")
    transfer.status = TransferStatus.LETTER_ISSUED
    transfer.save()
    audit_both_sides(
        actor,
        "transfer.reopen",
        transfer,
        {"status": [old, transfer.get_status_display()]},
        reason=reason.strip(),
    )
    return transfer


def _undo_arrival(actor, transfer: Transfer, reason: str) -> None:
    member = Member.unscoped.select_for_update(of=("self",)).get(pk=transfer.member_id)
    # Later: arrived after this one (the same day, recorded after it), or still waiting and
    # recorded after it; by the day of arrival, which every arrival has (a letter's date is
    # missing on transfers received from outside and on imported ones).
    day = transfer.arrived_on
    later = Transfer.unscoped.filter(
        Q(arrived_on__gt=day)
        | Q(arrived_on=day, pk__gt=transfer.pk)
        | Q(arrived_on__isnull=True, pk__gt=transfer.pk),
        member=member,
    )
    if later.exclude(pk=transfer.pk).exclude(status=TransferStatus.CANCELLED).exists():
        raise DomainError("Đảng viên đã có việc chuyển sinh hoạt sau lần này: không mở lại được.")
    if transfer.kind == TransferKind.PERMANENT:
        placements = list(member.placements.order_by("-start", "-id")[:2])
        joined = placements[0] if placements else None
        if transfer.to_branch_id:
            if joined is None or joined.branch_id != transfer.to_branch_id or len(placements) < 2:
                raise DomainError(
                    "Quá trình sinh hoạt của đảng viên đã thay đổi sau lần chuyển này: không mở "
                    "lại được."
                )
            joined.delete()
            left = placements[1]
            member.branch, member.branch_path = transfer.from_branch, transfer.from_branch.path
        else:
            left = joined
            return_to_system(actor, member, reason=reason)
        left.end = None
        left.save(update_fields=["end"])
        member.save(update_fields=["branch", "branch_path", "updated_at"])
        versions.bump(member)
    MemberEvent.objects.filter(
        member=member, kind=EventKind.TRANSFERRED, on=transfer.arrived_on
    ).delete()  # the history keeps the arrival and its undoing (audit)
