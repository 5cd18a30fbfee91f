"""Reads of transfers for the pages: both sides see a transfer, the sending side (the branch the
member leaves) and the receiving side (the branch they go to)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import path_filter, scope_of
from dangvien.members.models import Status
from dangvien.members.selectors import visible_members
from dangvien.transfers import deadlines
from dangvien.transfers.models import TEMPORARY_KINDS, Transfer, TransferStatus


def _sides(user, capability: str) -> tuple[Q, Q] | None:
    """Conditions for the sending and the receiving side in the user's scope (None: all)."""
    scope = scope_of(user)
    if scope.everything:
        return None
    prefixes = scope.paths_for(capability)
    return (
        path_filter("from_branch__path", prefixes),
        path_filter("to_branch__path", prefixes),
    )


def visible_transfers(user, capability: str = Capability.VIEW) -> QuerySet[Transfer]:
    """The transfers whose sending or receiving branch, as the tree stands today, is in the
    user's scope."""
    queryset = Transfer.unscoped.select_related("member", "from_branch", "to_branch")
    sides = _sides(user, capability)
    if sides is None:
        return queryset
    return queryset.filter(sides[0] | sides[1])


def outgoing(user) -> QuerySet[Transfer]:
    """Letters issued from the user's branches, not yet presented."""
    sides = _sides(user, Capability.VIEW)
    queryset = visible_transfers(user).filter(status=TransferStatus.LETTER_ISSUED)
    return queryset if sides is None else queryset.filter(sides[0])


def incoming(user) -> QuerySet[Transfer]:
    """Letters to the user's branches, waiting for the arrival to be confirmed."""
    sides = _sides(user, Capability.VIEW)
    queryset = visible_transfers(user).filter(status=TransferStatus.LETTER_ISSUED)
    queryset = queryset.filter(to_branch__isnull=False)
    return queryset if sides is None else queryset.filter(sides[1])


def hosted(user) -> QuerySet[Transfer]:
    """Members staying temporarily (counted at home), by either side."""
    return visible_transfers(user).filter(status=TransferStatus.ARRIVED, kind__in=TEMPORARY_KINDS)


def recent(user, limit: int = 50) -> list[Transfer]:
    return list(visible_transfers(user).order_by("-updated_at", "-id")[:limit])


@dataclass(frozen=True)
class Overdue:
    transfer: Transfer
    due: datetime.date
    late_days: int  # working days past `due`, as the deadline itself is counted


def overdue(user, today: datetime.date | None = None) -> list[Overdue]:
    """Letters not presented within 30 working days of their issue (QĐ 294-QĐ/TW; domain-rules
    §2.7), on the working-day calendar, for both sides, with the working days they are late:
    the pending letters are few, so their deadlines and delays are computed with one calendar
    read."""
    today = today or timezone.localdate()
    pending = list(
        visible_transfers(user)
        .filter(status=TransferStatus.LETTER_ISSUED, letter_issued_on__lt=today)
        .order_by("letter_issued_on", "id")
    )
    rules = RuleBook.load()
    calendar = deadlines.calendar_for(
        [t.letter_issued_on for t in pending], rules, deadlines.PRESENT_KEY, until=today
    )
    late = []
    for transfer in pending:
        due = deadlines.present_due(transfer.letter_issued_on, rules, calendar)
        if due < today:
            late_days = deadlines.working_days_late(due, today, calendar)
            late.append(Overdue(transfer, due, late_days))
    return late


def get_transfer(user, pk: int) -> Transfer:
    """A transfer either side of which is in the user's scope; else a 404 that says nothing."""
    found = visible_transfers(user).filter(pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy việc chuyển sinh hoạt trong phạm vi của bạn.")
    return found


def returning_members(user, limit: int = 100) -> QuerySet:
    """Records the user sees of members who left for an organisation outside the system: the
    ones that may come back (services.receive_from_outside)."""
    return (
        visible_members(user)
        .filter(status=Status.TRANSFERRED_OUT)
        .select_related("branch")
        .order_by("-left_on", "search_name", "id")[:limit]
    )


def find_member_to_receive(user, code: str):
    """The record of `code` the user sees, if any (None otherwise: nothing said of others)."""
    return visible_members(user).filter(code=code.strip()).first() if code.strip() else None
