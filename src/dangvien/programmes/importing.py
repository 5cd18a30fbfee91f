"""`dangvien import programme`: the targets of action programmes (formats.md, `programme`), all
or nothing, keyed by (Mã tổ chức, Năm / Nhiệm kỳ, Chỉ tiêu).

A row names an organisation's programme of a year or a term (created when it has none) and one
target: a computed indicator (by its slug or its label, diacritics and case aside) or any other
text, tracked by hand. Each row goes through the same services as the programme's page
(`services.create_programme`, `services.set_target`). The same file again changes nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from dangvien.admissions.targets.importing import parse_term, parse_year
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, chunks, validate_then_write
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.organizations.models import Organization
from dangvien.programmes import services
from dangvien.programmes.models import ActionProgramme, Indicator, ProgrammeTarget

ORG_CODE, PERIOD, YEAR, TERM = "Mã tổ chức", "Năm / Nhiệm kỳ", "Năm", "Nhiệm kỳ"
TARGET, COMPARATOR, VALUE = "Chỉ tiêu", "So sánh", "Giá trị"
COLUMNS = [
    Column(ORG_CODE, "code", required=True),
    # One of the two (formats.md): the year or the term, in the contract's one column, or in
    # two columns «Năm» and «Nhiệm kỳ» as the quota import has them.
    Column(PERIOD, "period", aliases=("Năm/Nhiệm kỳ",)),
    Column(YEAR, "year", in_template=False),
    Column(TERM, "term", in_template=False),
    Column(TARGET, "target", required=True),
    Column(COMPARATOR, "comparator", required=True),
    Column(VALUE, "value", required=True),
]


@dataclass
class PlannedTarget:
    """One row: the target `label` of the programme of `code` for `year` or `term`."""

    row: int
    code: str
    year: int | None
    term: tuple[int, int] | None
    indicator: str
    label: str
    comparator: str
    value: Decimal
    org: Organization | None = None
    existing: ProgrammeTarget | None = None
    programme: ActionProgramme | None = None

    @property
    def period_key(self) -> tuple:
        return (self.year, *(self.term or (None, None)))

    @property
    def key(self) -> str:
        return self.indicator or self.label

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        same = (self.existing.comparator, self.existing.value) == (self.comparator, self.value)
        return "unchanged" if same else "update"

    @property
    def name(self) -> str:
        return self.org.name if self.org is not None else ""

    @property
    def detail(self) -> str:
        period = (
            f"năm {self.year}" if self.year is not None else "nhiệm kỳ {}-{}".format(*self.term)
        )
        text = f"{period[:1].upper()}{period[1:]}: {self.label} {self.comparator} {self.value}"
        if self.action == "update":
            text += f" (đang là {self.existing.comparator} {self.existing.value})"
        return text


class ProgrammePlan(ImportPlan):
    kind = "programme"
    columns = COLUMNS
    fields = {"code": (Organization, "code"), "target": (ProgrammeTarget, "label")}

    def _period_cell(self, number: int, raw: dict):
        """(the one period cell of the row: `Năm / Nhiệm kỳ`, or `Năm` or `Nhiệm kỳ`; False
        when more than one is filled)."""
        filled = [
            (header, raw.get(key))
            for header, key in ((PERIOD, "period"), (YEAR, "year"), (TERM, "term"))
            if cell_text(raw.get(key))
        ]
        if len(filled) > 1:
            self.problem(
                number,
                filled[1][0],
                f"chỉ ghi một trong hai: năm hoặc nhiệm kỳ (đã ghi ở cột «{filled[0][0]}»).",
            )
            return None, False
        return (filled[0][1] if filled else None), True

    def _period(self, number: int, value):
        """(year, term, ok) from `Năm / Nhiệm kỳ`: a year such as 2022 or a term such as
        2020-2025."""
        text = cell_text(value)
        if not text:
            self.problem(number, PERIOD, "ghi năm (ví dụ 2022) hoặc nhiệm kỳ (ví dụ 2020-2025).")
            return None, None, False
        if not text.isdigit():
            term, message = parse_term(value)
            if message:
                self.problem(number, PERIOD, message)
            return None, term, not message
        year, message = parse_year(value)
        if message:
            self.problem(number, PERIOD, message)
        return year, None, not message

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        if not code:
            self.problem(number, ORG_CODE, "không được để trống.")
        cell, single = self._period_cell(number, raw)
        year, term, period_ok = self._period(number, cell) if single else (None, None, False)
        found = {}
        for key, header, parse in (
            ("label", TARGET, services.clean_label),
            ("comparator", COMPARATOR, services.parse_comparator),
            ("value", VALUE, services.parse_value),
        ):
            source = raw["target" if key == "label" else key]
            if source is None or cell_text(source) == "":
                self.problem(number, header, "không được để trống.")
                continue
            try:
                found[key] = parse(cell_text(source) if key != "value" else source)
            except DomainError as error:
                self.problem(number, header, error.message)
        if code and period_ok and len(found) == 3:
            indicator = services.indicator_of(found["label"])
            label = Indicator(indicator).label if indicator else found["label"]
            self.planned.append(
                PlannedTarget(
                    number, code, year, term, indicator, label, found["comparator"], found["value"]
                )
            )

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.period_key, planned.key)
            if key in first:
                self.problem(planned.row, TARGET, f"chỉ tiêu bị trùng với dòng {first[key]}.")
            else:
                first[key] = planned.row
        orgs: dict[str, Organization] = {}
        for chunk in chunks(sorted({p.code for p in self.planned})):
            for org in Organization.unscoped.filter(code__in=chunk):
                orgs[org.code] = org
        for planned in self.planned:
            org = orgs.get(planned.code)
            if org is None or not self.manages(org.path):
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"không tìm thấy tổ chức mã {planned.code} trong phạm vi quản lý.",
                )
            elif problem := services.period_refusal(org, planned.year, planned.term):
                self.problem(planned.row, PERIOD, problem)
            else:
                planned.org = org

    def _match_existing(self) -> None:
        org_ids = sorted({p.org.pk for p in self.planned})
        programmes: dict[tuple, ActionProgramme] = {}
        for chunk in chunks(org_ids):
            for programme in ActionProgramme.unscoped.filter(owner_id__in=chunk):
                key = (programme.year, programme.term_start, programme.term_end)
                programmes[(programme.owner_id, key)] = programme
        targets: dict[tuple, ProgrammeTarget] = {}
        ids = [p.pk for p in programmes.values()]
        for chunk in chunks(ids):
            for target in ProgrammeTarget.unscoped.filter(programme_id__in=chunk):
                targets[(target.programme_id, target.key)] = target
        for planned in self.planned:
            planned.programme = programmes.get((planned.org.pk, planned.period_key))
            if planned.programme is not None:
                planned.existing = targets.get((planned.programme.pk, planned.key))


def _apply(plan: ProgrammePlan, actor, filename: str) -> None:
    """Each row through the services: the programme when missing, then the target."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    made: dict[tuple, ActionProgramme] = {}
    for planned in plan.planned:
        try:
            with transaction.atomic():
                programme = planned.programme or made.get((planned.org.pk, planned.period_key))
                if programme is None:
                    programme = services.create_programme(
                        actor, planned.org, year=planned.year, term=planned.term, reason=reason
                    )
                    made[(planned.org.pk, planned.period_key)] = programme
                _, action = services.set_target(
                    actor,
                    programme,
                    services.TargetInput(planned.label, planned.comparator, planned.value),
                    reason=reason,
                )
        except DomainError as error:
            header = {"comparator": COMPARATOR, "value": VALUE, "label": TARGET}.get(
                error.field, PERIOD
            )
            plan.problem(planned.row, header, error.message)
            continue
        if action == "create":
            plan.report.created += 1
        elif action == "update":
            plan.report.updated += 1
        else:
            plan.report.unchanged += 1


def import_programme(content, filename: str = "", *, actor=None, dry_run: bool = False):
    """Programme targets: every row valid and applied, then all kept, or nothing. `actor` None
    is the command line, acting on all organisations; a web user sets the targets of the
    programmes of organisations they manage."""
    plan = ProgrammePlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
