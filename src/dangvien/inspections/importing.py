"""`dangvien import inspections`: inspection and supervision activities from a spreadsheet
(formats.md), all or nothing, keyed by (Số quyết định, Mã đối tượng).

Each new row goes through the same service as an activity recorded by hand
(`services.record_inspection`: the body's kind, the forms of a supervision, the subject below
the body and existing on the day), then, when the row gives a conclusion, through `conclude`.
A row already recorded may add the conclusion still missing or a corrected content; anything
else it would change is its problem (a conclusion is reopened on the activity's page, with a
reason). The same file again changes nothing."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, validate_then_write
from dangvien.core.roles import Capability
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.core.workdays import RuleDeadlines
from dangvien.discipline.importing import repeated_keys, subject_of, subjects_by_code
from dangvien.inspections import services
from dangvien.inspections.models import Activity, Body, Conclusion, Inspection, InspectionForm
from dangvien.members.models import Member
from dangvien.organizations.models import Organization

NUMBER, DAY, ACTIVITY, FORM = "Số quyết định", "Ngày quyết định", "Hoạt động", "Hình thức"
BODY, CONDUCTED_BY, SUBJECT = "Mã chủ thể", "Cơ quan tiến hành", "Mã đối tượng"
CONTENT, CONCLUSION, CONCLUDED_ON = "Nội dung", "Kết luận", "Ngày kết luận"
COLUMNS = [
    Column(NUMBER, "number", required=True),
    Column(DAY, "day", required=True),
    Column(ACTIVITY, "activity", required=True),
    Column(FORM, "form", required=True),
    Column(BODY, "body", required=True),
    Column(CONDUCTED_BY, "conducted_by", required=True),
    Column(SUBJECT, "subject", required=True),
    Column(CONTENT, "content"),
    Column(CONCLUSION, "conclusion"),
    Column(CONCLUDED_ON, "concluded_on"),
]
CHOICES = {
    "activity": (ACTIVITY, Activity),
    "form": (FORM, InspectionForm),
    "conducted_by": (CONDUCTED_BY, Body),
    "conclusion": (CONCLUSION, Conclusion),
}


def _choice(choices) -> dict[str, str]:
    """Label → value, read without diacritics, case or punctuation differences."""
    return {fold(choice.label).replace(",", ""): choice.value for choice in choices}


FOLDED = {key: _choice(choices) for key, (_, choices) in CHOICES.items()}


@dataclass
class PlannedInspection:
    """One row: the activity of decision `number` on the subject `code`."""

    row: int
    number: str
    code: str
    day: datetime.date
    values: dict  # activity, form, conducted_by, conclusion (slugs), body code, content
    concluded_on: datetime.date | None
    subject: Member | Organization | None = None
    body: Organization | None = None
    existing: Inspection | None = None

    @property
    def concludes(self) -> bool:
        return self.values["conclusion"] != Conclusion.PENDING

    @property
    def action(self) -> str:
        existing = self.existing
        if existing is None:
            return "create"
        adds = existing.conclusion == Conclusion.PENDING and self.concludes
        if adds or (self.values["content"] and existing.content != self.values["content"]):
            return "update"
        return "unchanged"

    @property
    def name(self) -> str:
        subject = self.subject
        if subject is None:
            return ""
        return subject.full_name if isinstance(subject, Member) else subject.name

    @property
    def detail(self) -> str:
        return (
            f"{Activity(self.values['activity']).label} "
            f"{InspectionForm(self.values['form']).label.lower()}, {self.day:%d/%m/%Y}"
        )


class InspectionsPlan(ImportPlan):
    kind = "inspections"
    columns = COLUMNS
    fields = {
        "number": (Inspection, "decision_number"),
        "subject": (Member, "code"),
        "body": (Organization, "code"),
    }

    def _parse_row(self, number: int, raw: dict) -> None:
        values = {key: cell_text(raw[key]) for key in ("number", "subject", "body")}
        for key, header in (("number", NUMBER), ("subject", SUBJECT), ("body", BODY)):
            if not values[key]:
                self.problem(number, header, "không được để trống.")
        for key, (header, choices) in CHOICES.items():
            text = cell_text(raw[key])
            if key == "conclusion" and not text:
                values[key] = Conclusion.PENDING
                continue
            values[key] = FOLDED[key].get(fold(text).replace(",", ""))
            if values[key] is None:
                allowed = ", ".join(f"«{choice.label}»" for choice in choices)
                self.problem(number, header, f"“{text}” không phải một trong {allowed}.")
        values["content"] = cell_text(raw["content"])
        day = self.past_day(number, DAY, raw["day"])
        concluded_on = self._concluded_on(number, raw["concluded_on"], values["conclusion"], day)
        required = ("number", "subject", "body", *CHOICES)
        if all(values[key] for key in required) and day and concluded_on is not False:
            number_text, code = values.pop("number"), values.pop("subject")
            self.planned.append(
                PlannedInspection(number, number_text, code, day, values, concluded_on)
            )

    def _concluded_on(self, number: int, value, conclusion, day) -> datetime.date | bool | None:
        """The conclusion's day: required with a conclusion, not before the decision nor in
        the future, none without one; False when the row has a problem."""
        if value is None or value == "":
            if conclusion not in (None, Conclusion.PENDING):
                self.problem(number, CONCLUDED_ON, "cần ghi ngày kết luận khi đã có kết luận.")
                return False
            return None
        if conclusion in (None, Conclusion.PENDING):
            self.problem(number, CONCLUDED_ON, "có ngày kết luận nhưng cột Kết luận chưa ghi.")
            return False
        concluded_on = self.past_day(number, CONCLUDED_ON, value)
        if concluded_on is None:
            return False
        if day and concluded_on < day:
            self.problem(
                number, CONCLUDED_ON, f"ngày {concluded_on:%d/%m/%Y} trước ngày quyết định."
            )
            return False
        return concluded_on

    def _check(self) -> None:
        repeated_keys(self)
        members, orgs = subjects_by_code(
            {p.code for p in self.planned}, {p.values["body"] for p in self.planned}
        )
        for planned in self.planned:
            subject = subject_of(
                self,
                planned.row,
                planned.code,
                members,
                orgs,
                (Capability.VIEW, Capability.VIEW),
            )
            if subject is None:
                continue
            body = orgs.get(planned.values["body"])
            if body is None or not (
                self.scope is None or self.scope.allows(Capability.MANAGE_INSPECTIONS, body.path)
            ):
                self.problem(
                    planned.row,
                    BODY,
                    f"không tìm thấy tổ chức mã {planned.values['body']} trong phạm vi được "
                    "ghi kiểm tra, giám sát.",
                )
                continue
            planned.subject, planned.body = subject, body

    def _match_existing(self) -> None:
        numbers = {p.number for p in self.planned}
        found = {
            (i.decision_number, i.member_id, i.organization_id): i
            for i in Inspection.unscoped.filter(decision_number__in=numbers)
        }
        for planned in self.planned:
            subject = planned.subject
            is_member = isinstance(subject, Member)
            key = (
                planned.number,
                subject.pk if is_member else None,
                None if is_member else subject.pk,
            )
            planned.existing = found.get(key)


def _differs(planned: PlannedInspection) -> str:
    """What a row changes of an activity already recorded beyond what it may ("" nothing)."""
    existing, values = planned.existing, planned.values
    said = []
    for field, header in (("activity", ACTIVITY), ("form", FORM), ("conducted_by", CONDUCTED_BY)):
        if getattr(existing, field) != values[field]:
            said.append(f"{header.lower()} «{getattr(existing, f'get_{field}_display')()}»")
    if existing.decided_on != planned.day:
        said.append(f"ngày quyết định {existing.decided_on:%d/%m/%Y}")
    if existing.body_id != planned.body.pk:
        said.append(f"chủ thể {existing.body.code}")
    if existing.annulled_at is not None:
        said.append("đã bị hủy")
    if existing.conclusion != Conclusion.PENDING and (
        (existing.conclusion, existing.concluded_on) != (values["conclusion"], planned.concluded_on)
        and planned.concludes
    ):
        said.append(
            f"kết luận «{existing.get_conclusion_display()}» ngày "
            f"{existing.concluded_on:%d/%m/%Y} (mở lại kết luận trên trang của cuộc kiểm tra)"
        )
    return ", ".join(said)


def _apply(plan: InspectionsPlan, actor, filename: str) -> None:
    """Each row through the services, in the order of the decisions' days."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    new = [p.day for p in plan.planned if p.existing is None]
    deadlines = RuleDeadlines(services.PERIOD_RULE, new) if new else None
    for planned in sorted(plan.planned, key=lambda p: (p.day, p.row)):
        values = planned.values
        try:
            with transaction.atomic():
                if planned.existing is None:
                    decision = services.InspectionDecision(
                        body=planned.body,
                        conducted_by=values["conducted_by"],
                        activity=values["activity"],
                        form=values["form"],
                        number=planned.number,
                        decided_on=planned.day,
                        content=values["content"],
                    )
                    inspection = services.record_inspection(
                        actor, planned.subject, decision, reason=reason, deadlines=deadlines
                    )
                    if planned.concludes:
                        services.conclude(
                            actor,
                            inspection,
                            conclusion=values["conclusion"],
                            concluded_on=planned.concluded_on,
                        )
                    plan.report.created += 1
                    continue
                if differs := _differs(planned):
                    plan.problem(
                        planned.row,
                        NUMBER,
                        f"quyết định {planned.number} đã được ghi với {differs}; không sửa được "
                        "bằng tệp nhập.",
                    )
                    continue
                if planned.action == "unchanged":
                    plan.report.unchanged += 1
                    continue
                existing = planned.existing
                if values["content"] and values["content"] != existing.content:
                    existing = services.record_progress(actor, existing, content=values["content"])
                if existing.conclusion == Conclusion.PENDING and planned.concludes:
                    services.conclude(
                        actor,
                        existing,
                        conclusion=values["conclusion"],
                        concluded_on=planned.concluded_on,
                    )
                plan.report.updated += 1
        except DomainError as exc:
            header = {
                "form": FORM,
                "conducted_by": CONDUCTED_BY,
                "concluded_on": CONCLUDED_ON,
                "decided_on": DAY,
            }.get(exc.field, SUBJECT)
            plan.problem(planned.row, header, exc.message)


def import_inspections(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Inspection and supervision activities: every row valid and applied, then all kept, or
    nothing. `actor` None is the command line, acting on all organisations; a web user records
    the activities of bodies where they may record them, on subjects they see."""
    plan = InspectionsPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
