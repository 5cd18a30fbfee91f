"""`dangvien import orgs`: the organisations spreadsheet of formats.md, all or nothing, idempotent.

The file is validated as a whole against the tree as it will be after the import (placement
rules, cycles, scope of the acting user); only a file without a single problem is written.
An organisation created gets its first state (from «Ngày thành lập», not before its parent's
founding or latest change); an update is a correction of the name, kind, sector or founding date
(every state that carried the old value corrected in place; a branch with active members does
not become a committee), but a new parent is a move from today (history never rewritten:
organizations.history).

This module is the entry point; the file's columns and rows are importing_columns.py, the check of
the whole file importing_plan.py, the write importing_writing.py.
"""

from dangvien.core.importing import validate_then_write
from dangvien.members import conflicts

# The columns, read by the registry of import kinds (core.importing.IMPORT_KINDS) from here.
from dangvien.organizations.importing_columns import COLUMNS as COLUMNS
from dangvien.organizations.importing_plan import OrgsPlan
from dangvien.organizations.importing_writing import apply


def import_orgs(content: bytes, filename: str = "", *, actor=None, dry_run: bool = False):
    """Validate the whole file, then write it in one transaction unless a row has a problem.

    `actor` None is the command line, acting on all organisations; a web user acts within scope.
    """
    plan = OrgsPlan(content, filename, actor)
    report = validate_then_write(plan, apply, actor=actor, filename=filename, dry_run=dry_run)
    conflicts.record(actor, plan.collisions, f"Nhập tổ chức đảng từ tệp {filename}".strip())
    return report
