"""Training courses, their participants and results (domain-briefs §12), and what a result
passed changes in the member's and the candidate's files. Courses are the organising
committee's (an officer managing organisations there); each write is audited, an edit carries
the version it read, nothing is deleted."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.admissions.candidates import services as candidate_services
from dangvien.admissions.models import Candidate
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.models import RuleException
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.members import services as member_services
from dangvien.members.models import THEORY_LEVELS, Member, Status
from dangvien.organizations.models import Organization
from dangvien.training.models import (
    THEORY_LEVEL_OF,
    Course,
    CourseKind,
    CourseStatus,
    Participant,
    Result,
)
from dangvien.training.selectors import NEW_MEMBER_RULE, new_member_exception


@dataclass(frozen=True)
class CourseInput:
    code: str
    name: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    teaching_body: str = ""
    place: str = ""
    status: str = CourseStatus.PLANNED
    note: str = ""


@dataclass(frozen=True)
class ResultInput:
    """A learner's result as the results screen or an import gives it."""

    result: str
    certificate_number: str = ""
    certificate_on: datetime.date | None = None
    distinguished: bool = False
    distinction_note: str = ""


def _organises(actor, path: str) -> None:
    """The organising committee's officers (training is the committees' work, domain-briefs
    §12): an officer managing organisations at the organiser. No actor is the command line
    (an import), acting on all organisations."""
    if actor is not None:
        require(actor, Capability.MANAGE_ORGS, path)


def _check_course(data: CourseInput) -> dict:
    if data.kind not in CourseKind.values:
        raise DomainError("Loại khóa không hợp lệ.", field="kind")
    if data.status not in CourseStatus.values:
        raise DomainError("Tình trạng không hợp lệ.", field="status")
    for field, label in (
        ("code", "Mã khóa"),
        ("name", "Tên khóa"),
        ("teaching_body", "Nơi giảng dạy"),
        ("place", "Địa điểm"),
    ):
        require_text(getattr(data, field), field=field, label=label)
    require_text(data.note, field="note", label="Ghi chú", multiline=True)
    if not data.code.strip():
        raise DomainError("Ghi mã khóa.", field="code")
    if not data.name.strip():
        raise DomainError("Ghi tên khóa.", field="name")
    if data.starts_on is None or data.ends_on is None:
        raise DomainError("Ghi ngày bắt đầu và ngày kết thúc.", field="starts_on")
    if data.ends_on < data.starts_on:
        raise DomainError("Ngày kết thúc trước ngày bắt đầu.", field="ends_on")
    if data.status == CourseStatus.FINISHED and data.ends_on > timezone.localdate():
        raise DomainError(
            f"Khóa kết thúc ngày {data.ends_on:%d/%m/%Y}, chưa thể ghi «Đã kết thúc».",
            field="status",
        )
    return {
        "code": data.code.strip(),
        "name": data.name.strip(),
        "kind": data.kind,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "teaching_body": data.teaching_body.strip(),
        "place": data.place.strip(),
        "status": data.status,
        "note": data.note.strip(),
    }


def _code_free(code: str, exclude_pk: int | None = None) -> None:
    taken = Course.unscoped.filter(code=code).exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(f"Mã khóa {code} đã được dùng.", field="code")


@transaction.atomic
def create_course(actor, org: Organization, data: CourseInput) -> Course:
    """Open a course organised by `org`."""
    _organises(actor, org.path)
    if not org.is_active:
        raise DomainError(f"{org.name} đã thôi hoạt động.")
    values = _check_course(data)
    _code_free(values["code"])
    course = Course.unscoped.create(
        organization=org, org_path=org.path, created_by=audit.acting_user(actor), **values
    )
    audit.record(
        actor,
        "training.course",
        course,
        org_path=org.path,
        changes={"training": [None, f"{course.name} ({course.get_kind_display()})"]},
        effective_on=course.starts_on,
    )
    return course


@transaction.atomic
def correct_course(
    actor, course: Course, data: CourseInput, *, reason: str, expected_version: str | None = None
) -> Course:
    """Correct a course (its dates, place, status …) with the reason; the kind stays once a
    result is recorded, since results have updated the learners' files by it."""
    _organises(actor, course.org_path)
    versions.check(course, expected_version, label="Khóa bồi dưỡng")
    course = Course.unscoped.select_for_update().get(pk=course.pk)
    values = _check_course(data)
    reason = require_reason(reason, "Ghi lý do sửa.")
    if values["code"] != course.code:
        _code_free(values["code"], course.pk)
    has_results = course.participants.filter(annulled_at__isnull=True).exclude(result="")
    if values["kind"] != course.kind and has_results.exists():
        raise DomainError(
            "Khóa đã có kết quả: không đổi loại khóa được (kết quả đã cập nhật hồ sơ học viên).",
            field="kind",
        )
    changes = {}
    for name, value in values.items():
        old = getattr(course, name)
        if old != value:
            changes[name] = [old, value]
            setattr(course, name, value)
    if not changes:
        raise DomainError("Không có gì thay đổi.")
    course.save()
    versions.bump(course)
    audit.record(
        actor,
        "training.course_correct",
        course,
        org_path=course.org_path,
        changes=changes,
        reason=reason,
    )
    return course


def _lock_course(course: Course) -> Course:
    course = Course.unscoped.select_for_update().select_related("organization").get(pk=course.pk)
    if course.status == CourseStatus.CANCELLED:
        raise DomainError(f"Khóa «{course.name}» đã hủy.")
    return course


@transaction.atomic
def add_participant(
    actor, course: Course, *, member: Member | None = None, candidate: Candidate | None = None
) -> Participant:
    """A learner of the course: a member of the organiser's subtree, active; or, in an awareness
    class only, a candidate of its subtree whose file is open (HD 12-HD/BTCTW 2022 §1.1)."""
    _organises(actor, course.org_path)
    course = _lock_course(course)
    if (member is None) == (candidate is None):
        raise DomainError("Chọn một đảng viên hoặc một quần chúng.", field="member_code")
    if member is not None:
        if not member.branch_path.startswith(course.org_path):
            raise DomainError(
                f"{member.full_name} không sinh hoạt trong {course.organization.name}.",
                field="member_code",
            )
        if not member.is_active:
            raise DomainError(f"{member.full_name} không còn sinh hoạt đảng.", field="member_code")
        duplicate = course.participants.filter(member=member, annulled_at__isnull=True)
        person = member
    else:
        if course.kind != CourseKind.AWARENESS:
            raise DomainError(
                "Quần chúng chỉ học lớp bồi dưỡng nhận thức về Đảng.", field="member_code"
            )
        if not candidate.org_path.startswith(course.org_path) or not candidate.is_open:
            raise DomainError(
                f"{candidate.full_name} không ở trong nguồn kết nạp của "
                f"{course.organization.name}.",
                field="member_code",
            )
        duplicate = course.participants.filter(candidate=candidate, annulled_at__isnull=True)
        person = candidate
    if duplicate.exists():
        raise DomainError(f"{person} đã có trong danh sách học viên.", field="member_code")
    participant = Participant.unscoped.create(
        course=course, member=member, candidate=candidate, created_by=audit.acting_user(actor)
    )
    audit.record(
        actor,
        "training.participant",
        course,
        org_path=course.org_path,
        changes={"participant": [None, str(person)]},
    )
    return participant


def _check_result(course: Course, data: ResultInput) -> None:
    today = timezone.localdate()
    if data.result not in Result.values:
        raise DomainError("Kết quả không hợp lệ.", field="result")
    if course.starts_on > today:
        raise DomainError(
            f"Khóa bắt đầu ngày {course.starts_on:%d/%m/%Y}: chưa ghi kết quả được.",
            field="result",
        )
    require_text(data.certificate_number, field="certificate_number", label="Số chứng chỉ")
    require_text(data.distinction_note, field="distinction_note", label="Ghi chú khen")
    day = data.certificate_on
    if day is not None:
        if day > today:
            raise DomainError(f"Ngày cấp {day:%d/%m/%Y} ở tương lai.", field="certificate_on")
        if day < course.starts_on:
            raise DomainError("Ngày cấp trước ngày khai giảng.", field="certificate_on")
    if data.result == Result.FAILED and (data.certificate_number.strip() or day is not None):
        raise DomainError("Học viên không đạt thì không có chứng chỉ.", field="certificate_number")
    if data.distinguished and data.result == Result.FAILED:
        raise DomainError("Học viên không đạt không được khen.", field="distinguished")


def _values(data: ResultInput) -> dict:
    return {
        "result": data.result,
        "certificate_number": data.certificate_number.strip(),
        "certificate_on": data.certificate_on,
        "distinguished": data.distinguished,
        "distinction_note": data.distinction_note.strip(),
    }


@transaction.atomic
def record_result(
    actor,
    participant: Participant,
    data: ResultInput | None,
    *,
    reason: str = "",
    expected_version: str | None = None,
) -> Participant:
    """Record a learner's result; changing a result already recorded is a correction and needs
    its reason. A result passed updates the learner's file (`_apply`): never downwards, so a
    corrected result leaves the member's record as it is (corrected there, with its reason).
    No result (`data` None: the row cleared) is refused, once the version is known current."""
    _organises(actor, participant.course.org_path)
    versions.check(participant, expected_version, label=f"Kết quả của {participant.person}")
    if data is None:
        raise DomainError(
            "Không xóa kết quả đã ghi: sửa thành kết quả đúng, hoặc hủy học viên ghi nhầm.",
            field="result",
        )
    participant = (
        Participant.unscoped.select_for_update(of=("self",))  # member, candidate: outer joins
        .select_related("course__organization", "member", "candidate")
        .get(pk=participant.pk)
    )
    if participant.annulled_at is not None:
        raise DomainError(f"{participant.person} đã được hủy khỏi danh sách học viên.")
    course = _lock_course(participant.course)
    _check_result(course, data)
    correcting = bool(participant.result)
    changes = {}
    for name, value in _values(data).items():
        old = getattr(participant, name)
        if old != value:
            changes[name] = [old, value]
            setattr(participant, name, value)
    if not changes:
        return participant
    if correcting:
        reason = require_reason(reason, f"Ghi lý do sửa kết quả của {participant.person}.")
    participant.save()
    versions.bump(participant)
    audit.record(
        actor,
        "training.result_correct" if correcting else "training.result",
        participant,
        org_path=course.org_path,
        changes=changes,
        effective_on=data.certificate_on,
        decision_number=participant.certificate_number,
        reason=reason,
    )
    if participant.passed:
        _apply(actor, participant, course)
    return participant


def _apply(actor, participant: Participant, course: Course) -> None:
    """What a result passed changes: a political-theory course raises the member's level
    (members.services.update_member, so the history shows it, by the officer recording the
    result or by the command line's import); an awareness class gives an open candidate the
    class certificate when they have none or an older one, until the branch has voted (the file
    is then fixed)."""
    level = THEORY_LEVEL_OF.get(course.kind)
    member = participant.member
    if level and member is not None:
        current = member.political_theory
        rank = THEORY_LEVELS.index
        if not current or (current in THEORY_LEVELS and rank(current) < rank(level)):
            reason = f"Kết quả {course.name} ({participant.get_result_display()})."
            member_services.update_member(actor, member, {"political_theory": level}, reason=reason)
    candidate = participant.candidate
    if course.kind == CourseKind.AWARENESS and candidate is not None:
        on = participant.certificate_on or course.ends_on
        if on > timezone.localdate():
            return
        older = candidate.class_attended_on is None or candidate.class_attended_on < on
        if older and candidate.is_open and not candidate_services.branch_has_voted(candidate):
            candidate_services.record_awareness_class(
                actor,
                candidate,
                attended_on=on,
                certificate_number=participant.certificate_number,
                organiser=course.teaching_body or course.organization.name,
            )


@transaction.atomic
def annul_participant(
    actor, participant: Participant, *, reason: str, expected_version: str | None = None
) -> Participant:
    """A learner recorded by mistake: kept, marked, no longer listed or counted. What a result
    already changed in the learner's file stays; it is corrected there with its reason."""
    _organises(actor, participant.course.org_path)
    versions.check(participant, expected_version, label="Học viên")
    participant = Participant.unscoped.select_for_update().get(pk=participant.pk)
    if participant.annulled_at is not None:
        raise DomainError("Học viên đã được hủy.")
    reason = require_reason(reason, "Ghi lý do hủy.")
    participant.mark_annulled(actor, reason)
    versions.bump(participant)
    audit.record(
        actor,
        "training.participant_annul",
        participant.course,
        org_path=participant.course.org_path,
        changes={"participant": [str(participant.person), None]},
        reason=reason,
    )
    return participant


@transaction.atomic
def except_new_member_class(actor, member: Member, *, reason: str, document: str = ""):
    """Allow the recognition of a probationary member without the new-member class certificate
    (the class not held in the probation year, illness …): an officer managing organisations
    at the member's branch, with the reason and the document allowing it ([U] HD 12-HD/BTCTW
    2022; rule `new_member_class_required`)."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    if member.status != Status.PROBATIONARY:
        raise DomainError(f"{member.full_name} không phải đảng viên dự bị.")
    if new_member_exception(member) is not None:
        raise DomainError("Đã ghi ngoại lệ này.")
    reason = require_reason(reason, "Ghi lý do ngoại lệ.")
    require_text(reason, field="reason", label="Lý do", multiline=True)
    require_text(document, field="document", label="Văn bản")
    exception = RuleException.unscoped.create(
        rule_key=NEW_MEMBER_RULE,
        target_type=member._meta.label_lower,
        target_id=member.pk,
        org_path=member.branch_path,
        reason=reason,
        decision_number=document.strip(),
        actor=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "training.exception",
        member,
        org_path=member.branch_path,
        changes={"new_member_class_exception": [None, reason]},
        decision_number=document.strip(),
        reason=reason,
    )
    return exception
