"""`dangvien import awards`: the awards of members and organisations (khen thưởng) from a
spreadsheet, all or nothing, keyed by (Số quyết định, Mã đảng viên or Mã tổ chức): the history
of awards decided before the system.

Each row goes through the same service as an award recorded by hand
(`services.record_award`; an award already recorded under that decision for that subject is
corrected with `services.correct_award`, the file named as the reason), inside the write
transaction: a refusal is the problem of its row and nothing is written. The same file again
changes nothing."""

import re
from dataclasses import dataclass

from django.db import transaction

from dangvien.awards import services
from dangvien.awards.models import (
    NEW_UPPER_LEVEL,
    OLD_UPPER_LEVEL,
    Award,
    AwardForm,
    AwardLevel,
)
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, chunks, validate_then_write
from dangvien.core.roles import Capability
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.members.models import Member
from dangvien.organizations.models import Organization

MEMBER, ORG, FORM, LEVEL = "Mã đảng viên", "Mã tổ chức", "Hình thức", "Cấp khen"
TITLE, YEAR, NUMBER = "Danh hiệu/nội dung", "Năm", "Số quyết định"
DAY, BODY, REASON = "Ngày quyết định", "Cơ quan quyết định", "Lý do"
COLUMNS = [
    Column(MEMBER, "member"),
    Column(ORG, "org"),
    Column(FORM, "form", required=True),
    Column(LEVEL, "level", required=True),
    Column(TITLE, "title", required=True),
    Column(YEAR, "year", required=True),
    Column(NUMBER, "number", required=True),
    Column(DAY, "day", required=True),
    Column(BODY, "body", required=True),
    Column(REASON, "reason"),
]
FORMS = {fold(form.label): form.value for form in AwardForm if form != AwardForm.KHAC}
LEVELS = {fold(level.label): level.value for level in AwardLevel}
# Files of the years before 01/07/2025 and those written since name the upper level so.
LEVELS |= {fold(OLD_UPPER_LEVEL): AwardLevel.CAP_TREN_CO_SO}
LEVELS |= {fold(NEW_UPPER_LEVEL): AwardLevel.CAP_TREN_CO_SO}
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4})\s*)?$")
HEADERS = {
    "form": FORM,
    "form_other": FORM,
    "level": LEVEL,
    "title": TITLE,
    "year_from": YEAR,
    "year_to": YEAR,
    "decision_number": NUMBER,
    "decided_on": DAY,
    "deciding_body": BODY,
    "reason": REASON,
}


def parse_years(value) -> tuple[tuple[int, int] | None, str]:
    """«2021» or «2017-2021» (an en dash accepted): (from, to) or (None, message)."""
    text = cell_text(value)
    match = _YEARS.match(text)
    if not match:
        return None, f"“{text}” không phải một năm (2021) hay các năm liền (2017-2021)."
    first, last = int(match[1]), int(match[2] or match[1])
    if not 1930 <= first <= last <= 2100:
        return None, f"“{text}”: năm từ 1930 đến 2100, năm đầu không sau năm cuối."
    return (first, last), ""


def parse_form(text: str) -> tuple[str, str]:
    """A form's label, or any other name (then «Khác» with that name)."""
    form = FORMS.get(fold(text))
    return (form, "") if form else (AwardForm.KHAC, text)


@dataclass
class PlannedAward:
    row: int
    code: str
    is_member: bool
    data: services.AwardData
    subject: Member | Organization | None = None
    existing: Award | None = None

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        same = all(
            getattr(self.existing, name) == value
            for name, value in services.award_values(self.data).items()
        )
        return "unchanged" if same else "update"

    @property
    def name(self) -> str:
        subject = self.subject
        if subject is None:
            return ""
        return subject.full_name if isinstance(subject, Member) else subject.name

    @property
    def detail(self) -> str:
        return f"{self.data.title} ({self.data.decision_number})"


class AwardsPlan(ImportPlan):
    kind = "awards"
    columns = COLUMNS
    fields = {
        "member": (Member, "code"),
        "org": (Organization, "code"),
        "title": (Award, "title"),
        "number": (Award, "decision_number"),
        "body": (Award, "deciding_body"),
        "reason": (Award, "reason"),
    }

    def _parse_row(self, number: int, raw: dict) -> None:
        values = {key: cell_text(raw[key]) for key in ("member", "org", "form", "level", "title")}
        values |= {key: cell_text(raw[key]) for key in ("number", "body", "reason")}
        if bool(values["member"]) == bool(values["org"]):
            self.problem(number, MEMBER, "ghi mã đảng viên hoặc mã tổ chức (một trong hai).")
        for key, header in (("form", FORM), ("title", TITLE), ("number", NUMBER), ("body", BODY)):
            if not values[key]:
                self.problem(number, header, "không được để trống.")
        level = LEVELS.get(fold(values["level"]))
        if level is None:
            allowed = ", ".join(f"«{item.label}»" for item in AwardLevel)
            self.problem(number, LEVEL, f"“{values['level']}” không phải một trong {allowed}.")
        years, message = parse_years(raw["year"])
        if message:
            self.problem(number, YEAR, message)
        day = self.past_day(number, DAY, raw["day"])
        if number in self.rejected:
            return
        form, other = parse_form(values["form"])
        data = services.AwardData(
            form=form,
            form_other=other,
            level=level,
            title=values["title"],
            year_from=years[0],
            year_to=years[1],
            decision_number=values["number"],
            decided_on=day,
            deciding_body=values["body"],
            reason=values["reason"],
        )
        code = values["member"] or values["org"]
        self.planned.append(PlannedAward(number, code, bool(values["member"]), data))

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.data.decision_number, planned.is_member, planned.code)
            if key in first:
                self.problem(
                    planned.row,
                    NUMBER,
                    f"quyết định {key[0]} với {planned.code} bị trùng với dòng {first[key]}.",
                )
            else:
                first[key] = planned.row
        member_codes = sorted({p.code for p in self.planned if p.is_member})
        org_codes = sorted({p.code for p in self.planned if not p.is_member})
        members: dict[str, Member] = {}
        orgs: dict[str, Organization] = {}
        for chunk in chunks(member_codes):
            members.update((m.code, m) for m in Member.unscoped.filter(code__in=chunk))
        for chunk in chunks(org_codes):
            orgs.update((o.code, o) for o in Organization.unscoped.filter(code__in=chunk))
        for planned in self.planned:
            subject = (members if planned.is_member else orgs).get(planned.code)
            path = (
                services.subject_path(subject, planned.data.decided_on)
                if subject is not None
                else ""
            )
            if subject is None or not (
                self.scope is None or self.scope.allows(Capability.MANAGE_ORGS, path)
            ):
                header, what = (MEMBER, "đảng viên") if planned.is_member else (ORG, "tổ chức")
                self.problem(
                    planned.row,
                    header,
                    f"không tìm thấy {what} mã {planned.code} trong phạm vi quản lý.",
                )
            else:
                planned.subject = subject

    def _match_existing(self) -> None:
        numbers = sorted({p.data.decision_number for p in self.planned})
        found: dict[tuple, Award] = {}
        for chunk in chunks(numbers):
            for award in Award.unscoped.filter(decision_number__in=chunk, annulled_at__isnull=True):
                found[(award.decision_number, award.member_id, award.organization_id)] = award
        for planned in self.planned:
            subject = planned.subject
            key = (
                planned.data.decision_number,
                subject.pk if planned.is_member else None,
                None if planned.is_member else subject.pk,
            )
            planned.existing = found.get(key)


def _apply(plan: AwardsPlan, actor, filename: str) -> None:
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    for planned in plan.planned:
        action = planned.action
        if action == "unchanged":
            plan.report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                if action == "create":
                    services.record_award(actor, planned.subject, planned.data, reason=reason)
                else:
                    services.correct_award(actor, planned.existing, planned.data, reason=reason)
        except DomainError as error:
            header = HEADERS.get(error.field) or (MEMBER if planned.is_member else ORG)
            plan.problem(planned.row, header, error.message)
            continue
        if action == "create":
            plan.report.created += 1
        else:
            plan.report.updated += 1


def import_awards(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Awards: every row valid and applied, then all kept, or nothing. `actor` None is the
    command line, acting on all organisations; a web user imports the awards of the members and
    organisations whose organisations they manage."""
    plan = AwardsPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
