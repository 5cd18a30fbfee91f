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

The columns and a row (`columns`), the rows parsed and resolved (`plan`), checked in each
member's day order (`sequence`), written (`writing`).
"""

from dangvien.core.importing import ImportReport, validate_then_write
from dangvien.transfers.importing.columns import COLUMNS, KINDS, PlannedTransfer
from dangvien.transfers.importing.plan import TransfersPlan
from dangvien.transfers.importing.writing import apply


def import_transfers(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Transfers already done: every row valid, then all written, or nothing.

    `actor` None is the command line, acting on all organisations; a web user imports only the
    transfers of members whose branch they manage.
    """
    plan = TransfersPlan(content, filename, actor)
    return validate_then_write(plan, apply, actor=actor, filename=filename, dry_run=dry_run)


__all__ = ["COLUMNS", "KINDS", "PlannedTransfer", "TransfersPlan", "import_transfers"]
