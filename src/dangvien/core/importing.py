"""What every spreadsheet import reports back, and the registry of import kinds."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from django.db import DatabaseError, IntegrityError, OperationalError, models, transaction
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.import_lock import import_lock
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.core.spreadsheets import Problem, parse_date, read_table
from dangvien.core.statistics import ANALYZE_AFTER_ROWS, refresh_statistics
from dangvien.core.validation import text_error

logger = logging.getLogger(__name__)
# The longest text of a cell that fills no text field of a model (a year, a grade, a kind of
# organisation, a date typed as text): such a cell holds a label or a number, never prose.
LABEL_CELL_CHARS = 100


@dataclass
class ImportReport:
    """Outcome of one import: problems (nothing written) or counts of what was written."""

    kind: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    planned: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def count_planned(self) -> None:
        """Fill the counts from the plan (a dry run, or a file rejected before writing)."""
        actions = [planned.action for planned in self.planned]
        self.created = actions.count("create")
        self.updated = actions.count("update")
        self.unchanged = actions.count("unchanged")

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.row, p.column or ""))


def chunks(items: list, size: int = 900):
    """Slices of `items` small enough for one `IN (...)` on every database (SQLite's limit)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@lru_cache
def _rule(model: type[models.Model], name: str) -> tuple[int, bool]:
    """The longest text a model's field holds, and whether it is multi-line text."""
    field = model._meta.get_field(name)
    return field.max_length or LABEL_CELL_CHARS, isinstance(field, models.TextField)


def bad_cells(number: int, raw: dict, columns: list, fields: dict) -> list[Problem]:
    """The cells of a row no importer may read further, each as a problem naming its row and
    column: a NUL, another control character (tab and line breaks only where the column fills
    a multi-line text; spaces around a cell are dropped, as the importers read it) or a
    bidirectional-override character, or a text longer than its column
    (`fields` maps a column's key to the (model, field name) it fills; any other cell is a label
    or a number of at most LABEL_CELL_CHARS). The same rules as core.validation, checked for
    every importer before it parses a row, so SQLite and PostgreSQL refuse the same files."""
    return CellRules(columns, fields).problems(number, raw)


class CellRules:
    """`bad_cells` for the many rows of one file: each column's limit read once."""

    def __init__(self, columns: list, fields: dict) -> None:
        self.rules = [
            (column.key, column.header, *(_rule(*target) if target else (LABEL_CELL_CHARS, False)))
            for column in columns
            for target in [fields.get(column.key)]
        ]

    def problems(self, number: int, raw: dict) -> list[Problem]:
        problems = []
        for key, header, limit, multiline in self.rules:
            value = raw.get(key)
            if not isinstance(value, str):
                continue  # a number or a date: nothing to refuse here
            text = value.strip()  # what the importers read (cell_text): spaces never stored
            if text.isprintable() and len(text) <= limit:
                continue  # the common case, checked in C: no forbidden character, short enough
            error = text_error(text, multiline=multiline)
            if error is None and len(text) > limit:
                error = f"dài {len(text)} ký tự, tối đa {limit} ký tự."
            if error:
                problems.append(Problem(number, header, error))
        return problems


class ImportPlan:
    """The rows of a file parsed, then checked together against the database: a subclass names
    its `kind` and `columns` and defines `_parse_row`, `_check` and `_match_existing`.

    `actor` None is the command line, acting on all organisations; a web user acts only where
    they manage organisations.
    """

    kind: str
    columns: list
    # The column keys filling a model's text field → (model, field name): their length limit.
    fields: dict = {}

    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.scope = scope_of(actor) if actor is not None else None
        table = read_table(content, self.columns, filename)
        self.report = ImportReport(kind=self.kind, warnings=table.warnings, problems=table.problems)
        self.planned: list = []
        if not table.problems:
            for number, values in table.rows:
                if refused := bad_cells(number, values, self.columns, self.fields):
                    self.report.problems.extend(refused)  # the row is not parsed further
                else:
                    self._parse_row(number, values)
            self._check()
            self.planned = [p for p in self.planned if p.row not in self.rejected]
            self._match_existing()
            self.report.planned = self.planned

    @property
    def rejected(self) -> set[int]:
        return {problem.row for problem in self.report.problems}

    def problem(self, row: int, header: str, message: str) -> None:
        self.report.problems.append(Problem(row, header, message))

    def manages(self, path: str) -> bool:
        return self.scope is None or self.scope.allows(Capability.MANAGE_ORGS, path)

    def resolve_members(
        self, header: str, capability: str = Capability.MANAGE_MEMBERS, scope_word: str = "quản lý"
    ) -> None:
        """Set `planned.member` from `planned.code` on every planned row, a few queries for the
        whole file; a code not found, or outside where the actor holds `capability`, is the row's
        problem under `header`."""
        from dangvien.members.models import Member

        members: dict[str, Member] = {}
        for chunk in chunks(sorted({planned.code for planned in self.planned})):
            members.update((m.code, m) for m in Member.unscoped.filter(code__in=chunk))
        for planned in self.planned:
            member = members.get(planned.code)
            if member is None or not (
                self.scope is None or self.scope.allows(capability, member.branch_path)
            ):
                self.problem(
                    planned.row,
                    header,
                    f"không tìm thấy đảng viên mã {planned.code} trong phạm vi"
                    + (f" {scope_word}." if scope_word else "."),
                )
            else:
                planned.member = member

    def past_day(self, number: int, header: str, value) -> datetime.date | None:
        """The day of a required date cell, not in the future; None (and the row's problem)
        when it is empty, not a date or ahead of today."""
        if value is None or value == "":
            self.problem(number, header, "không được để trống.")
            return None
        try:
            day = parse_date(value)
        except ValueError as exc:
            self.problem(number, header, str(exc))
            return None
        if day > timezone.localdate():
            self.problem(number, header, f"ngày {day:%d/%m/%Y} ở tương lai.")
            return None
        return day

    def _parse_row(self, number: int, raw: dict) -> None:
        raise NotImplementedError

    def _check(self) -> None:
        """The parsed rows checked together (duplicates, the database); a problem drops a row."""
        raise NotImplementedError

    def _match_existing(self) -> None:
        raise NotImplementedError


class ImportNotWritten(DomainError):
    """The database refused the write (a concurrent writer, a value taken meanwhile): the
    transaction rolled back, nothing of the file was written."""


_BUSY_DATABASE = (
    "Cơ sở dữ liệu đang bận với một thao tác ghi khác; không có dữ liệu nào được ghi. "
    "Vui lòng chờ giây lát rồi thử lại."
)
_CHANGED_MEANWHILE = (
    "Dữ liệu vừa được thay đổi bởi một thao tác khác trong lúc nhập; không có dữ liệu nào "
    "được ghi. Vui lòng kiểm tra lại tệp rồi nhập lại."
)
_NOT_WRITTEN = (
    "Không ghi được dữ liệu vào cơ sở dữ liệu; không có dữ liệu nào được ghi. Vui lòng thử "
    "lại hoặc báo quản trị hệ thống."
)


def validate_then_write(
    plan,
    apply: Callable,
    *,
    actor,
    filename: str,
    dry_run: bool,
    checked_by_writing: bool = False,
) -> ImportReport:
    """All or nothing: write the validated plan in one transaction only if no row has a
    problem (formats.md, "Import rules"); a dry run only reports what would be written.

    The write holds the import lock of the actor's scope (core.import_lock; `ImportBusy` while
    an overlapping import runs). A database error during the write rolls everything back and
    raises `ImportNotWritten` with a Vietnamese message (the database's own text, which may
    name another record, goes to the log only). Once the transaction has committed nothing
    turns the import into a failure: an error of the work run on commit (the tallies'
    recount, which redoes itself later) is logged and the report says written.

    `checked_by_writing`: rows that can only be checked by applying them, each on what the rows
    before it left (organisation events). `apply` then records a refused row as a problem of
    the report instead of raising; the transaction is kept only when no row was refused and
    this is no dry run, otherwise rolled back (a dry run applies them too, to check them, and
    so do the rows of a file with problems found before, to report every problem at once).
    Each row is applied once: the checking is the writing.
    """
    report = plan.report
    # Checked by writing, the rows without a problem yet are applied too, for theirs.
    nothing_to_write = not plan.planned if checked_by_writing else report.problems or dry_run
    if nothing_to_write:
        report.count_planned()
        return report
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    with import_lock(actor):
        try:
            with transaction.atomic():
                transaction.on_commit(mark_committed)  # first, so it runs before the others
                apply(plan, actor, filename)
                if checked_by_writing and (report.problems or dry_run):
                    transaction.set_rollback(True)  # nothing written; the work on commit dropped
        except Exception as exc:
            if committed:
                logger.exception("import of %s committed; work run on commit failed", report.kind)
            elif isinstance(exc, DatabaseError):
                logger.warning("import of %s not written: %s", report.kind, exc)
                raise ImportNotWritten(_not_written_message(exc)) from exc
            else:
                raise
    if checked_by_writing and (report.problems or dry_run):
        report.count_planned()
        return report
    report.written = True
    if report.created + report.updated >= ANALYZE_AFTER_ROWS:
        try:  # SQLite: the lists read the new rows along the right index
            refresh_statistics()
        except DatabaseError as exc:  # written all the same; the next large import retries
            logger.warning("statistics not refreshed after the import of %s: %s", report.kind, exc)
    return report


def _not_written_message(exc: DatabaseError) -> str:
    """Why the database refused, without its text (it may name a record out of scope)."""
    if isinstance(exc, IntegrityError):
        return _CHANGED_MEANWHILE
    if isinstance(exc, OperationalError):  # "database is locked", serialization, deadlock
        return _BUSY_DATABASE
    return _NOT_WRITTEN


@dataclass(frozen=True)
class ImportKind:
    """One kind of spreadsheet of formats.md: its importer, its columns and who may import it."""

    slug: str
    label: str
    module: str  # defines COLUMNS and a function named `function`
    function: str
    capability: str
    detail_label: str = ""

    @property
    def run(self) -> Callable[..., ImportReport]:
        return getattr(import_module(self.module), self.function)

    @property
    def columns(self):
        return import_module(self.module).COLUMNS


IMPORT_KINDS: dict[str, ImportKind] = {
    "orgs": ImportKind(
        "orgs",
        "tổ chức đảng",
        "dangvien.organizations.importing",
        "import_orgs",
        "manage_orgs",
        "Mã cấp trên",
    ),
    "members": ImportKind(
        "members",
        "đảng viên",
        "dangvien.members.importing",
        "import_members",
        "manage_members",
        "Mã chi bộ",
    ),
    "assessments": ImportKind(
        "assessments",
        "kết quả xếp loại đảng viên",
        "dangvien.assessments.importing",
        "import_assessments",
        "manage_orgs",
        "Năm: xếp loại",
    ),
    "org-assessments": ImportKind(
        "org-assessments",
        "kết quả xếp loại tổ chức đảng",
        "dangvien.assessments.org_importing",
        "import_org_assessments",
        "manage_orgs",
        "Năm: xếp loại",
    ),
    "targets": ImportKind(
        "targets",
        "chỉ tiêu kết nạp",
        "dangvien.admissions.targets.importing",
        "import_targets",
        "manage_orgs",
        "Năm, nhiệm kỳ: chỉ tiêu",
    ),
    "org-events": ImportKind(
        "org-events",
        "sự kiện tổ chức đảng",
        "dangvien.organizations.events_importing",
        "import_org_events",
        "manage_orgs",
        "Sự kiện, ngày hiệu lực",
    ),
    "transfers": ImportKind(
        "transfers",
        "chuyển sinh hoạt đảng",
        "dangvien.transfers.importing",
        "import_transfers",
        "manage_members",
        "Ngày chuyển → nơi đến",
    ),
    "awards": ImportKind(
        "awards",
        "khen thưởng",
        "dangvien.awards.importing",
        "import_awards",
        "manage_orgs",
        "Danh hiệu, số quyết định",
    ),
    "disciplines": ImportKind(
        "disciplines",
        "quyết định kỷ luật",
        "dangvien.discipline.importing",
        "import_disciplines",
        "manage_members",
        "Hình thức, ngày quyết định",
    ),
    "inspections": ImportKind(
        "inspections",
        "cuộc kiểm tra, giám sát",
        "dangvien.inspections.importing",
        "import_inspections",
        "manage_inspections",
        "Hoạt động, hình thức, ngày quyết định",
    ),
    "programme": ImportKind(
        "programme",
        "chỉ tiêu chương trình hành động",
        "dangvien.programmes.importing",
        "import_programme",
        "manage_orgs",
        "Năm, nhiệm kỳ: chỉ tiêu",
    ),
    "residence-comments": ImportKind(
        "residence-comments",
        "nhận xét của chi bộ nơi cư trú",
        "dangvien.residence.importing",
        "import_residence_comments",
        "manage_members",
        "Năm: kết quả",
    ),
    "badges": ImportKind(
        "badges",
        "huy hiệu Đảng đã trao",
        "dangvien.badges.importing",
        "import_badges",
        "manage_members",
        "Huy hiệu",
    ),
    "dues-payments": ImportKind(
        "dues-payments",
        "đảng phí đã nộp",
        "dangvien.dues.importing",
        "import_dues_payments",
        "collect_dues",
        "Tháng: số tiền",
    ),
    "dues-bases": ImportKind(
        "dues-bases",
        "đối tượng, mức căn cứ đóng đảng phí",
        "dangvien.dues.bases_importing",
        "import_dues_bases",
        "manage_members",
        "Từ tháng: đối tượng",
    ),
    "committees": ImportKind(
        "committees",
        "cấp ủy, chức vụ theo nhiệm kỳ",
        "dangvien.committees.importing",
        "import_committees",
        "manage_orgs",
        "Nhiệm kỳ: đảng viên, chức vụ",
    ),
    "training": ImportKind(
        "training",
        "khóa đào tạo, bồi dưỡng và kết quả học viên",
        "dangvien.training.importing",
        "import_training",
        "manage_orgs",
        "Khóa: kết quả",
    ),
}
