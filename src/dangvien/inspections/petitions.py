"""Residents' letters and feedback (đơn thư, phản ánh, kiến nghị; domain-briefs §5, seed 003):
registered by the organisation that received them, classified (complaint, feedback, proposal),
routed to the competent organisation, answered by the rule set's deadline
(`petition_reply_working_days`, on the working-day calendar), or filed with the reason.

A denunciation is not registered here: its denouncer is protected, so it goes to the inspection
committee's own register (denunciations.py), which no officer of this register sees. Every step
needs `Capability.MANAGE_ORGS` on the organisation handling the letter: the officers of the
organisation and of those above it; forwarding hands the letter (and its visibility) to
another organisation the officer manages too, or to one below."""

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
from dangvien.inspections.models import Petition, PetitionKind, PetitionStatus
from dangvien.organizations.models import Organization


@dataclass(frozen=True)
class Letter:
    received_on: datetime.date
    sender: str
    kind: str
    topic: str
    content: str
    sender_address: str = ""


def _require(actor, path: str) -> None:
    require(actor, Capability.MANAGE_ORGS, path)


@transaction.atomic
def register(actor, org: Organization, letter: Letter) -> Petition:
    _require(actor, org.path)
    if letter.kind not in PetitionKind.values:
        raise DomainError("Chọn loại đơn.", field="kind")
    if letter.received_on > timezone.localdate():
        raise DomainError("Ngày nhận ở tương lai.", field="received_on")
    sender = require_reason(letter.sender, "Ghi người gửi.")
    topic = require_reason(letter.topic, "Ghi đơn về việc gì.")
    content = require_reason(letter.content, "Ghi nội dung.")
    petition = Petition.unscoped.create(
        received_by=org,
        handling_org=org,
        handling_path=org.path,
        received_on=letter.received_on,
        sender=sender,
        sender_address=letter.sender_address.strip(),
        kind=letter.kind,
        topic=topic,
        content=content,
        due_on=rule_deadline("petition_reply_working_days", letter.received_on),
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "petition.record",
        petition,
        org_path=org.path,
        changes={"kind": [None, PetitionKind(letter.kind).label]},
        effective_on=letter.received_on,
    )
    return petition


def _locked(actor, petition: Petition) -> Petition:
    _require(actor, petition.handling_path)
    petition = Petition.unscoped.select_for_update().get(pk=petition.pk)
    if petition.status != PetitionStatus.RECEIVED:
        raise DomainError("Đơn đã được trả lời hoặc lưu.")
    return petition


@transaction.atomic
def forward(
    actor, petition: Petition, to: Organization, *, on: datetime.date, note: str
) -> Petition:
    """Hand the letter to the organisation competent to answer it, with why."""
    petition = _locked(actor, petition)
    _require(actor, to.path)
    if to.pk == petition.handling_org_id:
        raise DomainError("Đơn đang ở chính tổ chức này.", field="to")
    if not to.is_active:
        raise DomainError(f"{to.name} đã chấm dứt hoạt động.", field="to")
    if on is None or on < petition.received_on or on > timezone.localdate():
        raise DomainError("Ngày chuyển phải từ ngày nhận đến hôm nay.", field="on")
    note = require_reason(note, "Ghi lý do chuyển (thẩm quyền giải quyết).")
    old = petition.handling_org.name
    petition.handling_org, petition.handling_path, petition.forwarded_on = to, to.path, on
    petition.save(update_fields=["handling_org", "handling_path", "forwarded_on", "updated_at"])
    audit.record(
        actor,
        "petition.forward",
        petition,
        org_path=to.path,
        changes={"handling_org": [old, to.name]},
        effective_on=on,
        reason=note,
    )
    return petition


@transaction.atomic
def answer(actor, petition: Petition, *, status: str, on: datetime.date, text: str) -> Petition:
    """The reply to the sender, or the letter filed without one (with the reason)."""
    petition = _locked(actor, petition)
    if status not in (PetitionStatus.ANSWERED, PetitionStatus.CLOSED):
        raise DomainError("Chọn trả lời hoặc lưu đơn.", field="status")
    if on is None or on < petition.received_on or on > timezone.localdate():
        raise DomainError("Ngày phải từ ngày nhận đơn đến hôm nay.", field="on")
    text = require_reason(text, "Ghi nội dung trả lời hoặc lý do lưu đơn.")
    petition.status, petition.answered_on, petition.answer = status, on, text
    petition.save(update_fields=["status", "answered_on", "answer", "updated_at"])
    audit.record(
        actor,
        "petition.answer",
        petition,
        org_path=petition.handling_path,
        changes={"status": [PetitionStatus.RECEIVED.label, PetitionStatus(status).label]},
        effective_on=on,
        reason=text,
    )
    return petition


@transaction.atomic
def reopen(actor, petition: Petition, *, reason: str) -> Petition:
    """An answer or a filing recorded by mistake: the letter is handled again; the old answer
    stays in the history with the reason."""
    _require(actor, petition.handling_path)
    petition = Petition.unscoped.select_for_update().get(pk=petition.pk)
    if petition.status == PetitionStatus.RECEIVED:
        raise DomainError("Đơn đang được giải quyết: không có gì để mở lại.")
    reason = require_reason(reason, "Ghi lý do mở lại.")
    old = petition.get_status_display()
    audit.record(
        actor,
        "petition.reopen",
        petition,
        org_path=petition.handling_path,
        changes={
            "status": [old, PetitionStatus.RECEIVED.label],
            "answer": [petition.answer, ""],
        },
        reason=reason,
    )
    petition.status, petition.answered_on, petition.answer = PetitionStatus.RECEIVED, None, ""
    petition.save(update_fields=["status", "answered_on", "answer", "updated_at"])
    return petition
