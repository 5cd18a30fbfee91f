"""Resolution study (học tập, quán triệt; domain-briefs §2): a document studied, an
organisation's study plan with its deadline, the sessions of its base organisations with the
members present, the members' learning reports, and the figures by the deadline.

A plan expects every base organisation below its owner as the tree stood on the deadline
(`indicators.expected_bases`); a base organisation has studied the document when a session of
its own, not annulled, was held by the deadline. The members a session counts against are those
of the organisation on the session's day, computed from the records when it is recorded (kept:
a later transfer does not rewrite who was there). A session is recorded by those who manage the
organisation's members (its secretary, an officer above); a plan by its owner's committee
(`MANAGE_ORGS`)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.attachments import Attachment
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require, scope_of
from dangvien.core.validation import require_reason
from dangvien.members.models import Member
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BASE_KINDS, Organization, OrgState
from dangvien.programmes.models import (
    DocumentKind,
    LearningReport,
    SessionAttendance,
    SessionMode,
    StudyDocument,
    StudyPlan,
    StudySession,
)
from dangvien.programmes.services import clean_text
from dangvien.reports.membership import as_it_stood, members_on


def _past(day: datetime.date | None, field: str, label: str) -> datetime.date:
    if day is None:
        raise DomainError(f"Ghi {label}.", field=field)
    if day > timezone.localdate():
        raise DomainError(f"{label[:1].upper()}{label[1:]} ở tương lai.", field=field)
    return day


@transaction.atomic
def record_document(
    actor,
    *,
    kind: str,
    number: str,
    title: str,
    issued_on: datetime.date,
    issuing_body: str,
    attachment: Attachment | None = None,
) -> StudyDocument:
    """A document to study, in the one catalogue (the same number and date: the one recorded,
    given the file it lacked), with its file (`core.attachments.accept` checked it)."""
    if actor is not None and not scope_of(actor).any(Capability.MANAGE_ORGS):
        raise DomainError("Chỉ cán bộ quản lý tổ chức được ghi văn bản học tập, quán triệt.")
    if kind not in DocumentKind.values:
        raise DomainError("Chọn loại văn bản.", field="kind")
    number = clean_text(number, field="number", label="Số hiệu")
    if not number:
        raise DomainError("Ghi số hiệu văn bản.", field="number")
    issued_on = _past(issued_on, "issued_on", "ngày ban hành")
    found = StudyDocument.objects.filter(number=number, issued_on=issued_on).first()
    if found is not None:
        _check_same(found, kind, title, issuing_body, attachment, actor)
        if attachment is not None and not found.file_name:
            _attach(found, attachment)
            found.save()
            audit.record(
                actor,
                "study_document.record",
                found,
                org_path="",
                changes={"file": [None, attachment.name]},
            )
        return found
    title = clean_text(title, field="title", label="Trích yếu")
    body = clean_text(issuing_body, field="issuing_body", label="Cơ quan ban hành")
    if not title or not body:
        raise DomainError(
            "Ghi trích yếu và cơ quan ban hành.", field="title" if not title else "issuing_body"
        )
    document = StudyDocument.objects.create(
        kind=kind,
        number=number,
        title=title,
        issued_on=issued_on,
        issuing_body=body,
        created_by=audit.acting_user(actor),
    )
    if attachment is not None:
        _attach(document, attachment)
        document.save()
    audit.record(actor, "study_document.record", document, org_path="")
    return document


def _check_same(found: StudyDocument, kind, title, issuing_body, attachment, actor) -> None:
    """A document of the catalogue named again (its number and date) is the same document:
    what was typed differently, or a file it already has or that someone other than who
    recorded it (or an administrator) adds, is refused rather than silently dropped or
    changed under the other plans that study it."""
    typed = {
        "kind": kind,
        "title": clean_text(title, field="title", label="Trích yếu"),
        "issuing_body": clean_text(issuing_body, field="issuing_body", label="Cơ quan ban hành"),
    }
    for field, value in typed.items():
        if value and value != getattr(found, field):
            raise DomainError(
                f"Văn bản số {found.number} ngày {found.issued_on:%d/%m/%Y} đã có trong danh mục "
                f"(«{found.title}», {found.issuing_body}): ghi đúng như đã có, hoặc xem lại số, "
                "ngày ban hành.",
                field=field,
            )
    if attachment is None:
        return
    if found.file_name:
        raise DomainError(
            f"Văn bản số {found.number} đã có tệp «{found.file_name}»; tệp mới chưa được lưu. "
            "Bỏ chọn tệp để dùng tệp đã có.",
            field="file",
        )
    recorder = found.created_by_id is None or (
        actor is not None and actor.pk == found.created_by_id
    )
    if not (recorder or scope_of(actor).everything):
        raise DomainError(
            "Chỉ người đã ghi văn bản này vào danh mục hoặc quản trị hệ thống được bổ sung tệp; "
            "tệp chưa được lưu.",
            field="file",
        )


def _attach(document: StudyDocument, attachment: Attachment) -> None:
    document.file_name, document.file_type = attachment.name, attachment.content_type
    document.file_size, document.file_sha256 = attachment.size, attachment.sha256
    document.file_content = attachment.content


@transaction.atomic
def adopt_plan(
    actor,
    owner: Organization,
    document: StudyDocument,
    *,
    deadline: datetime.date,
    number: str = "",
) -> StudyPlan:
    """`owner`'s plan to study `document` by `deadline` (one standing plan per owner and
    document)."""
    if actor is not None:
        require(actor, Capability.MANAGE_ORGS, owner.path)
    if deadline is None or deadline < document.issued_on:
        raise DomainError(
            f"Hạn hoàn thành phải từ ngày ban hành văn bản ({document.issued_on:%d/%m/%Y}).",
            field="deadline",
        )
    if owner.ended_on is not None and owner.ended_on <= deadline:
        raise DomainError(
            f"{owner.name} kết thúc hoạt động từ ngày {owner.ended_on:%d/%m/%Y}.", field="deadline"
        )
    try:
        with transaction.atomic():
            plan = StudyPlan.unscoped.create(
                document=document,
                owner=owner,
                owner_path=owner.path,
                number=clean_text(number, field="number", label="Số kế hoạch"),
                deadline=deadline,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        raise DomainError(
            f"{owner.name} đã có kế hoạch học tập {document}.", field="document"
        ) from None
    audit.record(
        actor,
        "study_plan.record",
        plan,
        org_path=plan.owner_path,
        changes={"deadline": [None, deadline]},
        decision_number=plan.number,
    )
    return plan


@transaction.atomic
def annul_plan(actor, plan: StudyPlan, *, reason: str) -> StudyPlan:
    """A plan recorded by mistake or withdrawn: kept, with who, when and why; it no longer
    counts in any figure."""
    if actor is not None:
        require(actor, Capability.MANAGE_ORGS, plan.owner_path)
    plan = StudyPlan.unscoped.select_for_update().get(pk=plan.pk)
    if plan.annulled_at is not None:
        raise DomainError("Kế hoạch này đã được hủy.")
    plan.annul_reason = require_reason(reason, "Ghi lý do hủy kế hoạch.")
    plan.annulled_at, plan.annulled_by = timezone.now(), audit.acting_user(actor)
    plan.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
    audit.record(
        actor, "study_plan.annul", plan, org_path=plan.owner_path, reason=plan.annul_reason
    )
    return plan


def _expects(plan: StudyPlan, org: Organization, day: datetime.date) -> bool:
    """Whether `org` was a base organisation below the plan's owner on `day`."""
    owner = OrgState.unscoped.filter(holding_on(day), org_id=plan.owner_id).first()
    state = OrgState.unscoped.filter(holding_on(day), org=org).first()
    return (
        owner is not None
        and state is not None
        and state.kind in BASE_KINDS
        and state.path.startswith(owner.path)
    )


@dataclass(frozen=True)
class Session:
    held_on: datetime.date
    mode: str
    present: int | None = None  # None: counted from `attendees`
    attendees: tuple[str, ...] = ()  # member codes, when attendance is taken per member


@transaction.atomic
def record_session(actor, plan: StudyPlan, org: Organization, session: Session) -> StudySession:
    """A base organisation's session of a plan: the members present (a number, or each member
    by code), against its members that day (computed from the records)."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, org.path)
    if plan.annulled_at is not None:
        raise DomainError("Kế hoạch này đã bị hủy.")
    held_on = _past(session.held_on, "held_on", "ngày tổ chức")
    if held_on < plan.document.issued_on:
        raise DomainError(
            f"Ngày tổ chức trước ngày ban hành văn bản ({plan.document.issued_on:%d/%m/%Y}).",
            field="held_on",
        )
    if session.mode not in SessionMode.values:
        raise DomainError("Chọn hình thức trực tiếp hoặc trực tuyến.", field="mode")
    if not _expects(plan, org, held_on):
        raise DomainError(
            f"{org.name} không phải tổ chức cơ sở đảng thuộc {plan.owner.name} vào ngày "
            f"{held_on:%d/%m/%Y}.",
            field="organization",
        )
    stood = as_it_stood(org, held_on)
    members = members_on(stood, held_on)
    count = members.count()
    attendees: list[int] = []
    if session.attendees:
        codes = sorted(set(session.attendees))
        found = dict(members.filter(code__in=codes).values_list("code", "pk"))
        if missing := [code for code in codes if code not in found]:
            raise DomainError(
                f"Không phải đảng viên của {org.name} ngày {held_on:%d/%m/%Y}: "
                f"{', '.join(missing)}.",
                field="attendees",
            )
        attendees = list(found.values())
        present = len(attendees)
    else:
        present = session.present
        if present is None or present < 0:
            raise DomainError("Ghi số đảng viên dự.", field="present")
    if present > count:
        raise DomainError(
            f"Số đảng viên dự ({present}) nhiều hơn số đảng viên của tổ chức ngày "
            f"{held_on:%d/%m/%Y} ({count}).",
            field="present",
        )
    recorded = StudySession.unscoped.create(
        plan=plan,
        organization=org,
        org_path=org.path,
        held_on=held_on,
        mode=session.mode,
        present=present,
        members=count,
        created_by=audit.acting_user(actor),
    )
    SessionAttendance.unscoped.bulk_create(
        SessionAttendance(session=recorded, member_id=pk) for pk in attendees
    )
    audit.record(
        actor,
        "study_session.record",
        recorded,
        org_path=recorded.org_path,
        changes={"present": [None, f"{present}/{count}"]},
        effective_on=held_on,
    )
    return recorded


@transaction.atomic
def annul_session(actor, session: StudySession, *, reason: str) -> StudySession:
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, session.org_path)
    session = StudySession.unscoped.select_for_update().get(pk=session.pk)
    if session.annulled_at is not None:
        raise DomainError("Buổi học tập này đã được hủy.")
    session.annul_reason = require_reason(reason, "Ghi lý do hủy buổi học tập.")
    session.annulled_at, session.annulled_by = timezone.now(), audit.acting_user(actor)
    session.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
    audit.record(
        actor,
        "study_session.annul",
        session,
        org_path=session.org_path,
        reason=session.annul_reason,
    )
    return session


@transaction.atomic
def record_learning_report(
    actor, plan: StudyPlan, member: Member, *, submitted_on: datetime.date, text: str = ""
) -> LearningReport:
    """A member's learning report on the plan's document: its text, or only marked received."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if not member.branch_path.startswith(plan.owner_path):
        raise DomainError(f"{member.full_name} không sinh hoạt trong {plan.owner.name}.")
    submitted_on = _past(submitted_on, "submitted_on", "ngày nộp")
    if submitted_on < plan.document.issued_on:
        raise DomainError("Ngày nộp trước ngày ban hành văn bản.", field="submitted_on")
    text = clean_text(text, field="text", label="Nội dung", multiline=True)
    try:
        with transaction.atomic():
            report = LearningReport.unscoped.create(
                plan=plan,
                member=member,
                org_path=member.branch_path,
                submitted_on=submitted_on,
                text=text,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        raise DomainError(f"Đã ghi bài thu hoạch của {member.full_name}.") from None
    audit.record(
        actor,
        "learning_report.record",
        report,
        org_path=report.org_path,
        changes={"member": [None, member.code]},
        effective_on=submitted_on,
    )
    return report
