"""A member who left the system by a transfer out comes back to a branch of another officer:
that officer finds the record by the papers the member brings, without seeing any other scope.

The same person is matched as the candidates' same-person check matches people
(admissions.candidates.services): by a unique number exactly, a citizen ID of 12 ASCII digits
(members.rules.CITIZEN_ID) or a party card number, here with the date of birth too. Only a record
transferred out of the system is found, on both values exactly; anything else (no such number,
another birth date, a member in any other status) is the same "not found". Every lookup is kept
in the audit with the kind of paper and the number masked (members.conflicts.hint), never in
clear."""

import datetime

from dangvien.core import audit
from dangvien.core.audit import common_path
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.members.conflicts import hint
from dangvien.members.models import ConflictKind, Member, Status
from dangvien.transfers.models import Direction, Transfer, TransferStatus

# The papers a member brings, by the Member field they match (labels as the conflicts say them).
PAPERS = {
    ConflictKind.CARD_NUMBER.value: ConflictKind.CARD_NUMBER.label,
    ConflictKind.CITIZEN_ID.value: ConflictKind.CITIZEN_ID.label,
}
IDENTIFY_ACTION = "transfer.identify"
NOT_FOUND_LABEL = "Không tìm thấy hồ sơ"


def find_transferred_out(
    actor, paper: str, number: str, birth_date: datetime.date
) -> Member | None:
    """The record transferred out of the system holding `number` as its `paper` (card number
    or citizen ID) and born on `birth_date`, wherever it was; None otherwise, saying nothing
    of why. The lookup is audited in the actor's scope."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}")
    number = number.strip()
    found = None
    if number:
        found = (
            Member.unscoped.filter(
                **{paper: number}, birth_date=birth_date, status=Status.TRANSFERRED_OUT
            )
            .select_related("branch")
            .first()
        )
    _audit(actor, paper, number, found)
    return found


def _audit(actor, paper: str, number: str, found: Member | None) -> None:
    """Who looked up, by which paper (its number masked); the record found, if any. Filed
    under the actor's scope (the officers above them review it)."""
    scope = scope_of(actor)
    paths = list(scope.paths_for(Capability.MANAGE_MEMBERS))
    where = "" if scope.everything else common_path(paths)
    audit.record_read(
        actor,
        IDENTIFY_ACTION,
        org_path=where,
        target=found,
        label=str(found) if found is not None else NOT_FOUND_LABEL,
        details={"via": f"{PAPERS[paper]} {hint(paper, number)} và ngày sinh"},
    )


def departure(member: Member) -> Transfer | None:
    """The transfer by which `member` left for an organisation outside the system (its
    destination and day), the latest one."""
    return (
        Transfer.unscoped.filter(
            member=member, direction=Direction.OUT, status=TransferStatus.ARRIVED
        )
        .order_by("-arrived_on", "-id")
        .first()
    )


def still_transferred_out(pk: int) -> Member | None:
    """The record `pk` if it is still transferred out of the system (the one a user found by its
    papers, not yet received by anyone)."""
    return (
        Member.unscoped.filter(pk=pk, status=Status.TRANSFERRED_OUT)
        .select_related("branch")
        .first()
    )
