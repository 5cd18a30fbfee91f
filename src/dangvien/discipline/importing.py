"""`dangvien import disciplines`: discipline decisions (kỷ luật) from a spreadsheet (formats.md),
all or nothing, keyed by (Số quyết định, Mã đối tượng).

The subject is a member code or an organisation code. Each row goes through the same service as
a decision recorded by hand (`services.record_discipline`: the forms the subject may receive,
the deciding organisation above it, expulsion ending the membership and the card, disbandment
ending the organisation), in the order of the decisions' days, inside the write transaction: a
refusal is the problem of its row and nothing is written. The same file again changes nothing;
a corrected violation text is the one update a row makes."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, validate_then_write
from dangvien.core.roles import Capability
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.core.workdays import RuleDeadlines
from dangvien.discipline.models import Discipline, DisciplineForm
from dangvien.discipline.services import (
    COMPLAINT_RULE,
    DisciplineDecision,
    record_discipline,
)
from dangvien.members.models import Member
from dangvien.organizations.models import Organization

NUMBER, SUBJECT, FORM = "Số quyết định", "Mã đối tượng", "Hình thức"
DAY, DECIDING, VIOLATION = "Ngày quyết định", "Mã tổ chức quyết định", "Nội dung vi phạm"
COLUMNS = [
    Column(NUMBER, "number", required=True),
    Column(SUBJECT, "subject", required=True),
    Column(FORM, "form", required=True),
    Column(DAY, "day", required=True),
    Column(DECIDING, "deciding", required=True),
    Column(VIOLATION, "violation"),
]
FORMS = {fold(form.label): form.value for form in DisciplineForm}


@dataclass
class PlannedDiscipline:
    """One row: the decision `number` on the subject `code`."""

    row: int
    number: str
    code: str
    form: str
    day: datetime.date
    deciding_code: str
    violation: str
    subject: Member | Organization | None = None
    deciding_org: Organization | None = None
    existing: Discipline | None = None

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.existing.violation != self.violation else "unchanged"

    @property
    def name(self) -> str:
        subject = self.subject
        if subject is None:
            return ""
        return subject.full_name if isinstance(subject, Member) else subject.name

    @property
    def detail(self) -> str:
        return f"{DisciplineForm(self.form).label}, {self.day:%d/%m/%Y}"


class DisciplinesPlan(ImportPlan):
    kind = "disciplines"
    columns = COLUMNS
    fields = {
        "number": (Discipline, "decision_number"),
        "subject": (Member, "code"),
        "deciding": (Organization, "code"),
    }

    def _parse_row(self, number: int, raw: dict) -> None:
        values = {key: cell_text(raw[key]) for key in ("number", "subject", "form", "deciding")}
        for key, header in (("number", NUMBER), ("subject", SUBJECT), ("deciding", DECIDING)):
            if not values[key]:
                self.problem(number, header, "không được để trống.")
        form = FORMS.get(fold(values["form"]))
        if form is None:
            allowed = ", ".join(f"«{f.label}»" for f in DisciplineForm)
            self.problem(number, FORM, f"“{values['form']}” không phải một trong {allowed}.")
        day = self.past_day(number, DAY, raw["day"])
        if all(values[key] for key in ("number", "subject", "deciding")) and form and day:
            self.planned.append(
                PlannedDiscipline(
                    number,
                    values["number"],
                    values["subject"],
                    form,
                    day,
                    values["deciding"],
                    cell_text(raw["violation"]),
                )
            )

    def _check(self) -> None:
        repeated_keys(self)
        self._resolve()

    def _resolve(self) -> None:
        members, orgs = subjects_by_code(
            {p.code for p in self.planned}, {p.deciding_code for p in self.planned}
        )
        for planned in self.planned:
            subject = subject_of(
                self,
                planned.row,
                planned.code,
                members,
                orgs,
                (Capability.MANAGE_MEMBERS, Capability.MANAGE_ORGS),
            )
            if subject is None:
                continue
            deciding = orgs.get(planned.deciding_code)
            if deciding is None or not self._allows(Capability.VIEW, deciding.path):
                self.problem(
                    planned.row,
                    DECIDING,
                    f"không tìm thấy tổ chức mã {planned.deciding_code}.",
                )
                continue
            planned.subject, planned.deciding_org = subject, deciding

    def _allows(self, capability: str, path: str) -> bool:
        return self.scope is None or self.scope.allows(capability, path)

    def _match_existing(self) -> None:
        numbers = {p.number for p in self.planned}
        found = {
            (d.decision_number, d.member_id, d.organization_id): d
            for d in Discipline.unscoped.filter(decision_number__in=numbers).select_related(
                "deciding_org"
            )
        }
        for planned in self.planned:
            subject = planned.subject
            key = (
                planned.number,
                subject.pk if isinstance(subject, Member) else None,
                subject.pk if isinstance(subject, Organization) else None,
            )
            planned.existing = found.get(key)


def repeated_keys(plan: ImportPlan) -> None:
    """Each row repeating the key (Số quyết định, Mã đối tượng) of an earlier row is a problem
    naming that row (the imports keyed by a decision and its subject)."""
    first: dict[tuple, int] = {}
    for planned in plan.planned:
        key = (planned.number, planned.code)
        if key in first:
            plan.problem(
                planned.row,
                NUMBER,
                f"quyết định {planned.number} với {planned.code} bị trùng với dòng {first[key]}.",
            )
        else:
            first[key] = planned.row


def subjects_by_code(codes: set[str], other_orgs: set[str]) -> tuple[dict, dict]:
    """The members and the organisations named by `codes` (a subject is either), with the
    organisations of `other_orgs` (the deciding or acting bodies): two queries."""
    members = {m.code: m for m in Member.unscoped.filter(code__in=codes)}
    orgs = {o.code: o for o in Organization.unscoped.filter(code__in=codes | other_orgs)}
    return members, orgs


def subject_of(
    plan: ImportPlan, row: int, code: str, members: dict, orgs: dict, capabilities: tuple
) -> Member | Organization | None:
    """The member or organisation `code` names (`Mã đối tượng`), when the importer holds the
    capability on it (`capabilities`: on a member, on an organisation); else None and the row's
    problem, an unknown subject and one outside the scope said alike."""
    member, org = members.get(code), orgs.get(code)
    if member is not None and org is not None:
        plan.problem(
            row, SUBJECT, f"mã {code} vừa là mã đảng viên vừa là mã tổ chức: không rõ đối tượng."
        )
        return None
    subject = member or org
    capability = capabilities[0] if member else capabilities[1]
    path = member.branch_path if member else (org.path if org else "")
    if subject is None or not (plan.scope is None or plan.scope.allows(capability, path)):
        plan.problem(
            row, SUBJECT, f"không tìm thấy đảng viên hay tổ chức mã {code} trong phạm vi quản lý."
        )
        return None
    return subject


def _differs(planned: PlannedDiscipline) -> str:
    """What a row changes of a decision already recorded beyond its violation text ("" none)."""
    existing = planned.existing
    said = []
    if existing.form != planned.form:
        said.append(f"hình thức «{existing.get_form_display()}»")
    if existing.decided_on != planned.day:
        said.append(f"ngày {existing.decided_on:%d/%m/%Y}")
    if existing.deciding_org_id != planned.deciding_org.pk:
        said.append(f"tổ chức quyết định {existing.deciding_org.code}")
    return ", ".join(said)


def _apply(plan: DisciplinesPlan, actor, filename: str) -> None:
    """Each row through the service, in the order of the decisions' days (an expulsion after an
    earlier warning of the same member); a refusal is its row's problem."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    new = [planned.day for planned in plan.planned if planned.existing is None]
    deadlines = RuleDeadlines(COMPLAINT_RULE, new) if new else None
    for planned in sorted(plan.planned, key=lambda p: (p.day, p.row)):
        if planned.existing is not None:
            if differs := _differs(planned):
                plan.problem(
                    planned.row,
                    NUMBER,
                    f"quyết định {planned.number} đã được ghi với {differs}; không sửa được "
                    "bằng tệp nhập.",
                )
            elif planned.action == "update":
                existing, old = planned.existing, planned.existing.violation
                existing.violation = planned.violation
                existing.save(update_fields=["violation", "updated_at"])
                audit.record(
                    actor,
                    "discipline.import",
                    existing,
                    org_path=existing.subject_path,
                    changes={"violation": [old, planned.violation]},
                    decision_number=existing.decision_number,
                    reason=reason,
                )
                plan.report.updated += 1
            else:
                plan.report.unchanged += 1
            continue
        decision = DisciplineDecision(
            planned.number, planned.day, planned.form, planned.deciding_org, planned.violation
        )
        try:
            with transaction.atomic():
                record_discipline(
                    actor, planned.subject, decision, reason=reason, deadlines=deadlines
                )
        except DomainError as exc:
            header = {"form": FORM, "deciding_org": DECIDING, "decided_on": DAY}.get(exc.field)
            plan.problem(planned.row, header or SUBJECT, exc.message)
            continue
        plan.report.created += 1


def import_disciplines(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Discipline decisions: every row valid and applied, then all kept, or nothing.

    `actor` None is the command line, acting on all organisations; a web user imports decisions
    on members and organisations they manage."""
    plan = DisciplinesPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
