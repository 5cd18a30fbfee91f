"""`dangvien import targets`: admission quotas (chỉ tiêu kết nạp) of organisations for a year or a
congress term, from a spreadsheet (formats.md), all or nothing, upserted by (organisation, year)
or (organisation, term).

Rows are validated against organisations and quotas preloaded in a few queries (no query per
row) and written with bulk_create / bulk_update, one history entry per quota created or changed.
"""

import copy
import re
from dataclasses import dataclass, field

from django.utils import timezone

from dangvien.admissions.models import AdmissionTarget, period_label
from dangvien.admissions.targets.services import (
    MAX_QUOTA,
    dissolved_before,
    kept_values,
    stretch_problem,
    target_changes,
)
from dangvien.core.decisions import NO_DECISION, Decision
from dangvien.core.importing import ImportPlan, chunks, validate_then_write
from dangvien.core.models import AuditEntry
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.organizations.models import Organization
from dangvien.reports.periods import FIRST_YEAR, LAST_YEAR

ORG_CODE, YEAR, TERM, QUOTA = "Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"
STRETCH, NUMBER, DAY, BODY = "Chỉ tiêu phấn đấu", "Số văn bản", "Ngày văn bản", "Cơ quan ban hành"
COLUMNS = [
    Column(ORG_CODE, "code", required=True),
    Column(YEAR, "year"),
    Column(TERM, "term"),
    Column(QUOTA, "quota", required=True),
    # Optional (issue 16): an empty cell, or a file without the column, keeps what is set.
    Column(STRETCH, "stretch"),
    Column(NUMBER, "decision_number"),
    Column(DAY, "decision_on"),
    Column(BODY, "decision_body"),
]
BATCH = 1000
WRITTEN = ["quota", "stretch_quota", "decision_number", "decision_on", "decision_body"]
# "2020-2025", "2020 - 2025", "2020–2025" (en dash) or "2020—2025" (em dash)
_TERM = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
_INTEGER = re.compile(r"^-?\d+$")


def parse_year(value) -> tuple[int | None, str]:
    """A year cell: a whole number from 1930 to 2100; (year, "") or (None, message)."""
    text = cell_text(value)
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        return None, f"“{text}” không phải là một năm (số nguyên, ví dụ 2025)."
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, f"năm {year} phải từ {FIRST_YEAR} đến {LAST_YEAR}."
    return year, ""


def parse_term(value) -> tuple[tuple[int, int] | None, str]:
    """A term cell such as `2020-2025` (spaces and an en dash accepted); (term, "") or (None,
    message)."""
    text = cell_text(value)
    match = _TERM.match(text)
    if not match:
        return None, (f"“{text}” không phải nhiệm kỳ dạng năm đầu-năm cuối (ví dụ 2020-2025).")
    start, end = int(match[1]), int(match[2])
    if not (FIRST_YEAR <= start <= LAST_YEAR and FIRST_YEAR <= end <= LAST_YEAR):
        return None, f"năm của nhiệm kỳ phải từ {FIRST_YEAR} đến {LAST_YEAR}."
    if start >= end:
        return None, f"năm đầu nhiệm kỳ ({start}) phải trước năm cuối ({end})."
    return (start, end), ""


def parse_quota(value) -> tuple[int | None, str]:
    """A quota cell: a whole number, zero or more; (quota, "") or (None, message)."""
    text = cell_text(value)
    if isinstance(value, bool) or not _INTEGER.match(text):
        return None, f"“{text}” không phải là số nguyên không âm."
    quota = int(text)
    if quota < 0:
        return None, f"chỉ tiêu không được là số âm ({quota})."
    if quota > MAX_QUOTA:
        return None, f"chỉ tiêu {quota} quá lớn."
    return quota, ""


def _lower(message: str) -> str:
    """A service's sentence as an import problem (after the column's name)."""
    return message[:1].lower() + message[1:]


@dataclass
class PlannedTarget:
    """One row of the file: the quota of an organisation for a year or a term."""

    row: int
    code: str
    year: int | None
    term: tuple[int, int] | None
    quota: int
    stretch: int | None = None
    decision: Decision = NO_DECISION
    name: str = ""
    org_id: int | None = None
    path: str = ""
    existing: AdmissionTarget | None = None
    changes: dict = field(default_factory=dict)  # the history's changes (`_match_existing`)
    values: dict = field(default_factory=dict)  # the stretch target and decision to keep

    @property
    def key(self) -> tuple:
        return (self.year, *(self.term or (None, None)))

    @property
    def label(self) -> str:
        return period_label(self.year, self.term)

    @property
    def changed(self) -> bool:
        return self.existing is None or bool(self.changes)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changed else "unchanged"

    @property
    def detail(self) -> str:
        text = f"{self.label[:1].upper()}{self.label[1:]}: {self.quota}"
        if self.stretch is not None:
            text += f", phấn đấu {self.stretch}"
        if self.existing is not None and self.changed:
            text += f" (đang là {self.existing.quota}"
            if self.existing.stretch_quota is not None:
                text += f", phấn đấu {self.existing.stretch_quota}"
            text += ")"
        return text


class _Plan(ImportPlan):
    """The rows of the file parsed, then checked together against the database."""

    kind = "targets"
    columns = COLUMNS
    fields = {
        "code": (Organization, "code"),
        "decision_number": (AdmissionTarget, "decision_number"),
        "decision_body": (AdmissionTarget, "decision_body"),
    }

    def _check(self) -> None:
        self._check_duplicates()
        self._resolve()

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        if not code:
            self.problem(number, ORG_CODE, "không được để trống.")
        year = term = None
        period_ok = False
        if raw["year"] is not None and raw["term"] is not None:
            self.problem(
                number, TERM, "chỉ ghi một trong hai cột Năm hoặc Nhiệm kỳ, không ghi cả hai."
            )
        elif raw["year"] is not None:
            year, message = parse_year(raw["year"])
            if message:
                self.problem(number, YEAR, message)
            period_ok = not message
        elif raw["term"] is not None:
            term, message = parse_term(raw["term"])
            if message:
                self.problem(number, TERM, message)
            period_ok = not message
        else:
            self.problem(
                number,
                YEAR,
                "ghi năm (ví dụ 2025) hoặc nhiệm kỳ (ví dụ 2020-2025), không để trống cả hai.",
            )
        quota, message = None, "không được để trống."
        if raw["quota"] is not None:
            quota, message = parse_quota(raw["quota"])
        if message:
            self.problem(number, QUOTA, message)
        stretch, decision, fine = self._stretch_and_decision(number, raw, quota)
        if code and period_ok and quota is not None and fine:
            self.planned.append(PlannedTarget(number, code, year, term, quota, stretch, decision))

    def _stretch_and_decision(self, number: int, raw: dict, quota: int | None) -> tuple:
        """The optional stretch target (not below the quota) and decision of a row, and
        whether they are readable."""
        before = len(self.report.problems)
        stretch = None
        if raw["stretch"] is not None:
            stretch, message = parse_quota(raw["stretch"])
            if not message and quota is not None:
                message = _lower(stretch_problem(quota, stretch) or "")
            if message:
                self.problem(number, STRETCH, message)
        day = None
        if raw["decision_on"] is not None:
            day = self.past_day(number, DAY, raw["decision_on"])
        decision = Decision(
            effective_on=day,
            number=cell_text(raw["decision_number"]),
            body=cell_text(raw["decision_body"]),
        )
        return stretch, decision, len(self.report.problems) == before

    def _check_duplicates(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.key)
            if key in first:
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"mã {planned.code} {planned.label} bị trùng với dòng {first[key]}.",
                )
            else:
                first[key] = planned.row

    def _resolve(self) -> None:
        """Each organisation, preloaded: in the importer's scope, not dissolved before the
        period begins."""
        codes = sorted({p.code for p in self.planned})
        orgs: dict[str, Organization] = {}
        for chunk in chunks(codes):
            for org in Organization.unscoped.filter(code__in=chunk).only(
                "id", "code", "name", "path", "founded_on", "ended_on"
            ):
                orgs[org.code] = org
        for planned in self.planned:
            org = orgs.get(planned.code)
            if org is None or not self.manages(org.path):
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"không tìm thấy tổ chức mã {planned.code} trong phạm vi quản lý.",
                )
            elif dissolved := dissolved_before(org, planned.year, planned.term):
                self.problem(planned.row, YEAR if planned.year is not None else TERM, dissolved)
            else:
                planned.name, planned.org_id, planned.path = org.name, org.pk, org.path

    def _match_existing(self) -> None:
        wanted = {(p.org_id, p.key): p for p in self.planned}
        for chunk in chunks(sorted({p.org_id for p in self.planned})):
            for target in AdmissionTarget.unscoped.filter(organization_id__in=chunk):
                key = (target.year, target.term_start, target.term_end)
                planned = wanted.get((target.organization_id, key))
                if planned is not None:
                    planned.existing = target
        for planned in self.planned:
            self._changes(planned)

    def _changes(self, planned: PlannedTarget) -> None:
        """The row's changes to its quota (a copy: the database's is changed in `_apply`); a
        stretch target kept from before may not fall below a new quota."""
        start, end = planned.term or (None, None)
        target = (
            copy.copy(planned.existing)
            if planned.existing is not None
            else AdmissionTarget(year=planned.year, term_start=start, term_end=end)
        )
        values = kept_values(target, planned.stretch, planned.decision)
        if problem := stretch_problem(planned.quota, values["stretch_quota"]):
            self.problem(planned.row, STRETCH, _lower(problem))
            return
        planned.changes = target_changes(target, quota=planned.quota, **values)
        planned.values = values


def _apply(plan: _Plan, actor, filename: str) -> None:
    """Create and update the changed quotas in batches, with one history entry each (the same
    changes as `services.set_target` records)."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    creates, updates, audits = [], [], []
    for planned in plan.planned:
        if not planned.changed:
            plan.report.unchanged += 1
            continue
        existing = planned.existing
        if existing is None:
            start, end = planned.term or (None, None)
            creates.append(
                AdmissionTarget(
                    organization_id=planned.org_id,
                    org_path=planned.path,
                    year=planned.year,
                    term_start=start,
                    term_end=end,
                    quota=planned.quota,
                    **planned.values,
                )
            )
        else:
            for key, value in {"quota": planned.quota, **planned.values}.items():
                setattr(existing, key, value)
            existing.updated_at = now
            updates.append(existing)
        audits.append(
            AuditEntry(
                actor_id=actor_id,
                action="target.import",
                target_type=Organization._meta.label_lower,
                target_id=planned.org_id,
                target_label=planned.name[:300],
                org_path=planned.path,
                changes=planned.changes,
                reason=reason,
            )
        )
    AdmissionTarget.unscoped.bulk_create(creates, batch_size=BATCH)
    AdmissionTarget.unscoped.bulk_update(updates, [*WRITTEN, "updated_at"], batch_size=BATCH)
    AuditEntry.unscoped.bulk_create(audits, batch_size=BATCH)
    plan.report.created += len(creates)
    plan.report.updated += len(updates)


def import_targets(content: bytes, filename: str = "", *, actor=None, dry_run: bool = False):
    """Admission quotas: every row valid, then all written, or nothing.

    `actor` None is the command line, acting on all organisations; a web user sets quotas only
    for organisations in a subtree where they manage organisations.
    """
    plan = _Plan(content, filename, actor)
    return validate_then_write(plan, _apply, actor=actor, filename=filename, dry_run=dry_run)
