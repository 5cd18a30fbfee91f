"""What every transfer write shares: the scope and date checks, the member's placements moved
on the day of arrival, the timeline entry and the history kept on both sides."""

import datetime

from django.utils import timezone

from dangvien.core import audit
from dangvien.core.audit import acting_user as acting_user
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require, sees
from dangvien.members.models import EventKind, Member, MemberEvent, Placement, Status
from dangvien.organizations import dated
from dangvien.organizations.models import Organization
from dangvien.transfers.models import Direction, Transfer

ONE_DAY = datetime.timedelta(days=1)


def require_manage(actor, path: str) -> None:
    require(actor, Capability.MANAGE_MEMBERS, path)


def require_past(day: datetime.date | None, field: str, label: str) -> datetime.date:
    if day is None:
        raise DomainError(f"Cần ghi {label}.", field=field)
    if day > timezone.localdate():
        raise DomainError(f"{label[:1].upper()}{label[1:]} không thể ở tương lai.", field=field)
    return day


NO_SUCH_BRANCH = "Không có chi bộ đang hoạt động mang mã này."


def require_receiving_branch(actor, branch: Organization, member: Member | None) -> None:
    """A branch (members are active only in a branch) that operates; a branch the actor does
    not see is not named (`NO_SUCH_BRANCH`, as for a code that does not exist)."""
    if not branch.is_branch or not branch.is_active:
        if not sees(actor, branch.path):
            raise DomainError(NO_SUCH_BRANCH, field="to_branch")
        if not branch.is_branch:
            raise DomainError(
                f"{branch.name} không phải chi bộ: đảng viên chỉ sinh hoạt ở chi bộ.",
                field="to_branch",
            )
        raise DomainError(f"{branch.name} đã giải thể.", field="to_branch")
    if member is not None and branch.pk == member.branch_id:
        raise DomainError("Đảng viên đang sinh hoạt ở chi bộ này.", field="to_branch")


def require_standing_on(branch: Organization, day: datetime.date) -> None:
    """The receiving branch stood on the day of arrival: founded by then and not ended (a
    placement never starts outside its branch's life; domain-rules §1, organisation
    lifecycle). Asked of the receiving side, which manages the branch."""
    if branch.founded_on and day < branch.founded_on:
        raise DomainError(
            f"{branch.name} được thành lập ngày {branch.founded_on:%d/%m/%Y}: ngày đến sinh "
            "hoạt không thể trước ngày đó.",
            field="arrived_on",
        )
    if not branch.is_active or dated.state_on(branch, day) is None:
        ended = f" từ {branch.ended_on:%d/%m/%Y}" if branch.ended_on else ""
        raise DomainError(
            f"{branch.name} không hoạt động ngày {day:%d/%m/%Y} (đã kết thúc hoạt động{ended}): "
            "không nhận đảng viên đến sinh hoạt; hãy hủy giấy giới thiệu này.",
            field="arrived_on",
        )


def audit_both_sides(actor, action, transfer: Transfer, changes: dict, **extra) -> None:
    """One entry on each side's history: the sending and the receiving branch."""
    paths = [transfer.from_path or transfer.member.branch_path]
    if transfer.to_path and transfer.to_path not in paths:
        paths.append(transfer.to_path)
    extra.setdefault("decision_number", transfer.letter_number)
    for path in paths:
        audit.record(actor, action, transfer, org_path=path, changes=changes, **extra)


def confirming_path(transfer: Transfer) -> str:
    """Who confirms the arrival: the receiving branch; for a destination outside the system,
    the sending side, which records the day the member left."""
    if transfer.to_branch_id:
        return transfer.to_branch.path
    return transfer.from_branch.path


def locked(transfer: Transfer) -> Transfer:
    return (
        Transfer.unscoped.select_for_update(of=("self",))
        .select_related("member", "from_branch", "to_branch")
        .get(pk=transfer.pk)
    )


def leave_branch(member: Member, day: datetime.date) -> None:
    """The member's current placement ends the day before `day` (ends are inclusive)."""
    current = member.placements.filter(end__isnull=True).order_by("-start").first()
    if current is None:
        return
    if day <= current.start:
        raise DomainError(
            f"Ngày chuyển phải sau ngày bắt đầu sinh hoạt ở chi bộ hiện tại "
            f"({current.start:%d/%m/%Y}).",
            field="arrived_on",
        )
    current.end = day - ONE_DAY
    current.save(update_fields=["end"])


def join_branch(member: Member, branch: Organization, day: datetime.date) -> None:
    Placement.objects.create(member=member, branch=branch, start=day)
    member.branch, member.branch_path = branch, branch.path
    member.save(update_fields=["branch", "branch_path", "updated_at"])


def leave_system(actor, member: Member, day: datetime.date, *, reason: str = "") -> None:
    """A permanent transfer out of the system arrived: from `day` the member is in no count
    here (`left_on`, read by every dated count) nor in today's (the status), though still a
    party member. The placement has ended the day before (`leave_branch`). The member's history
    keeps the change of status."""
    old = member.get_status_display()
    member.status, member.left_on = Status.TRANSFERRED_OUT, day
    member.save(update_fields=["status", "left_on", "updated_at"])
    audit.record(
        actor,
        "member.leave_system",
        member,
        org_path=member.branch_path,
        changes={"status": [old, member.get_status_display()], "left_on": [None, day]},
        effective_on=day,
        reason=reason,
    )


def return_to_system(
    actor, member: Member, day: datetime.date | None = None, *, reason: str = ""
) -> None:
    """Undo `leave_system` (the member came back on `day`, or the arrival outside was reopened:
    no day): active again, official when recognised before leaving, otherwise still
    probationary. The member's history keeps the change of status."""
    old_status, left_on = member.get_status_display(), member.left_on
    member.status = Status.OFFICIAL if member.official_on else Status.PROBATIONARY
    member.left_on = None
    member.save(update_fields=["status", "left_on", "updated_at"])
    audit.record(
        actor,
        "member.return_to_system",
        member,
        org_path=member.branch_path,
        changes={
            "status": [old_status, member.get_status_display()],
            "left_on": [left_on, None],
        },
        effective_on=day,
        reason=reason,
    )


def record_timeline(actor, transfer: Transfer) -> MemberEvent:
    """The member's timeline: one "chuyển sinh hoạt đảng" on the day of arrival."""
    notes = [f"Giấy giới thiệu số {transfer.letter_number}" if transfer.letter_number else ""]
    if transfer.is_temporary:
        until = transfer.temporary_until
        notes.append(
            f"{transfer.get_kind_display()}"
            + (f" đến {until:%d/%m/%Y}" if until else "")
            + "; vẫn tính vào đảng số của chi bộ nơi chuyển đi"
        )
    if transfer.direction == Direction.OUT:
        notes.append(f"Ra ngoài hệ thống: {transfer.outside_destination}")
    if transfer.direction == Direction.IN:
        notes.append(f"Từ ngoài hệ thống: {transfer.outside_origin}")
    return MemberEvent.objects.create(
        member=transfer.member,
        kind=EventKind.TRANSFERRED,
        on=transfer.arrived_on,
        decision_number=transfer.letter_number,
        reason=". ".join(note for note in notes if note),
        from_branch=transfer.from_branch,
        to_branch=transfer.to_branch,
        actor=acting_user(actor),
    )
