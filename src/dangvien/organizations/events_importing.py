"""`dangvien import org-events`: decisions changing organisations over time (formats.md,
`org-events`): moves, renames, absorptions (sáp nhập, and hợp nhất into an organisation
founded that day), ends (giải thể) and disbandments (giải tán), all or nothing.

The key of a row is the organisation, the event and the effective date: an event already
recorded with that key is left as it is ("unchanged"), so importing a file again changes
nothing. The rows apply in date order, those of one day in the order of the rows, each through
the service an officer's page uses (organizations.services); a row may therefore refer to an
organisation an earlier row moved, renamed or emptied. So the rows are checked by applying
them, once, in the write transaction: it is kept only when every row applied (and rolled back
for a dry run).
`apply_event_rows` is the same machinery for rows built by a page (the reorganisation screen).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, chunks, validate_then_write
from dangvien.core.spreadsheets import Column, Table, cell_text, parse_date
from dangvien.core.validation import field_problems
from dangvien.core.vntext import fold
from dangvien.organizations import history
from dangvien.organizations.models import FormerCode, Organization, OrgEvent, OrgEventKind
from dangvien.organizations.services import (
    path_copies,
    record_absorption,
    record_end,
    record_move,
    record_rename,
)

CODE, EVENT, NEW_PARENT, RECEIVING = (
    "Mã tổ chức",
    "Sự kiện",
    "Mã tổ chức cấp trên mới",
    "Mã tổ chức tiếp nhận",
)
NEW_NAME, EFFECTIVE_ON, NUMBER, BODY = (
    "Tên mới",
    "Ngày hiệu lực",
    "Số quyết định",
    "Cơ quan quyết định",
)
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(EVENT, "event", required=True),
    Column(NEW_PARENT, "new_parent"),
    Column(RECEIVING, "receiving"),
    Column(NEW_NAME, "new_name"),
    Column(EFFECTIVE_ON, "effective_on", required=True),
    Column(NUMBER, "number", required=True),
    Column(BODY, "body"),
]
CELL_FIELDS = {
    "code": (Organization, "code"),
    "new_parent": (Organization, "code"),
    "receiving": (Organization, "code"),
    "new_name": (Organization, "name"),
    "number": (OrgEvent, "decision_number"),
    "body": (OrgEvent, "deciding_body"),
}

# The events a file names (formats.md), in the order the template's instructions list them.
EVENTS = (
    OrgEventKind.MOVE,
    OrgEventKind.RENAME,
    OrgEventKind.ABSORB,
    OrgEventKind.END,
    OrgEventKind.DISBAND,
)
_EVENT_BY_LABEL = {fold(kind.label): kind for kind in EVENTS}
# The column each event needs, and the kinds of recorded event its key matches.
_TARGET = {
    OrgEventKind.MOVE: NEW_PARENT,
    OrgEventKind.ABSORB: RECEIVING,
    OrgEventKind.RENAME: NEW_NAME,
}
_RECORDED_AS = {OrgEventKind.ABSORB: (OrgEventKind.ABSORB, OrgEventKind.AMALGAMATE)}
# A refusal of a service names a field; the row's problem names its column.
_COLUMN_OF_FIELD = {
    "effective_on": EFFECTIVE_ON,
    "receiving": RECEIVING,
    "parent": NEW_PARENT,
    "name": NEW_NAME,
    "kind": EVENT,
}


@dataclass
class PlannedEvent:
    """One row of the file: an event of an organisation on a day, by a decision."""

    row: int
    code: str
    kind: str
    effective_on: datetime.date
    number: str
    body: str = ""
    target: str = ""  # the new parent's or the receiving organisation's code, or the new name
    name: str = ""  # the organisation's name, for the preview
    recorded: bool = False  # already recorded with this key: left as it is
    changes: bool = True  # applying it recorded an event (a move to the same parent records none)

    @property
    def action(self) -> str:
        return "create" if self.changes and not self.recorded else "unchanged"

    @property
    def detail(self) -> str:
        label = OrgEventKind(self.kind).label
        target = f" → {self.target}" if self.target else ""
        return f"{label}{target}, {self.effective_on:%d/%m/%Y}"

    def decision(self, note: str) -> Decision:
        return Decision(self.effective_on, self.number, self.body, note)


class _Plan(ImportPlan):
    """The rows parsed, their organisations found in the importer's scope, the events already
    recorded matched, then the rows rehearsed in order and rolled back."""

    kind = "org-events"
    columns = COLUMNS
    fields = CELL_FIELDS

    def __init__(
        self, content, filename: str, actor, reason: str = "", rehearsed: Callable | None = None
    ) -> None:
        self.actor, self.filename = actor, filename
        self.reason = reason or note(filename)  # the note recorded with every event
        self.rehearsed = rehearsed
        super().__init__(content, filename, actor)

    def _parse_row(self, number: int, raw: dict) -> None:
        code, event_text = cell_text(raw["code"]), cell_text(raw["event"])
        kind = _EVENT_BY_LABEL.get(fold(event_text))
        if not code:
            self.problem(number, CODE, "không được để trống.")
        if not event_text:
            self.problem(number, EVENT, "không được để trống.")
        elif kind is None:
            labels = ", ".join(OrgEventKind(event).label for event in EVENTS)
            self.problem(number, EVENT, f"“{event_text}” không phải sự kiện hợp lệ ({labels}).")
        effective_on = self._date(number, raw["effective_on"])
        decision_number = cell_text(raw["number"])
        if not decision_number:
            self.problem(number, NUMBER, "không được để trống.")
        target = self._target(number, kind, raw)
        if code and kind and effective_on and decision_number and target is not None:
            self.planned.append(
                PlannedEvent(
                    number,
                    code,
                    kind,
                    effective_on,
                    decision_number,
                    cell_text(raw["body"]),
                    target,
                )
            )

    def _date(self, number: int, value) -> datetime.date | None:
        if not cell_text(value):
            self.problem(number, EFFECTIVE_ON, "không được để trống.")
            return None
        try:
            day = parse_date(value)
        except ValueError as exc:
            self.problem(number, EFFECTIVE_ON, str(exc))
            return None
        if day > history.today():
            self.problem(number, EFFECTIVE_ON, "không thể ở tương lai.")
            return None
        return day

    def _target(self, number: int, kind: str | None, raw: dict) -> str | None:
        """The cell the event needs (None when it is missing or wrong); the cells of the
        other events stay empty."""
        cells = {
            NEW_PARENT: cell_text(raw["new_parent"]),
            RECEIVING: cell_text(raw["receiving"]),
            NEW_NAME: " ".join(cell_text(raw["new_name"]).split()),
        }
        needed = _TARGET.get(kind)
        label = OrgEventKind(kind).label if kind else ""
        for column, text in cells.items():
            if text and kind and column != needed:
                self.problem(number, column, f"để trống với sự kiện {label}.")
        if needed is None:
            return ""
        text = cells[needed]
        if not text:
            self.problem(number, needed, f"bắt buộc với sự kiện {label}.")
            return None
        if needed == NEW_NAME:
            for _key, message in field_problems(Organization, {"name": text}):
                self.problem(number, NEW_NAME, message)
                return None
        return text

    def _check(self) -> None:
        self._check_duplicates()
        self._resolve()
        self._match_recorded()

    def _match_existing(self) -> None:
        """Matched in `_check`; what each row changes is known only once it is applied
        (`_apply`)."""

    def _check_duplicates(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.kind, planned.effective_on)
            if key in first:
                self.problem(planned.row, CODE, f"sự kiện này bị trùng với dòng {first[key]}.")
            else:
                first[key] = planned.row

    def _resolve(self) -> None:
        """Every organisation a row names exists and lies in the importer's scope."""
        codes = set()
        for planned in self.planned:
            codes.add(planned.code)
            if planned.kind in (OrgEventKind.MOVE, OrgEventKind.ABSORB):
                codes.add(planned.target)
        self.orgs: dict[str, Organization] = {}
        for chunk in chunks(sorted(codes)):
            for org in Organization.unscoped.filter(code__in=chunk):
                self.orgs[org.code] = org
        self._resolve_former(codes - set(self.orgs))
        for planned in self.planned:
            named = [(CODE, planned.code)]
            if planned.kind in (OrgEventKind.MOVE, OrgEventKind.ABSORB):
                named.append((_TARGET[planned.kind], planned.target))
            for column, code in named:
                org = self.orgs.get(code)
                if org is None or not self.manages(org.path):
                    self.problem(
                        planned.row,
                        column,
                        f"không tìm thấy tổ chức mã {code} trong phạm vi quản lý.",
                    )
            if planned.code in self.orgs:
                planned.name = self.orgs[planned.code].name

    def _resolve_former(self, missing: set[str]) -> None:
        """A code no organisation has now but exactly one had before (`FormerCode`: a file
        written before `change_org_code`) names that one: its rows go on under today's code."""
        held: dict[str, set[Organization]] = {}
        for chunk in chunks(sorted(missing)):
            for former in FormerCode.unscoped.filter(code__in=chunk).select_related("org"):
                held.setdefault(former.code, set()).add(former.org)
        renamed = {code: orgs.pop() for code, orgs in held.items() if len(orgs) == 1}
        for planned in self.planned:
            if planned.code in renamed:
                planned.code = renamed[planned.code].code
            if planned.kind in (OrgEventKind.MOVE, OrgEventKind.ABSORB) and (
                planned.target in renamed
            ):
                planned.target = renamed[planned.target].code
        self.orgs.update({org.code: org for org in renamed.values()})

    def _match_recorded(self) -> None:
        """A row whose event is already recorded (same organisation, event and day) is left as
        it is; one recorded differently is refused (a decision recorded is annulled on the
        organisation's page, not overwritten by a file)."""
        ids = {self.orgs[p.code].pk for p in self.planned if p.code in self.orgs}
        recorded: dict[tuple, OrgEvent] = {}
        for chunk in chunks(sorted(ids)):
            events = OrgEvent.unscoped.filter(org_id__in=chunk, annulled_at__isnull=True)
            for event in events.select_related("new_parent", "receiving"):
                recorded.setdefault((event.org_id, event.kind, event.effective_on), event)
        for planned in self.planned:
            org = self.orgs.get(planned.code)
            if org is None:
                continue
            for kind in _RECORDED_AS.get(planned.kind, (planned.kind,)):
                event = recorded.get((org.pk, kind, planned.effective_on))
                if event is not None:
                    self._compare(planned, event)
                    break

    def _compare(self, planned: PlannedEvent, event: OrgEvent) -> None:
        recorded = {
            OrgEventKind.MOVE: event.new_parent.code if event.new_parent else "",
            OrgEventKind.ABSORB: event.receiving.code if event.receiving else "",
            OrgEventKind.RENAME: event.new_name,
        }.get(planned.kind, "")
        if recorded != planned.target:
            self.problem(
                planned.row,
                _TARGET[planned.kind],
                f"sự kiện {OrgEventKind(planned.kind).label.lower()} ngày "
                f"{planned.effective_on:%d/%m/%Y} đã được ghi với «{recorded}»; sự kiện đã ghi "
                "không sửa bằng tệp (hủy sự kiện trên trang của tổ chức rồi nhập lại).",
            )
        planned.recorded = True


def in_order(planned: list[PlannedEvent]) -> list[PlannedEvent]:
    """By effective date, the events of one day in the order of the rows (formats.md)."""
    return sorted(planned, key=lambda p: (p.effective_on, p.row))


def note(filename: str) -> str:
    return f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"


def apply_event(planned: PlannedEvent, actor, reason: str) -> bool:
    """Record one row's event through the service of its kind, on the organisations as they
    stand now (an earlier row may have changed them); whether an event was recorded (a move
    to the parent it has, a rename to the name it has record none)."""
    org = Organization.unscoped.get(code=planned.code)
    decision = planned.decision(reason)
    if planned.kind == OrgEventKind.MOVE:
        new_parent = Organization.unscoped.get(code=planned.target)
        changes = new_parent.pk != org.parent_id  # before the move reloads `org`
        record_move(actor, org, new_parent, decision)
        return changes
    if planned.kind == OrgEventKind.RENAME:
        changes = " ".join(planned.target.split()) != org.name
        record_rename(actor, org, planned.target, decision)
        return changes
    if planned.kind == OrgEventKind.ABSORB:
        receiving = Organization.unscoped.get(code=planned.target)
        # Into an organisation founded that very day: one of the old ones of a hợp nhất.
        merged = receiving.founded_on == planned.effective_on
        kind = OrgEventKind.AMALGAMATE if merged else OrgEventKind.ABSORB
        record_absorption(actor, org, receiving, decision, kind=kind)
    else:
        record_end(actor, org, decision, kind=planned.kind)
    return True


def _apply(plan: _Plan, actor, filename: str) -> None:
    """Apply the rows in order inside the write transaction (`validate_then_write` with
    `checked_by_writing`): a row is checked only on the tree the rows before it left, so each
    refusal is the problem of its row (a later row may fail because an earlier one did) and
    the transaction is kept only when every row applied. When they all did, `rehearsed` (if
    given) reads the database as the rows left it, before a dry run rolls back. The moves'
    path copies are rewritten together (`path_copies.deferred`)."""
    with path_copies.deferred():
        _apply_rows(plan, actor)
    if plan.rehearsed is not None and not plan.report.problems:
        plan.rehearsed()


def _apply_rows(plan: _Plan, actor) -> None:
    for planned in in_order(plan.planned):
        if planned.recorded:
            plan.report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                planned.changes = apply_event(planned, actor, plan.reason)
        except DomainError as exc:
            plan.problem(planned.row, _COLUMN_OF_FIELD.get(exc.field, EVENT), exc.message)
            continue
        if planned.changes:
            plan.report.created += 1
        else:
            plan.report.unchanged += 1


def import_org_events(content, filename: str = "", *, actor=None, dry_run: bool = False):
    """Organisation events: every row valid, then all recorded, or nothing.

    `actor` None is the command line, acting on all organisations; a web user records events
    only for organisations in a subtree where they manage organisations.
    """
    plan = _Plan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )


def event_table(rows: list[dict]) -> Table:
    """Rows given as {column key: value} (the keys of COLUMNS; a date may be a date) as the
    table a file would give, numbered from 2 as the rows of a spreadsheet under its header."""
    keys = tuple(column.key for column in COLUMNS)
    table = Table(keys=keys, titles=tuple(c.header for c in COLUMNS), all_keys=keys)
    for number, row in enumerate(rows, start=2):
        table.append(number, [row.get(key, "") for key in keys])
    return table


def apply_event_rows(
    rows: list[dict],
    *,
    actor,
    dry_run: bool,
    reason: str,
    rehearsed: Callable | None = None,
) -> ImportReport:
    """The rows of a page (`event_table`) checked, rehearsed and written exactly as a file's:
    same problems, same audit, same idempotency; `reason` is the note kept with each event and
    `rehearsed` reads the database as the rows left it (`_apply`)."""
    plan = _Plan(event_table(rows), "", actor, reason=reason, rehearsed=rehearsed)
    return validate_then_write(
        plan, _apply, actor=actor, filename="", dry_run=dry_run, checked_by_writing=True
    )
