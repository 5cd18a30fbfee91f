"""The rows of a transfers file parsed and resolved: each cell read, duplicates refused, the
member and the receiving branch found among records preloaded in a few queries, within the
importer's scope; then each member's rows checked in day order (importing.sequence)."""

import datetime

from dangvien.core.importing import ImportPlan, chunks
from dangvien.core.roles import Capability
from dangvien.core.spreadsheets import cell_text
from dangvien.core.vntext import fold
from dangvien.members.models import Member
from dangvien.organizations.models import Organization, OrgState
from dangvien.transfers.importing import sequence
from dangvien.transfers.importing.columns import (
    CODE,
    COLUMNS,
    DAY,
    KIND,
    KINDS,
    TO_CODE,
    PlannedTransfer,
)
from dangvien.transfers.models import Transfer, TransferKind, TransferStatus


class TransfersPlan(ImportPlan):
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
        day = self.past_day(number, DAY, raw["day"])
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
        sequence.match_existing(self)


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
