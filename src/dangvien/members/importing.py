"""`dangvien import members`: the members spreadsheet of formats.md, all or nothing, idempotent.

Rows are validated in memory against preloaded organisations and existing members (no query per
row), then written in batches, so a district's 7,000 members import in a few seconds.
"""

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from types import MappingProxyType

from django.db.models import F
from django.utils import timezone

from dangvien.core.audit import json_safe
from dangvien.core.bulk import insert_rows, insert_values
from dangvien.core.changes import records_changed
from dangvien.core.errors import OUTSIDE_CONFLICT
from dangvien.core.importing import CellRules, ImportReport, chunks, validate_then_write
from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import scope_of
from dangvien.core.spreadsheets import (
    Column,
    Problem,
    cell_text,
    compact_record_type,
    parse_date,
    stream_table,
)
from dangvien.core.validation import FieldRules
from dangvien.core.vntext import fold, name_sort_key
from dangvien.members import conflicts
from dangvien.members.models import (
    QUALIFICATIONS,
    THEORY_LEVELS,
    EventKind,
    Gender,
    Member,
    MemberEvent,
    Placement,
    Status,
)
from dangvien.members.rules import check_record
from dangvien.members.services import (
    CODE_FIELDS,
    KIND_OF_FIELD,
    blank_value,
    move_admission_date,
)
from dangvien.organizations.models import BRANCH_KINDS, Organization

COLUMNS = [
    Column("Mã đảng viên", "code", required=True),
    Column("Họ và tên", "full_name", required=True),
    Column("Giới tính", "gender", required=True),
    Column("Ngày sinh", "birth_date", required=True),
    Column("Mã chi bộ", "branch_code", required=True),
    Column("Ngày vào Đảng", "admitted_on", required=True),
    Column("Ngày chính thức", "official_on"),
    Column("Số thẻ đảng viên", "card_number"),
    Column("Số CCCD", "citizen_id"),
    Column("Dân tộc", "ethnicity"),
    Column("Tôn giáo", "religion"),
    Column("Quê quán", "place_of_origin"),
    Column("Nơi cư trú", "residence"),
    Column("Giáo dục phổ thông", "general_education"),
    Column("Chuyên môn", "qualification"),
    Column("Lý luận chính trị", "political_theory"),
    # A legacy record breaking the rules of its own date is kept with its exception (issue 16).
    Column("Lý do ngoại lệ", "exception_reason"),
    Column("Văn bản cho phép", "exception_document"),
]
HEADER = {column.key: column.header for column in COLUMNS}
DATE_FIELDS = ("birth_date", "admitted_on", "official_on")
TEXT_FIELDS = ("ethnicity", "religion", "place_of_origin", "residence", "general_education")
# The columns filling a text field, for their length (core.importing.bad_cells).
CELL_FIELDS = {
    key: (Member, key) for key in ("code", "full_name", "card_number", "citizen_id", *TEXT_FIELDS)
} | {
    "branch_code": (Organization, "code"),
    "exception_document": (RuleException, "decision_number"),
}
EXCEPTION_HELP = (
    " Nếu là hồ sơ cũ được chấp nhận theo ngoại lệ, ghi lý do ở cột «Lý do ngoại lệ» (và số "
    "văn bản ở cột «Văn bản cho phép»): dòng được nhập và ngoại lệ được ghi nhận."
)
# Fields an import writes; re-importing compares exactly these.
IMPORTED_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "admitted_on",
    "official_on",
    "card_number",
    "citizen_id",
    *TEXT_FIELDS,
    "qualification",
    "political_theory",
)
NO_CHANGES: Mapping = MappingProxyType({})  # shared: an empty dict a row is 13 MB at 200,000
# A planned member's values, kept as one tuple rather than a dict (core/spreadsheets.py).
_Values = compact_record_type(IMPORTED_FIELDS)
REQUIRED = ("code", "full_name", "gender", "birth_date", "branch_code", "admitted_on")
# A column of choices holds a few distinct texts: each folded once (bounded for any file).
_fold = lru_cache(maxsize=4096)(fold)
_GENDERS = {fold(g.value): g.value for g in Gender}
_QUALIFICATIONS = {fold(q): q for q in QUALIFICATIONS}
_THEORY = {fold(t): t for t in THEORY_LEVELS}
BATCH = 1000
AUDIT_COLUMNS = [
    "at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "org_path",
    "changes",
    "effective_on",
    "decision_number",
    "decision_body",
    "reason",
]


@dataclass(slots=True)  # one per row of the file: no __dict__ (200,000 rows, bench/)
class PlannedMember:
    row: int
    code: str
    values: dict
    branch: tuple | None  # (id, path)
    existing: Member | None = None
    # The shared empty mapping, replaced by a dict when the member exists and differs.
    changes: Mapping = field(default_factory=lambda: NO_CHANGES)
    detail: str = ""  # the branch code, shown in the preview
    # (reason, document, ((rule key, problem), ...)): the rules of its date the row breaks,
    # recorded as exceptions (`_record_exceptions`); () for a row within the rules.
    exception: tuple = ()

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"

    @property
    def name(self) -> str:
        return self.values.get("full_name") or ""


def _batches(items, size: int):
    """Lists of `size` items of an iterator (the last one shorter)."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


class _Plan:
    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.actor = actor
        self.scope = scope_of(actor) if actor is not None else None
        self.today = timezone.localdate()
        self.rules = RuleBook.load()
        self.field_rules = FieldRules(Member, codes=CODE_FIELDS)
        # The rows are planned as they are read, never all kept: a 200,000-row file's table
        # would hold 50 MB beside the plan (bench/import_memory.py).
        table, rows = stream_table(content, COLUMNS, filename)
        self.report = ImportReport(kind="members", warnings=table.warnings, problems=table.problems)
        self.planned: list[PlannedMember] = []
        self.collisions: list[conflicts.Collision] = []
        self.branches: dict[str, Organization] = {}
        self.branch_refs: dict[int, tuple] = {}
        if not table.problems:
            cell_rules = CellRules(COLUMNS, CELL_FIELDS)
            for batch in _batches(rows, BATCH):
                self._load_branches(batch)
                for number, values in batch:
                    if refused := cell_rules.problems(number, values):
                        self.report.problems.extend(refused)  # the row is not parsed further
                    else:
                        self._parse_row(number, values)
            del table, rows
            self._check_duplicates_in_file()
            self._match_existing()
            self.report.planned = self.planned

    def problem(self, row: int, key: str, message: str) -> None:
        self.report.problems.append(Problem(row, HEADER.get(key, key), message))

    def _load_branches(self, rows) -> None:
        """The branches named by these rows and not looked up yet (None: no such code)."""
        codes = {cell_text(values["branch_code"]) for _, values in rows} - {""}
        codes = sorted(codes.difference(self.branches))
        self.branches.update(dict.fromkeys(codes))
        for chunk in chunks(codes):
            for org in Organization.unscoped.filter(code__in=chunk).only(
                "id", "code", "name", "kind", "path", "ended_on"
            ):
                self.branches[org.code] = org

    def _branch(self, number: int, code: str):
        org = self.branches.get(code)
        in_scope = org is not None and (
            self.scope is None or self.scope.allows(Capability.MANAGE_MEMBERS, org.path)
        )
        if not in_scope:
            self.problem(
                number, "branch_code", f"không tìm thấy chi bộ mã {code} trong phạm vi quản lý."
            )
        elif org.kind not in BRANCH_KINDS:
            self.problem(
                number,
                "branch_code",
                f"{org.name} không phải chi bộ: đảng viên chỉ sinh hoạt ở chi bộ.",
            )
        elif org.ended_on is not None:
            self.problem(number, "branch_code", f"{org.name} đã giải thể.")
        else:
            return self.branch_refs.setdefault(org.pk, (org.pk, org.path))  # one per branch
        return None

    def _parse_row(self, number: int, raw: dict) -> None:
        values: dict = {}
        before = len(self.report.problems)
        # Each cell as text once (cell_text; most cells are text already, called for the others).
        text = {
            key: value.strip() if type(value) is str else cell_text(value)
            for key, value in raw.items()
        }
        code = text["code"]
        for key in REQUIRED:
            if not text[key]:
                self.problem(number, key, "không được để trống.")
        values["full_name"] = sys.intern(" ".join(text["full_name"].split()))
        gender = text["gender"]
        values["gender"] = _GENDERS.get(_fold(gender))
        if gender and values["gender"] is None:
            self.problem(number, "gender", f"“{gender}” phải là Nam hoặc Nữ.")
        for key in DATE_FIELDS:
            values[key] = None
            if raw[key] is not None:
                try:
                    values[key] = parse_date(raw[key])
                except ValueError as exc:
                    self.problem(number, key, str(exc))
        for key, allowed in (("qualification", _QUALIFICATIONS), ("political_theory", _THEORY)):
            cell = text[key]
            values[key] = allowed.get(_fold(cell), "") if cell else ""
            if cell and not values[key]:
                choices = ", ".join(allowed.values())
                self.problem(number, key, f"“{cell}” không thuộc danh mục ({choices}).")
        for key in TEXT_FIELDS:
            values[key] = text[key]
        values["card_number"] = text["card_number"] or None
        values["citizen_id"] = text["citizen_id"] or None
        for key, message in self.field_rules.problems({"code": code, **values}):
            self.problem(number, key, message)  # what the columns hold (core/validation)
        branch_code = text["branch_code"]
        branch = self._branch(number, branch_code) if branch_code else None
        exception = self._check_rules(number, values, text)
        if len(self.report.problems) == before:
            self.planned.append(
                PlannedMember(
                    number, code, _Values(values), branch, detail=branch_code, exception=exception
                )
            )

    def _check_rules(self, number: int, values: dict, text: dict) -> tuple:
        """The rules of the record's dates (members.rules.check_record). A legacy row breaking
        one that an exception can cover is kept when it gives the reason: the exception to
        record; without one it is refused (or, over the age limit, warned) saying how."""
        reason = " ".join(text["exception_reason"].split())
        document = text["exception_document"]
        excepted = []
        for problem in check_record(values, self.rules, self.today):
            if problem.rule_key and reason:
                excepted.append((problem.rule_key, problem.message))
                self.report.warnings.append(
                    Problem(
                        number, HEADER["exception_reason"], f"ghi nhận ngoại lệ: {problem.message}"
                    )
                )
            elif problem.is_error:
                help_text = EXCEPTION_HELP if problem.rule_key else ""
                self.problem(number, problem.field, problem.message + help_text)
            else:
                self.report.warnings.append(
                    Problem(number, HEADER[problem.field], problem.message + EXCEPTION_HELP)
                )
        if reason and not excepted:
            self.report.warnings.append(
                Problem(
                    number,
                    HEADER["exception_reason"],
                    "dòng đúng quy định có hiệu lực vào ngày của nó: không cần ghi ngoại lệ.",
                )
            )
        return (reason, document, tuple(excepted)) if excepted else ()

    def _check_duplicates_in_file(self) -> None:
        for key in ("code", "card_number", "citizen_id"):
            first: dict[str, int] = {}
            for planned in self.planned:
                value = planned.code if key == "code" else planned.values.get(key)
                if not value:
                    continue
                if value in first:
                    self.problem(planned.row, key, f"{value} bị trùng với dòng {first[value]}.")
                else:
                    first[value] = planned.row

    def _match_existing(self) -> None:
        if not self.planned or not Member.unscoped.exists():
            return  # no member yet (a first import): none to update, no number already taken
        by_code = {planned.code: planned for planned in self.planned}
        for chunk in chunks(list(by_code)):
            for member in Member.unscoped.filter(code__in=chunk):
                by_code[member.code].existing = member
        self._check_unique_against_database()
        for planned in self.planned:
            member = planned.existing
            if member is None:
                continue
            if self.scope is not None and not self.scope.allows(
                Capability.MANAGE_MEMBERS, member.branch_path
            ):
                self._outside(planned, "code", planned.code, member)
                continue
            planned.changes = {
                key: [getattr(member, key), planned.values[key]]
                for key in IMPORTED_FIELDS
                if (getattr(member, key) or None) != (planned.values[key] or None)
            }
            if planned.branch and planned.branch[0] != member.branch_id:
                self.problem(
                    planned.row,
                    "branch_code",
                    "đảng viên đang sinh hoạt ở chi bộ khác: chuyển sinh hoạt đảng "
                    "bằng chức năng chuyển sinh hoạt, không qua tệp nhập.",
                )

    def _check_unique_against_database(self) -> None:
        for key in ("card_number", "citizen_id"):
            wanted = {p.values[key]: p for p in self.planned if p.values.get(key)}
            for chunk in chunks(list(wanted)):
                clashes = Member.unscoped.filter(**{f"{key}__in": chunk}).only(
                    "pk", "code", "full_name", "branch_path", key
                )
                for owner in clashes:
                    value = getattr(owner, key)
                    planned = wanted[value]
                    if owner.code == planned.code:
                        continue
                    if conflicts.sees(self.actor, owner.branch_path):
                        self.problem(
                            planned.row, key, f"{value} đã thuộc về đảng viên mã {owner.code}."
                        )
                    else:
                        self._outside(planned, key, value, owner)

    def _outside(self, planned: PlannedMember, key: str, value: str, owner: Member) -> None:
        """The value is held by a member the actor may not see: said without whose, and kept
        for the officers above both (recorded by `import_members`, whatever the outcome)."""
        self.problem(planned.row, key, OUTSIDE_CONFLICT)
        self.collisions.append(
            conflicts.Collision(
                KIND_OF_FIELD[key],
                value,
                owner,
                owner.branch_path,
                planned.branch[1],
                attempted_label=f"{planned.name} (mã {planned.code})",
                existing_label=f"{owner.full_name} (mã {owner.code})",
                where=f"dòng {planned.row}",
            )
        )


def _apply(plan: _Plan, actor, filename: str) -> None:
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    records_changed(  # bulk writes send no signals: the reports' unit counts are stale
        paths=[p.branch[1] if p.existing is None else p.existing.branch_path for p in plan.planned]
    )
    creates = [p for p in plan.planned if p.existing is None]
    created: dict[str, int] = {}  # code → id of the members created
    for batch in chunks(creates, BATCH):
        # Plain rows rather than Member instances: building 10,000 model instances took a
        # fifth of an import's time, and only these values are written or read back.
        members = [_new_member(planned) for planned in batch]
        insert_values(Member, members)
        ids = dict(
            Member.unscoped.filter(code__in=[m["code"] for m in members]).values_list("code", "pk")
        )
        for member in members:
            member["pk"] = ids[member["code"]]
        _write_history(members, actor_id, reason)
        created.update((member["code"], member["pk"]) for member in members)
        plan.report.created += len(members)
    updated = [p for p in plan.planned if p.existing is not None and p.changes]
    plan.report.unchanged += sum(
        1 for p in plan.planned if p.existing is not None and not p.changes
    )
    for planned in updated:
        member = planned.existing
        for key, (_old, new) in planned.changes.items():
            setattr(member, key, new if new is not None else blank_value(key))
        if "official_on" in planned.changes and member.is_active:
            member.status = Status.OFFICIAL if member.official_on else Status.PROBATIONARY
        member.refresh_keys()
        member.updated_at = timezone.now()
        member.version = F("version") + 1  # a form opened before the import is now stale
    # One UPDATE batch for the records and one INSERT for their history, not two queries a row.
    Member.unscoped.bulk_update(
        [p.existing for p in updated],
        [*IMPORTED_FIELDS, "status", "sort_key", "search_name", "updated_at", "version"],
        batch_size=BATCH,
    )
    for planned in updated:  # corrections of the admission date are rare: one query each
        if "admitted_on" in planned.changes:
            move_admission_date(planned.existing.pk, *planned.changes["admitted_on"])
    now = timezone.now()
    insert_rows(
        AuditEntry,
        AUDIT_COLUMNS,
        (
            (
                now,
                actor_id,
                "member.update",
                "members.member",
                p.existing.pk,
                p.existing.full_name,
                p.existing.branch_path,
                {key: [json_safe(old), json_safe(new)] for key, (old, new) in p.changes.items()},
                None,
                "",
                "",
                reason,
            )
            for p in updated
        ),
    )
    plan.report.updated += len(updated)
    _record_exceptions(plan, actor_id, created)


def _new_member(planned: PlannedMember) -> dict:
    """The columns of a member created from a row: its values and what derives from them."""
    member = planned.values.as_dict()
    name = member["full_name"]
    member.update(
        code=planned.code,
        branch_id=planned.branch[0],
        branch_path=planned.branch[1],
        status=Status.OFFICIAL if member["official_on"] else Status.PROBATIONARY,
        sort_key=name_sort_key(name),
        search_name=fold(name),
    )
    return member


def _record_exceptions(plan: _Plan, actor_id, created: dict[str, int]) -> None:
    """A RuleException for each rule a legacy row breaks, with the row's reason and document
    (as `admissions.shared.services.record_exception` keeps them); one already recorded for the
    member and rule (the same file imported again) is not repeated."""
    wanted = {}
    for planned in plan.planned:
        if not planned.exception:
            continue
        member = planned.existing
        pk = member.pk if member is not None else created[planned.code]
        path = member.branch_path if member is not None else planned.branch[1]
        reason, document, excepted = planned.exception
        for rule_key, problem in excepted:
            wanted[(pk, rule_key)] = (path, f"{reason} ({problem})", document)
    target_type = Member._meta.label_lower
    for chunk in chunks(sorted({pk for pk, _rule in wanted})):
        for pk, rule_key in RuleException.unscoped.filter(
            target_type=target_type, target_id__in=chunk
        ).values_list("target_id", "rule_key"):
            wanted.pop((pk, rule_key), None)
    RuleException.unscoped.bulk_create(
        [
            RuleException(
                rule_key=rule_key,
                target_type=target_type,
                target_id=pk,
                org_path=path,
                reason=reason,
                decision_number=document,
                actor_id=actor_id,
            )
            for (pk, rule_key), (path, reason, document) in wanted.items()
        ],
        batch_size=BATCH,
    )


def _write_history(members: list[dict], actor_id, reason: str) -> None:
    """Where each new member is active since admission, their admission (and recognition)
    events, and one audit entry each, written in bulk."""
    now = timezone.now()
    insert_rows(
        Placement,
        ["member_id", "branch_id", "start", "end"],
        ((m["pk"], m["branch_id"], m["admitted_on"], None) for m in members),
    )
    event_columns = [
        "member_id",
        "kind",
        "on",
        "decision_number",
        "decision_body",
        "reason",
        "from_branch_id",
        "to_branch_id",
        "actor_id",
        "recorded_at",
    ]
    admitted, recognised = EventKind.ADMITTED, EventKind.RECOGNISED
    events = [
        (m["pk"], admitted, m["admitted_on"], "", "", reason, None, m["branch_id"], actor_id, now)
        for m in members
    ]
    events += [
        (m["pk"], recognised, m["official_on"], "", "", reason, None, None, actor_id, now)
        for m in members
        if m["official_on"]
    ]
    insert_rows(MemberEvent, event_columns, events)
    insert_rows(
        AuditEntry,
        AUDIT_COLUMNS,
        (
            (
                now,
                actor_id,
                "member.create",
                "members.member",
                m["pk"],
                m["full_name"],
                m["branch_path"],
                {"code": [None, m["code"]]},
                None,
                "",
                "",
                reason,
            )
            for m in members
        ),
    )


def import_members(content: bytes, filename: str = "", *, actor=None, dry_run: bool = False):
    """Validate every row, then write all of them in one transaction, or nothing."""
    plan = _Plan(content, filename, actor)
    report = validate_then_write(plan, _apply, actor=actor, filename=filename, dry_run=dry_run)
    conflicts.record(actor, plan.collisions, f"Nhập đảng viên từ tệp {filename}".strip())
    return report
