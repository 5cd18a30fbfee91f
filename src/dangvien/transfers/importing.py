"""`dangvien import transfers`: members moving between branches (chuyển sinh hoạt đảng) from a
spreadsheet (formats.md), all or nothing, upserted by (member code, Ngày chuyển).

A row is a transfer already done on that day: a permanent one places the member in the
receiving branch from that day (in the sending branch until the day before), or out of this
system's counts from that day when it goes to an organisation outside; a temporary one changes
no placement (the member stays counted at home) and, the file giving no end, runs for the
longest stay the rule set allows, open until the return is recorded. Rows are checked against
members, branches and transfers preloaded in a few queries, each member's rows in the order of
their days. A sending-side officer imports the same file again: the rows of transfers sent from
their branches stay theirs though the members are now elsewhere.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dangvien.core.importing import ImportPlan, chunks, validate_then_write
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.spreadsheets import Column, cell_text, parse_date
from dangvien.core.vntext import fold
from dangvien.members.models import Member, Placement
from dangvien.organizations.models import Organization, OrgState
from dangvien.transfers import services
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus

CODE, DAY, KIND = "Mã đảng viên", "Ngày chuyển", "Loại"
TO_CODE, OUTSIDE, LETTER = "Mã chi bộ chuyển đến", "Nơi chuyển đến", "Số giấy giới thiệu"
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(DAY, "day", required=True),
    Column(KIND, "kind"),
    Column(TO_CODE, "to_code"),
    Column(OUTSIDE, "outside"),
    Column(LETTER, "letter"),
]
KINDS = {fold("Chính thức"): TransferKind.PERMANENT, fold("Tạm thời"): TransferKind.TEMPORARY}


@dataclass
class PlannedTransfer:
    """One row: a transfer of `code` done on `day`."""

    row: int
    code: str
    day: datetime.date
    kind: str
    to_code: str
    outside: str
    letter: str
    member: Member | None = None
    to_branch: Organization | None = None
    existing: Transfer | None = None
    temporary_until: datetime.date | None = None

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.existing.letter_number != self.letter else "unchanged"

    @property
    def name(self) -> str:
        return self.member.full_name if self.member else ""

    @property
    def detail(self) -> str:
        to = self.to_branch.name if self.to_branch else self.outside
        return f"{self.day:%d/%m/%Y} → {to}"


class _Plan(ImportPlan):
    kind = "transfers"
    columns = COLUMNS
    fields = {
        "code": (Member, "code"),
        "to_code": (Organization, "code"),
        "outside": (Transfer, "outside_destination"),
        "letter": (Transfer, "letter_number"),
    }

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        if not code:
            self.problem(number, CODE, "không được để trống.")
        day = None
        if raw["day"] is None:
            self.problem(number, DAY, "không được để trống.")
        else:
            try:
                day = parse_date(raw["day"])
            except ValueError as exc:
                self.problem(number, DAY, str(exc))
            else:
                if day > timezone.localdate():
                    self.problem(number, DAY, f"ngày {day:%d/%m/%Y} ở tương lai.")
                    day = None
        kind_text = cell_text(raw["kind"])
        kind = KINDS.get(fold(kind_text)) if kind_text else TransferKind.PERMANENT
        if kind is None:
            self.problem(number, KIND, f"“{kind_text}” không phải «Chính thức» hay «Tạm thời».")
        to_code, outside = cell_text(raw["to_code"]), cell_text(raw["outside"])
        if bool(to_code) == bool(outside):
            self.problem(
                number,
                TO_CODE,
                "ghi một trong hai cột: Mã chi bộ chuyển đến (trong hệ thống) hoặc Nơi chuyển "
                "đến (ngoài hệ thống).",
            )
        elif code and day and kind:
            self.planned.append(
                PlannedTransfer(number, code, day, kind, to_code, outside, cell_text(raw["letter"]))
            )

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.day)
            if key in first:
                self.problem(
                    planned.row,
                    DAY,
                    f"đảng viên {planned.code} ngày {planned.day:%d/%m/%Y} bị trùng với dòng "
                    f"{first[key]}.",
                )
            else:
                first[key] = planned.row
        self._resolve()

    def _resolve(self) -> None:
        members = _by_code(Member, {p.code for p in self.planned})
        branches = _by_code(Organization, {p.to_code for p in self.planned} - {""})
        sent = self._sent_from_scope(
            [m for m in members.values() if not self._manages_member(m.branch_path)]
        )
        states = _states(branches.values())
        for planned in self.planned:
            member = members.get(planned.code)
            managed = member is not None and self._manages_member(member.branch_path)
            if not managed and (member is None or (member.pk, planned.day) not in sent):
                # A member who left the importer's branches by this very row (imported before)
                # is still theirs for it: the transfer's sending branch is in their scope.
                self.problem(
                    planned.row,
                    CODE,
                    f"không tìm thấy đảng viên mã {planned.code} trong phạm vi quản lý.",
                )
                continue
            planned.member = member
            if planned.to_code:
                planned.to_branch = self._receiving(planned, branches, states)

    def _manages_member(self, path: str) -> bool:
        return self.scope is None or self.scope.allows(Capability.MANAGE_MEMBERS, path)

    def _sees(self, path: str) -> bool:
        return self.scope is None or self.scope.allows(Capability.VIEW, path)

    def _sent_from_scope(self, members: list[Member]) -> set[tuple]:
        """(member id, day) of the transfers done of `members` from a branch the importer
        manages."""
        sent = set()
        for chunk in chunks(sorted(member.pk for member in members)):
            for member_id, day, path in (
                Transfer.unscoped.filter(member_id__in=chunk, arrived_on__isnull=False)
                .exclude(status=TransferStatus.CANCELLED)
                .values_list("member_id", "arrived_on", "from_branch__path")
            ):
                if path and self._manages_member(path):
                    sent.add((member_id, day))
        return sent

    def _receiving(self, planned: PlannedTransfer, branches: dict, states: dict):
        """The receiving branch of a row, operating as a branch on its day (founded by then, not
        ended); one the importer does not see is never named (as for an unknown code)."""
        branch = branches.get(planned.to_code)
        day = planned.day
        if branch is None:
            problem = ""
        elif not branch.is_branch:
            problem = f"{branch.name} không phải chi bộ."
        elif branch.ended_on and branch.ended_on <= day:
            problem = f"{branch.name} đã giải thể từ {branch.ended_on:%d/%m/%Y}."
        elif branch.founded_on and day < branch.founded_on:
            problem = (
                f"{branch.name} được thành lập ngày {branch.founded_on:%d/%m/%Y}, sau ngày chuyển."
            )
        elif not _stood(states.get(branch.pk, []), day):
            problem = f"{branch.name} không hoạt động ngày {day:%d/%m/%Y}."
        else:
            return branch  # any branch of the system, the importer's or not
        if branch is None or not self._sees(branch.path):
            problem = f"không có chi bộ đang hoạt động mã {planned.to_code} ngày {day:%d/%m/%Y}."
        self.problem(planned.row, TO_CODE, problem)
        return None

    def _match_existing(self) -> None:
        """Rows already imported (same member and day) are unchanged or get their letter
        number; every new row is checked against the member's placements, in day order."""
        ready = [p for p in self.planned if p.member is not None]
        member_ids = sorted({p.member.pk for p in ready})
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
        rules = RuleBook.load()
        for planned in sorted(ready, key=lambda p: (p.member.pk, p.day)):
            found = existing.get((planned.member.pk, planned.day))
            if found is not None:
                self._same_as(planned, found)
                continue
            state[planned.member.pk] = self._next_state(planned, state[planned.member.pk], rules)
        self.planned = [p for p in self.planned if p.row not in self.rejected]

    def _same_as(self, planned: PlannedTransfer, found: Transfer) -> None:
        same = (
            found.kind == planned.kind
            and found.to_branch_id == (planned.to_branch.pk if planned.to_branch else None)
            and found.outside_destination == planned.outside
        )
        if same:
            planned.existing = found
        else:
            self.problem(
                planned.row,
                DAY,
                f"đảng viên {planned.code} đã có chuyển sinh hoạt ngày {planned.day:%d/%m/%Y} "
                f"đến {found.destination}: sửa trên trang của việc chuyển đó.",
            )

    def _next_state(self, planned: PlannedTransfer, state: tuple, rules: RuleBook) -> tuple:
        """The member's (branch id, start of the placement, transfer still open) after the
        row; a problem when the row cannot follow what the member's records say."""
        member, day = planned.member, planned.day
        branch_id, start, still_open = state
        if not member.is_active or branch_id is None or (member.left_on and member.left_on <= day):
            self.problem(
                planned.row, CODE, f"{member.full_name} không sinh hoạt trong hệ thống ngày đó."
            )
            return state
        if day < member.admitted_on:
            self.problem(planned.row, DAY, "ngày chuyển trước ngày vào Đảng.")
            return state
        if still_open is not None:
            self.problem(planned.row, DAY, _still_open(member, still_open))
            return state
        if planned.to_branch is not None and planned.to_branch.pk == branch_id:
            self.problem(
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
            self.problem(
                planned.row,
                DAY,
                f"ngày chuyển phải sau ngày bắt đầu sinh hoạt ở chi bộ trước đó "
                f"({start:%d/%m/%Y}).",
            )
            return state
        if planned.to_branch is None:
            return EMPTY  # out of the system: no later row for the member
        return (planned.to_branch.pk, day, None)


EMPTY = (None, None, None)
ONE_DAY = datetime.timedelta(days=1)


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


def _states(branches) -> dict[int, list[tuple]]:
    """Each branch's states as (from, until), in a few queries."""
    found: dict[int, list[tuple]] = {}
    for chunk in chunks(sorted(branch.pk for branch in branches)):
        for org_id, start, until in OrgState.unscoped.filter(org_id__in=chunk).values_list(
            "org_id", "valid_from", "valid_until"
        ):
            found.setdefault(org_id, []).append((start, until))
    return found


def _stood(states: list[tuple], day: datetime.date) -> bool:
    """A state in force on `day` (from inclusive, until exclusive; organizations.history)."""
    return any(
        (start is None or start <= day) and (until is None or day < until)
        for start, until in states
    )


def _by_code(model, codes: set[str]) -> dict:
    found = {}
    for chunk in chunks(sorted(codes)):
        for row in model.unscoped.filter(code__in=chunk):
            found[row.code] = row
    return found


def _apply(plan: _Plan, actor, filename: str) -> None:
    """Write each new transfer as the services do, in each member's day order; a changed letter
    number is corrected."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    for planned in sorted(plan.planned, key=lambda p: (p.member.pk, p.day)):
        if planned.action == "unchanged":
            plan.report.unchanged += 1
        elif planned.action == "update":
            old = planned.existing.letter_number
            planned.existing.letter_number = planned.letter
            planned.existing.save(update_fields=["letter_number", "updated_at"])
            services.audit_both_sides(
                actor,
                "transfer.import",
                planned.existing,
                {"letter_number": [old, planned.letter]},
                reason=reason,
            )
            plan.report.updated += 1
        else:
            _create(planned, actor, reason)
            plan.report.created += 1


def _create(planned: PlannedTransfer, actor, reason: str) -> None:
    member = Member.unscoped.select_related("branch").get(pk=planned.member.pk)
    origin, to = member.branch, planned.to_branch
    if planned.kind == TransferKind.PERMANENT:
        services.leave_branch(member, planned.day)
        if to is not None:
            services.join_branch(member, to, planned.day)
        else:
            services.leave_system(actor, member, planned.day, reason=reason)
    transfer = Transfer.unscoped.create(
        member=member,
        kind=planned.kind,
        direction=Direction.WITHIN if to is not None else Direction.OUT,
        from_branch=origin,
        from_path=origin.path,
        to_branch=to,
        to_path=to.path if to is not None else "",
        outside_destination=planned.outside,
        letter_number=planned.letter,
        arrived_on=planned.day,
        temporary_until=planned.temporary_until,
        status=TransferStatus.ARRIVED,
        issued_by=services.acting_user(actor),
        confirmed_by=services.acting_user(actor),
        confirmed_at=timezone.now(),
    )
    services.record_timeline(actor, transfer)
    services.audit_both_sides(
        actor,
        "transfer.import",
        transfer,
        {"to": [origin.name, transfer.destination]},
        effective_on=planned.day,
        reason=reason,
    )


def import_transfers(content, filename: str = "", *, actor=None, dry_run: bool = False):
    """Transfers already done: every row valid, then all written, or nothing.

    `actor` None is the command line, acting on all organisations; a web user imports only the
    transfers of members whose branch they manage.
    """
    plan = _Plan(content, filename, actor)
    return validate_then_write(plan, _apply, actor=actor, filename=filename, dry_run=dry_run)
