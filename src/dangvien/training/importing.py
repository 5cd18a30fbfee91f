"""`dangvien import training`: courses and their learners' results from a spreadsheet, all or
nothing, one row a learner (Mã khóa, Mã đảng viên); the course's cells repeat on its rows.

A course not yet in the system is opened under the organisation the row names (Mã tổ chức);
one already there keeps what it has: its cells on the row must agree (name, kind, dates), and a
course of the same kind, name and dates under another code is the same course (no duplicate).
A learner's result already recorded is never overwritten by a different one (a correction
needs its reason, on the course's results screen). The plan says of each row whether it is
new, unchanged, or in conflict with the system (the row's problem, nothing written). Each row
goes through the services the pages use (`services.create_course`, `add_participant`,
`record_result`: a result passed raises the member's political theory), inside the write
transaction with the file named as the reason: a refusal is the problem of its row and nothing
is written. The same file again changes nothing."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, validate_then_write
from dangvien.core.roles import Capability
from dangvien.core.spreadsheets import Column, cell_text, parse_date
from dangvien.core.vntext import fold
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from dangvien.training import services
from dangvien.training.models import Course, CourseKind, CourseStatus, Participant, Result

COURSE, NAME, KIND, ORG = "Mã khóa", "Tên khóa", "Loại", "Mã tổ chức"
STARTS, ENDS, CODE, RESULT = "Từ ngày", "Đến ngày", "Mã đảng viên", "Kết quả"
NUMBER, ISSUED = "Số chứng chỉ", "Ngày cấp"
COLUMNS = [
    Column(COURSE, "course", required=True),
    Column(NAME, "name", required=True),
    Column(KIND, "kind", required=True),
    Column(STARTS, "starts", required=True),
    Column(ENDS, "ends", required=True),
    Column(CODE, "code", required=True),
    Column(RESULT, "result"),
    Column(NUMBER, "number"),
    Column(ISSUED, "issued"),
    Column(ORG, "org"),
]
KINDS = {fold(kind.label): kind.value for kind in CourseKind}
RESULTS = {fold(result.label): result.value for result in Result}


@dataclass
class PlannedLearner:
    row: int
    course_code: str
    course: services.CourseInput
    org_code: str
    code: str
    result: services.ResultInput | None
    member: Member | None = None
    existing_course: Course | None = None
    existing: Participant | None = None
    conflict: str = ""  # what the system holds that the row contradicts

    @property
    def action(self) -> str:
        if self.conflict:
            return "conflict"
        if self.existing is None:
            return "create"
        old, new = self.existing, self.result
        if new is None:
            return "unchanged"
        same = (old.result, old.certificate_number, old.certificate_on) == (
            new.result,
            new.certificate_number.strip(),
            new.certificate_on,
        )
        return "unchanged" if same else "update"  # a result recorded for the first time

    @property
    def name(self) -> str:
        return self.member.full_name if self.member is not None else ""

    @property
    def detail(self) -> str:
        result = Result(self.result.result).label if self.result else "chưa có kết quả"
        return f"{self.course.name}: {result}"


class TrainingPlan(ImportPlan):
    kind = "training"
    columns = COLUMNS
    fields = {
        "course": (Course, "code"),
        "name": (Course, "name"),
        "code": (Member, "code"),
        "number": (Participant, "certificate_number"),
    }

    def _date(self, number: int, header: str, value) -> datetime.date | None:
        try:
            return parse_date(value)
        except ValueError as exc:
            self.problem(number, header, str(exc))
            return None

    def _parse_row(self, number: int, raw: dict) -> None:
        course_code, name, code = (cell_text(raw[key]) for key in ("course", "name", "code"))
        for value, header in ((course_code, COURSE), (name, NAME), (code, CODE)):
            if not value:
                self.problem(number, header, "không được để trống.")
        kind = KINDS.get(fold(cell_text(raw["kind"])))
        if kind is None:
            allowed = ", ".join(f"«{k.label}»" for k in CourseKind)
            self.problem(number, KIND, f"“{cell_text(raw['kind'])}” không phải {allowed}.")
        starts = self._date(number, STARTS, raw["starts"]) if cell_text(raw["starts"]) else None
        ends = self._date(number, ENDS, raw["ends"]) if cell_text(raw["ends"]) else None
        if starts is None or ends is None:
            self.problem(number, STARTS if starts is None else ENDS, "cần ghi ngày.")
        result_text, result = cell_text(raw["result"]), None
        if result_text:
            result = RESULTS.get(fold(result_text))
            if result is None:
                allowed = ", ".join(f"«{r.label}»" for r in Result)
                self.problem(number, RESULT, f"“{result_text}” không phải {allowed}.")
        issued = self.past_day(number, ISSUED, raw["issued"]) if cell_text(raw["issued"]) else None
        if (cell_text(raw["number"]) or issued) and not result_text:
            self.problem(number, RESULT, "ghi kết quả khi ghi chứng chỉ.")
        if number in self.rejected or kind is None:
            return
        finished = ends <= timezone.localdate() if ends else False
        self.planned.append(
            PlannedLearner(
                number,
                course_code,
                services.CourseInput(
                    course_code,
                    name,
                    kind,
                    starts,
                    ends,
                    status=CourseStatus.FINISHED if finished else CourseStatus.PLANNED,
                ),
                cell_text(raw["org"]),
                code,
                services.ResultInput(result, cell_text(raw["number"]), issued) if result else None,
            )
        )

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        courses: dict[str, PlannedLearner] = {}
        for planned in self.planned:
            key = (planned.course_code, planned.code)
            if key in first:
                self.problem(planned.row, CODE, f"trùng với dòng {first[key]}.")
            first.setdefault(key, planned.row)
            same = courses.setdefault(planned.course_code, planned)
            if (same.course.name, same.course.kind, same.course.starts_on) != (
                planned.course.name,
                planned.course.kind,
                planned.course.starts_on,
            ) or same.course.ends_on != planned.course.ends_on:
                self.problem(
                    planned.row, NAME, f"khóa {planned.course_code} khác với dòng {same.row}."
                )
        self.resolve_members(CODE, Capability.VIEW, scope_word="")

    def _match_existing(self) -> None:
        found = {
            course.code: course
            for course in Course.unscoped.filter(code__in={p.course_code for p in self.planned})
        }
        twins = _same_courses([p.course for p in self.planned if p.course_code not in found])
        learners = {
            (row.course_id, row.member_id): row
            for row in Participant.unscoped.filter(
                course__in=found.values(), annulled_at__isnull=True, member__isnull=False
            )
        }
        for planned in self.planned:
            planned.existing_course = found.get(planned.course_code)
            if planned.existing_course is None:
                twin = twins.get(_course_key(planned.course))
                if twin is not None:
                    self._conflict(
                        planned,
                        NAME,
                        f"khóa {twin.code} đã có trong hệ thống cùng tên, loại và thời gian: "
                        f"ghi mã {twin.code} thay cho {planned.course_code}, không mở khóa trùng.",
                    )
                continue
            if differs := _course_differences(planned.existing_course, planned.course):
                self._conflict(
                    planned,
                    NAME,
                    f"khóa {planned.course_code} đã có trong hệ thống với "
                    + "; ".join(differs)
                    + ": sửa tệp cho khớp, hoặc sửa khóa trên trang của khóa (có lý do).",
                )
                continue
            planned.existing = learners.get((planned.existing_course.pk, planned.member.pk))
            if (old := planned.existing) is not None and old.result and planned.action == "update":
                self._conflict(
                    planned,
                    RESULT,
                    f"{planned.member.full_name} đã có kết quả «{old.get_result_display()}»"
                    + (f", chứng chỉ số {old.certificate_number}" if old.certificate_number else "")
                    + ", khác với tệp: sửa kết quả trên màn hình kết quả của khóa, có lý do.",
                )

    def _conflict(self, planned: PlannedLearner, header: str, message: str) -> None:
        """The row contradicts what the system holds: its problem, so nothing is written."""
        planned.conflict = message
        self.problem(planned.row, header, message)


def _course_key(course: services.CourseInput) -> tuple:
    return (fold(course.name), course.kind, course.starts_on, course.ends_on)


def _same_courses(courses: list[services.CourseInput]) -> dict[tuple, Course]:
    """The courses already in the system with the kind, name and dates of a course of the file
    under a code the system does not know (one query)."""
    if not courses:
        return {}
    wanted = {_course_key(course) for course in courses}
    candidates = Course.unscoped.filter(
        kind__in={course.kind for course in courses},
        starts_on__in={course.starts_on for course in courses},
    ).exclude(status=CourseStatus.CANCELLED)
    return {
        _course_key(course): course
        for course in candidates
        if _course_key(course) in wanted  # the name compared as folded (case, accents)
    }


def _course_differences(course: Course, row: services.CourseInput) -> list[str]:
    """What the course in the system says that the file's row does not (dd/mm/yyyy dates)."""
    said = []
    if fold(course.name) != fold(row.name):
        said.append(f"tên «{course.name}»")
    if course.kind != row.kind:
        said.append(f"loại «{course.get_kind_display()}»")
    for label, old, new in (
        ("từ ngày", course.starts_on, row.starts_on),
        ("đến ngày", course.ends_on, row.ends_on),
    ):
        if old != new:
            said.append(f"{label} {old:%d/%m/%Y} (tệp ghi {new:%d/%m/%Y})")
    return said


_HEADERS = {
    "code": COURSE,
    "name": NAME,
    "kind": KIND,
    "starts_on": STARTS,
    "ends_on": ENDS,
    "status": ENDS,
    "member_code": CODE,
    "result": RESULT,
    "certificate_number": NUMBER,
    "certificate_on": ISSUED,
}


def _course(plan: TrainingPlan, actor, planned: PlannedLearner, opened: dict) -> Course:
    course = opened.get(planned.course_code) or planned.existing_course
    if course is not None:
        if not plan.manages(course.org_path):
            raise DomainError(f"khóa {course.code} ngoài phạm vi quản lý.", field="code")
        return course
    org = Organization.unscoped.filter(code=planned.org_code).first()
    if not planned.org_code or org is None or not plan.manages(org.path):
        raise DomainError(
            f"khóa {planned.course_code} chưa có: ghi mã tổ chức mở khóa trong phạm vi quản lý.",
            field="org",
        )
    course = services.create_course(actor, org, planned.course)
    opened[planned.course_code] = course
    return course


def _apply(plan: TrainingPlan, actor, filename: str) -> None:
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    opened: dict[str, Course] = {}
    for planned in plan.planned:
        action = planned.action
        if action == "unchanged":
            plan.report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                course = _course(plan, actor, planned, opened)
                learner = planned.existing or services.add_participant(
                    actor, course, member=planned.member
                )
                if planned.result is not None:
                    services.record_result(actor, learner, planned.result, reason=reason)
        except DomainError as error:
            header = ORG if error.field == "org" else _HEADERS.get(error.field, CODE)
            plan.problem(planned.row, header, error.message)
            continue
        if action == "create":
            plan.report.created += 1
        else:
            plan.report.updated += 1


def import_training(content, filename: str = "", *, actor=None, dry_run: bool = False):
    """Courses and results: every row valid and applied, then all kept, or nothing. `actor`
    None is the command line, acting on all organisations."""
    plan = TrainingPlan(content, filename, actor)
    report: ImportReport = validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
    return report
