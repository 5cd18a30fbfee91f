"""Complaints against a discipline decision (khiếu nại kỷ luật; Điều lệ Đảng, domain-rules §7.3, QĐ
296-QĐ/TW chương V; domain-rules §7.3, R7.2–R7.3).

The checks: the complaint is received and answered by the officers of the committee it goes
to (`Capability.MANAGE_ORGS` there), a committee above the one that decided, an escalation to one
above the committee that answered before (up the chain to the Central Committee); the decision
is not annulled; the day of receipt is not before the decision nor in the future. One received
after the decision's complaint deadline (`Discipline.complaint_until`, the rule set's working
days) is recorded as out of time and can only be answered «Không thụ lý». Only one complaint is
open at a time. The decision applies while it is handled (R7.3): nothing changes until the
answer, and an answer that annuls the decision annuls it (`annul_discipline`, QĐ 117-QĐ/TW:
its effects undone); a change of form is recorded as the answer, the new decision then recorded
on the subject's page."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.discipline.models import Complaint, ComplaintResult, Discipline
from dangvien.discipline.services import annul_discipline, managing
from dangvien.organizations.models import Organization


def open_complaint(discipline: Discipline) -> Complaint | None:
    return discipline.complaints.filter(result="").first()


@transaction.atomic
def receive_complaint(
    actor,
    discipline: Discipline,
    *,
    handling_org: Organization,
    received_on: datetime.date,
    content: str,
) -> Complaint:
    require(actor, managing(discipline.subject), discipline.subject_path)
    require(actor, Capability.MANAGE_ORGS, handling_org.path)  # the body that will answer
    discipline = Discipline.unscoped.select_for_update().get(pk=discipline.pk)
    if discipline.annulled_at is not None:
        raise DomainError(f"Quyết định {discipline.decision_number} đã bị hủy.")
    if open_complaint(discipline) is not None:
        raise DomainError("Đang có một khiếu nại chưa giải quyết về quyết định này.")
    if received_on is None or received_on < discipline.decided_on:
        raise DomainError("Ngày nhận đơn trước ngày quyết định.", field="received_on")
    if received_on > timezone.localdate():
        raise DomainError("Ngày nhận đơn ở tương lai.", field="received_on")
    last = discipline.complaints.exclude(result="").order_by("-received_on", "-id").first()
    below = last.handling_org if last is not None else discipline.deciding_org
    if handling_org == below or not below.path.startswith(handling_org.path):
        raise DomainError(
            f"Khiếu nại gửi cấp ủy cấp trên của {below.name}"
            + (" (cấp đã giải quyết lần trước)." if last is not None else " (cấp đã quyết định)."),
            field="handling_org",
        )
    content = require_reason(content, "Ghi nội dung khiếu nại.")
    complaint = Complaint.unscoped.create(
        discipline=discipline,
        subject_path=discipline.subject_path,
        handling_org=handling_org,
        escalated_from=last,
        received_on=received_on,
        content=content,
        in_time=received_on <= discipline.complaint_until,
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "complaint.record",
        complaint,
        org_path=complaint.subject_path,
        changes={"complaint": [None, f"nhận ngày {received_on:%d/%m/%Y}"]},
        effective_on=received_on,
        decision_number=discipline.decision_number,
        decision_body=handling_org.name,
        reason=content,
    )
    return complaint


@transaction.atomic
def resolve_complaint(
    actor,
    complaint: Complaint,
    *,
    result: str,
    resolved_on: datetime.date,
    answer: str,
) -> Complaint:
    discipline = complaint.discipline
    require(actor, managing(discipline.subject), complaint.subject_path)
    require(actor, Capability.MANAGE_ORGS, complaint.handling_org.path)  # that body answers
    complaint = Complaint.unscoped.select_for_update().get(pk=complaint.pk)
    if complaint.result:
        raise DomainError("Khiếu nại này đã được giải quyết.")
    if result not in ComplaintResult.values:
        raise DomainError("Chọn kết quả giải quyết.", field="result")
    if not complaint.in_time and result != ComplaintResult.NOT_ACCEPTED:
        raise DomainError(
            f"Đơn nhận ngày {complaint.received_on:%d/%m/%Y}, sau hạn khiếu nại "
            f"{discipline.complaint_until:%d/%m/%Y}: chỉ «Không thụ lý».",
            field="result",
        )
    if resolved_on is None or resolved_on < complaint.received_on:
        raise DomainError("Ngày giải quyết trước ngày nhận đơn.", field="resolved_on")
    if resolved_on > timezone.localdate():
        raise DomainError("Ngày giải quyết ở tương lai.", field="resolved_on")
    answer = require_reason(answer, "Ghi nội dung giải quyết.")
    complaint.result, complaint.resolved_on, complaint.answer = result, resolved_on, answer
    complaint.save(update_fields=["result", "resolved_on", "answer", "updated_at"])
    audit.record(
        actor,
        "complaint.resolve",
        complaint,
        org_path=complaint.subject_path,
        changes={"complaint": [None, ComplaintResult(result).label]},
        effective_on=resolved_on,
        decision_number=discipline.decision_number,
        decision_body=complaint.handling_org.name,
        reason=answer,
    )
    if result == ComplaintResult.ANNULLED:
        annul_discipline(
            actor,
            discipline,
            reason=f"{complaint.handling_org.name} giải quyết khiếu nại: {answer}",
        )
    return complaint


def transfer_refusal(member) -> str:
    """A member whose complaint against a decision is still being handled is given no
    introduction letter (QĐ 29-QĐ/TW, domain-rules §2.7)."""
    pending = (
        Complaint.unscoped.filter(discipline__member=member, result="")
        .select_related("handling_org")
        .first()
    )
    if pending is None:
        return ""
    return (
        f"{member.full_name} đang có khiếu nại về quyết định kỷ luật "
        f"{pending.discipline.decision_number}, do {pending.handling_org.name} giải quyết: chưa "
        "chuyển sinh hoạt đảng được."
    )


@transaction.atomic
def record_receipt(
    actor, discipline: Discipline, *, received_on: datetime.date, reason: str = ""
) -> Discipline:
    """The day the subject received the decision: the complaint period runs from it (Điều lệ
    Đảng; domain-rules R7.2: received day + the rule set's working days), so the deadline moves
    with it. Recorded by those who manage the subject; a later correction is a new entry."""
    from dangvien.discipline.services import complaint_until

    require(actor, managing(discipline.subject), discipline.subject_path)
    discipline = Discipline.unscoped.select_for_update().get(pk=discipline.pk)
    if received_on is None or received_on < discipline.decided_on:
        raise DomainError("Ngày nhận quyết định trước ngày quyết định.", field="received_on")
    if received_on > timezone.localdate():
        raise DomainError("Ngày nhận quyết định ở tương lai.", field="received_on")
    if discipline.received_on is not None and discipline.received_on != received_on:
        reason = require_reason(
            reason,
            f"Đã ghi ngày nhận {discipline.received_on:%d/%m/%Y}: ghi lý do sửa (ghi nhầm…).",
        )
    old = (discipline.received_on, discipline.complaint_until)
    discipline.received_on = received_on
    discipline.complaint_until = complaint_until(received_on)
    discipline.save(update_fields=["received_on", "complaint_until", "updated_at"])
    # Complaints received meanwhile are in time or not by the new deadline.
    discipline.complaints.filter(result="").update(
        in_time=Q(received_on__lte=discipline.complaint_until), updated_at=timezone.now()
    )
    audit.record(
        actor,
        "discipline.received",
        discipline,
        org_path=discipline.subject_path,
        changes={
            "received_on": [old[0], received_on],
            "complaint_until": [old[1], discipline.complaint_until],
        },
        decision_number=discipline.decision_number,
        reason=reason,
    )
    return discipline
