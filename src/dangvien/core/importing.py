"""What every spreadsheet import reports back, and the registry of import kinds."""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.db import transaction

from dangvien.accounts.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.core.spreadsheets import Problem, read_table


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


class ImportPlan:
    """The rows of a file parsed, then checked together against the database: a subclass names
    its `kind` and `columns` and defines `_parse_row`, `_check` and `_match_existing`.

    `actor` None is the command line, acting on all organisations; a web user acts only where
    they manage organisations.
    """

    kind: str
    columns: list

    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.scope = scope_of(actor) if actor is not None else None
        table = read_table(content, self.columns, filename)
        self.report = ImportReport(kind=self.kind, warnings=table.warnings, problems=table.problems)
        self.planned: list = []
        if not table.problems:
            for number, values in table.rows:
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

    def _parse_row(self, number: int, raw: dict) -> None:
        raise NotImplementedError

    def _check(self) -> None:
        """The parsed rows checked together (duplicates, the database); a problem drops a row."""
        raise NotImplementedError

    def _match_existing(self) -> None:
        raise NotImplementedError


def validate_then_write(
    plan, apply: Callable, *, actor, filename: str, dry_run: bool
) -> ImportReport:
    """All or nothing: write the validated plan in one transaction only if no row has a
    problem (formats.md, "Import rules"); a dry run only reports what would be written."""
    report = plan.report
    if report.problems or dry_run:
        report.count_planned()
        return report
    with transaction.atomic():
        apply(plan, actor, filename)
    report.written = True
    return report


@dataclass(frozen=True)
class ImportKind:
    """One kind of spreadsheet of formats.md: its importer, its columns and who may import it."""

    slug: str
    label: str
    module: str  # defines COLUMNS, TEMPLATE_EXAMPLE and a function named `function`
    function: str
    capability: str
    detail_label: str = ""

    @property
    def run(self) -> Callable[..., ImportReport]:
        return getattr(import_module(self.module), self.function)

    @property
    def columns(self):
        return import_module(self.module).COLUMNS

    @property
    def example_rows(self) -> list[list]:
        return import_module(self.module).TEMPLATE_EXAMPLE


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
        "dangvien.admissions.importing",
        "import_targets",
        "manage_orgs",
        "Năm, nhiệm kỳ: chỉ tiêu",
    ),
}
