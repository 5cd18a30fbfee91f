"""The rows of a transfers file checked against what the members' records say, each member's
rows in the order of their days: a row already imported (same member and day) is unchanged or
gets its letter number; a new row must follow the member's placement, their transfers still
open and the rows before it."""

import datetime

from dangvien.core.importing import chunks
from dangvien.core.rules import RuleBook, add_months
from dangvien.members.models import Member, Placement
from dangvien.transfers.importing.columns import CODE, DAY, TO_CODE, PlannedTransfer
from dangvien.transfers.models import Transfer, TransferKind, TransferStatus

EMPTY = (None, None, None)  # a member in no branch of the system
ONE_DAY = datetime.timedelta(days=1)


def match_existing(plan) -> None:
    """Rows already imported (same member and day) are unchanged or get their letter
    number; every new row is checked against the member's placements, in day order."""
    ready = [p for p in plan.planned if p.member is not None]
    member_ids = sorted({p.member.pk for p in ready})
    existing, state = _records(member_ids)
    rules = RuleBook.load()
    for planned in sorted(ready, key=lambda p: (p.member.pk, p.day)):
        found = existing.get((planned.member.pk, planned.day))
        if found is not None:
            _same_as(plan, planned, found)
            continue
        state[planned.member.pk] = _next_state(plan, planned, state[planned.member.pk], rules)
    plan.planned = [p for p in plan.planned if p.row not in plan.rejected]


def _records(member_ids: list[int]) -> tuple[dict, dict]:
    """The members' transfers by (member id, day of arrival), and each member's state: (branch
    id, start of the current placement, transfer still open), in a few queries."""
    existing: dict[tuple, Transfer] = {}
    current: dict[int, Placement] = {}
    still_open: dict[int, Transfer] = {}
    for chunk in chunks(member_ids):
        for transfer in (
            Transfer.unscoped.filter(member_id__in=chunk)
            .exclude(status=TransferStatus.CANCELLED)
            .select_related("to_branch")
        ):
            if transfer.arrived_on is not None:
                existing[(transfer.member_id, transfer.arrived_on)] = transfer
            if transfer.status == TransferStatus.LETTER_ISSUED or (
                transfer.is_temporary and transfer.status == TransferStatus.ARRIVED
            ):
                still_open[transfer.member_id] = transfer
        for placement in Placement.objects.filter(member_id__in=chunk, end__isnull=True):
            current[placement.member_id] = placement
    state = {
        pk: (p.branch_id, p.start, still_open.get(pk)) if (p := current.get(pk)) else EMPTY
        for pk in member_ids
    }
    return existing, state


def _same_as(plan, planned: PlannedTransfer, found: Transfer) -> None:
    same = (
        found.kind == planned.kind
        and found.to_branch_id == (planned.to_branch.pk if planned.to_branch else None)
        and found.outside_destination == planned.outside
    )
    if same:
        planned.existing = found
    else:
        plan.problem(
            planned.row,
            DAY,
            f"đảng viên {planned.code} đã có chuyển sinh hoạt ngày {planned.day:%d/%m/%Y} "
            f"đến {found.destination}: sửa trên trang của việc chuyển đó.",
        )


def _next_state(plan, planned: PlannedTransfer, state: tuple, rules: RuleBook) -> tuple:
    """The member's (branch id, start of the placement, transfer still open) after the
    row; a problem when the row cannot follow what the member's records say."""
    member, day = planned.member, planned.day
    branch_id, start, still_open = state
    if not member.is_active or branch_id is None or (member.left_on and member.left_on <= day):
        plan.problem(
            planned.row, CODE, f"{member.full_name} không sinh hoạt trong hệ thống ngày đó."
        )
        return state
    if day < member.admitted_on:
        plan.problem(planned.row, DAY, "ngày chuyển trước ngày vào Đảng.")
        return state
    if still_open is not None:
        plan.problem(planned.row, DAY, _still_open(member, still_open))
        return state
    if planned.to_branch is not None and planned.to_branch.pk == branch_id:
        plan.problem(
            planned.row, TO_CODE, f"{member.full_name} đang sinh hoạt ở chi bộ này ngày đó."
        )
        return state
    if planned.kind != TransferKind.PERMANENT:
        # No end date in the file: the longest stay the rule set allows, under
        # `transfer_temporary_max_months` (HD 01-HD/TW; domain-rules §2.7); open until the
        # member's return is recorded.
        longest = rules.value("transfer_temporary_max_months", day)
        planned.temporary_until = add_months(day, longest) - ONE_DAY
        return (branch_id, start, planned)
    if day <= start:
        plan.problem(
            planned.row,
            DAY,
            f"ngày chuyển phải sau ngày bắt đầu sinh hoạt ở chi bộ trước đó ({start:%d/%m/%Y}).",
        )
        return state
    if planned.to_branch is None:
        return EMPTY  # out of the system: no later row for the member
    return (planned.to_branch.pk, day, None)


def _still_open(member: Member, still_open) -> str:
    """A row after a transfer not done yet (a letter waiting, a temporary stay not ended, in
    the database or an earlier row of the file)."""
    if isinstance(still_open, PlannedTransfer):
        return (
            f"{member.full_name} đang sinh hoạt tạm thời từ {still_open.day:%d/%m/%Y} (dòng "
            f"{still_open.row}): ghi nhận trở về trước khi chuyển tiếp."
        )
    if still_open.status == TransferStatus.LETTER_ISSUED:
        return (
            f"{member.full_name} có giấy giới thiệu sinh hoạt đảng đang chờ đến sinh hoạt: xác "
            "nhận hoặc hủy giấy đó trước."
        )
    return (
        f"{member.full_name} đang sinh hoạt tạm thời từ {still_open.arrived_on:%d/%m/%Y}: ghi "
        "nhận trở về trước khi chuyển tiếp."
    )
