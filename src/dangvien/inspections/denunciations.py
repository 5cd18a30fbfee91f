"""Denunciations (tố cáo) handled by an inspection committee (QĐ 296-QĐ/TW chương IV;
domain-rules §7.3, domain-briefs §5).

Every function here requires `Capability.HANDLE_DENUNCIATIONS` on the handling organisation:
the inspection-committee officers of its subtree, never an administrator or an officer by their
role (core.roles.CONFIDENTIAL). The checks: the handling organisation has an inspection
committee (đảng bộ cơ sở and above, Điều lệ Đảng chương VII); the denounced member or organisation
lies in its subtree; the day of receipt is not in the future; a denunciation without a
denouncer's name is recorded as anonymous, and an anonymous one is not handled as a
denunciation (domain-briefs §5, [U]: the officer closes it as «Không thụ lý» with the reason).
The period to handle it is the rule set's working days from receipt
(`denunciation_handling_working_days`). The history records the status and the record's number,
never the denouncer nor the subject."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.workdays import rule_deadline
from dangvien.discipline.services import subject_path
from dangvien.inspections.models import Denunciation, DenunciationResult, DenunciationStatus
from dangvien.inspections.services import INSPECTION_COMMITTEE_KINDS
from dangvien.members.models import Member
from dangvien.organizations.models import Organization


@dataclass(frozen=True)
class Received:
    """What the letter says and who sent it."""

    received_on: datetime.date
    content: str
    denouncer_name: str = ""
    denouncer_contact: str = ""


def _require(actor, path: str) -> None:
    require(actor, Capability.HANDLE_DENUNCIATIONS, path)


def _label(status: str) -> str:
    return DenunciationStatus(status).label


@transaction.atomic
def record_denunciation(
    actor, handling_org: Organization, subject: Member | Organization, letter: Received
) -> Denunciation:
    _require(actor, handling_org.path)
    if handling_org.kind not in INSPECTION_COMMITTEE_KINDS:
        raise DomainError(
            f"{handling_org.name} không có ủy ban kiểm tra (Điều lệ Đảng).",
            field="handling_org",
        )
    path = subject_path(subject)
    if not path.startswith(handling_org.path):
        raise DomainError(
            "Đối tượng bị tố cáo không thuộc tổ chức giải quyết.", field="subject_code"
        )
    if letter.received_on > timezone.localdate():
        raise DomainError("Ngày nhận đơn ở tương lai.", field="received_on")
    if not letter.content.strip():
        raise DomainError("Ghi nội dung tố cáo.", field="content")
    name = letter.denouncer_name.strip()
    denunciation = Denunciation.unscoped.create(
        handling_org=handling_org,
        handling_path=handling_org.path,
        received_on=letter.received_on,
        anonymous=not name,
        denouncer_name=name,
        denouncer_contact=letter.denouncer_contact.strip(),
        member=subject if isinstance(subject, Member) else None,
        organization=subject if isinstance(subject, Organization) else None,
        content=letter.content.strip(),
        due_on=rule_deadline("denunciation_handling_working_days", letter.received_on),
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "denunciation.record",
        denunciation,
        org_path=denunciation.handling_path,
        changes={"status": [None, _label(denunciation.status)]},
        effective_on=denunciation.received_on,
    )
    return denunciation


@transaction.atomic
def decide(
    actor,
    denunciation: Denunciation,
    *,
    status: str,
    decided_on: datetime.date,
    conclusion: str,
    result: str = "",
) -> Denunciation:
    """Conclude (with the result: true, partly true, false) or close as not handled (with the
    reason), once; a decision recorded by mistake is reopened first, with a reason."""
    _require(actor, denunciation.handling_path)
    denunciation = Denunciation.unscoped.select_for_update().get(pk=denunciation.pk)
    if denunciation.status != DenunciationStatus.RECEIVED:
        raise DomainError("Đơn đã được kết luận hoặc không thụ lý: mở lại trước (có lý do).")
    if status not in (DenunciationStatus.CONCLUDED, DenunciationStatus.NOT_HANDLED):
        raise DomainError("Chọn kết luận hoặc không thụ lý.", field="status")
    if status == DenunciationStatus.CONCLUDED and result not in DenunciationResult.values:
        raise DomainError("Kết luận tố cáo đúng, đúng một phần hay sai.", field="result")
    if decided_on is None or decided_on < denunciation.received_on:
        raise DomainError(
            f"Ngày kết luận phải từ ngày nhận đơn ({denunciation.received_on:%d/%m/%Y}).",
            field="decided_on",
        )
    if decided_on > timezone.localdate():
        raise DomainError("Ngày kết luận ở tương lai.", field="decided_on")
    conclusion = require_reason(conclusion, "Ghi kết luận hoặc lý do không thụ lý.")
    old = denunciation.status
    denunciation.status = status
    denunciation.result = result if status == DenunciationStatus.CONCLUDED else ""
    denunciation.decided_on = decided_on
    # After a reopening the earlier conclusion and the reason stay above the new one.
    denunciation.conclusion = "\n".join(filter(None, [denunciation.conclusion, conclusion]))
    denunciation.save(update_fields=["status", "result", "decided_on", "conclusion", "updated_at"])
    audit.record(
        actor,
        "denunciation.decide",
        denunciation,
        org_path=denunciation.handling_path,
        changes={"status": [_label(old), _label(status)]},
        effective_on=decided_on,
    )
    return denunciation


@transaction.atomic
def reopen(actor, denunciation: Denunciation, *, reason: str) -> Denunciation:
    _require(actor, denunciation.handling_path)
    denunciation = Denunciation.unscoped.select_for_update().get(pk=denunciation.pk)
    if denunciation.status == DenunciationStatus.RECEIVED:
        raise DomainError("Đơn đang được giải quyết: không có gì để mở lại.")
    reason = require_reason(reason, "Hãy ghi lý do mở lại.")
    old = denunciation.status
    denunciation.status = DenunciationStatus.RECEIVED
    denunciation.result = ""
    denunciation.decided_on = None
    denunciation.save(update_fields=["status", "result", "decided_on", "updated_at"])
    # The reason stays with the handling body: the history shows the change of status only.
    denunciation.conclusion = f"{denunciation.conclusion}\n[Mở lại: {reason}]".strip()
    denunciation.save(update_fields=["conclusion"])
    audit.record(
        actor,
        "denunciation.reopen",
        denunciation,
        org_path=denunciation.handling_path,
        changes={"status": [_label(old), _label(DenunciationStatus.RECEIVED)]},
    )
    return denunciation


def transfer_refusal(member: Member) -> str:
    """A member with a denunciation about them still being handled is given no introduction
    letter (QĐ 29-QĐ/TW, domain-rules §2.7). The refusal names no letter and no denouncer: the
    officer asking may not see the register (core.roles.CONFIDENTIAL)."""
    handled = Denunciation.unscoped.filter(
        member=member, status=DenunciationStatus.RECEIVED, anonymous=False
    )
    if not handled.exists():
        return ""
    return (
        f"{member.full_name} chưa chuyển sinh hoạt đảng được: ủy ban kiểm tra đang giải quyết "
        "một việc liên quan đến đảng viên (liên hệ ủy ban kiểm tra)."
    )
