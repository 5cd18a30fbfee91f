"""Every write of the annual record supplement: open and close rounds, propose, confirm, approve.

Each function checks the acting user's scope, runs in one transaction and leaves an AuditEntry.
The member's record itself changes only on approval, through `members.services.update_member`,
so its history keeps who approved, when, and each old → new value (domain-rules §3.1).
"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.members import conflicts
from dangvien.members.models import Member
from dangvien.members.services import update_member
from dangvien.organizations.models import Organization
from dangvien.supplements.models import (
    PROPOSABLE_FIELDS,
    ProposalStatus,
    SupplementProposal,
    SupplementRound,
    field_label,
)
from dangvien.supplements.rules import may_approve, may_confirm, may_reject
from dangvien.supplements.selectors import ancestor_paths, covering_round, live_proposal

STATE_REFUSALS = {
    ProposalStatus.DRAFT: "Phiếu bổ sung chưa được gửi.",
    ProposalStatus.SUBMITTED: "Phiếu bổ sung chưa được chi bộ xác nhận.",
    ProposalStatus.CONFIRMED: "Phiếu bổ sung đã được chi bộ xác nhận.",
    ProposalStatus.APPROVED: "Phiếu bổ sung đã được duyệt.",
    ProposalStatus.REJECTED: "Phiếu bổ sung đã bị trả lại.",
}


def _require_state(proposal: SupplementProposal, status: str) -> None:
    if proposal.status != status:
        raise DomainError(STATE_REFUSALS[proposal.status])


def _locked(proposal: SupplementProposal) -> SupplementProposal:
    return (
        SupplementProposal.unscoped.select_for_update()
        .select_related("round", "member")
        .get(pk=proposal.pk)
    )


# Rounds


def _overlapping_round(org: Organization, year: int) -> SupplementRound | None:
    """An open round of `year` that already covers `org` (above it) or lies inside its subtree."""
    return (
        SupplementRound.unscoped.filter(year=year, closed_at__isnull=True)
        .filter(Q(org_path__in=ancestor_paths(org.path)) | Q(org_path__startswith=org.path))
        .select_related("organization")
        .first()
    )


@transaction.atomic
def open_round(
    actor, org: Organization, year: int, deadline: datetime.date | None
) -> SupplementRound:
    """Open the year's supplement for every member of `org`'s subtree."""
    require(actor, Capability.MANAGE_MEMBERS, org.path)
    # Lock the chain from the top down: two overlapping openings share an organisation in it.
    chain = Organization.unscoped.select_for_update().filter(path__in=ancestor_paths(org.path))
    org = next((locked for locked in list(chain.order_by("depth")) if locked.pk == org.pk), org)
    if not org.is_active:
        raise DomainError(f"{org.name} đã giải thể.", field="organization_code")
    if not 1930 <= year <= timezone.localdate().year + 1:
        raise DomainError(f"Năm {year} không hợp lệ cho đợt bổ sung hồ sơ.", field="year")
    if deadline is None:
        raise DomainError("Cần ghi hạn nộp phiếu bổ sung.", field="deadline")
    if deadline < timezone.localdate():
        raise DomainError("Hạn nộp không thể ở quá khứ.", field="deadline")
    if SupplementRound.unscoped.filter(organization=org, year=year).exists():
        raise DomainError(f"{org.name} đã có đợt bổ sung hồ sơ năm {year}.", field="year")
    if other := _overlapping_round(org, year):
        if org.path.startswith(other.org_path):
            message = (
                f"Đợt bổ sung năm {year} của {other.organization.name} đang mở "
                f"và đã bao gồm {org.name}."
            )
        else:
            message = (
                f"Đợt bổ sung năm {year} của {other.organization.name} (trực thuộc {org.name}) "
                "đang mở; hãy kết thúc đợt đó trước."
            )
        raise DomainError(message, field="organization_code")
    supplement_round = SupplementRound.unscoped.create(
        year=year, organization=org, org_path=org.path, deadline=deadline, opened_by=actor
    )
    audit.record(
        actor,
        "supplement.open",
        supplement_round,
        org_path=org.path,
        changes={"year": [None, year], "deadline": [None, deadline]},
    )
    return supplement_round


@transaction.atomic
def close_round(actor, supplement_round: SupplementRound, *, reason: str = "") -> SupplementRound:
    """End the round: members can no longer submit; proposals already sent are still decided."""
    require(actor, Capability.MANAGE_MEMBERS, supplement_round.org_path)
    supplement_round = SupplementRound.unscoped.select_for_update().get(pk=supplement_round.pk)
    if not supplement_round.is_open:
        raise DomainError(f"Đợt bổ sung hồ sơ năm {supplement_round.year} đã kết thúc.")
    require_text(reason, field="reason", label="Lý do", multiline=True)
    supplement_round.closed_at, supplement_round.closed_by = timezone.now(), actor
    supplement_round.save(update_fields=["closed_at", "closed_by"])
    audit.record(
        actor,
        "supplement.close",
        supplement_round,
        org_path=supplement_round.org_path,
        changes={"closed_at": [None, timezone.localdate()]},
        reason=reason.strip(),
    )
    return supplement_round


@transaction.atomic
def reopen_round(actor, supplement_round: SupplementRound, *, reason: str) -> SupplementRound:
    """Open an ended round again, with a reason, unless another round now covers its units."""
    require(actor, Capability.MANAGE_MEMBERS, supplement_round.org_path)
    supplement_round = SupplementRound.unscoped.select_for_update().get(pk=supplement_round.pk)
    if supplement_round.is_open:
        raise DomainError(f"Đợt bổ sung hồ sơ năm {supplement_round.year} đang mở.")
    reason = require_reason(reason, "Hãy nêu lý do mở lại đợt bổ sung hồ sơ.")
    other = _overlapping_round(supplement_round.organization, supplement_round.year)
    if other is not None:
        raise DomainError(
            f"Đợt bổ sung hồ sơ năm {other.year} của {other.organization.name} đang mở: kết thúc "
            "đợt đó trước khi mở lại đợt này."
        )
    ended = timezone.localtime(supplement_round.closed_at).date()
    supplement_round.closed_at, supplement_round.closed_by = None, None
    supplement_round.save(update_fields=["closed_at", "closed_by"])
    audit.record(
        actor,
        "supplement.reopen",
        supplement_round,
        org_path=supplement_round.org_path,
        changes={"closed_at": [ended, None]},
        reason=reason.strip(),
    )
    return supplement_round


# Proposals


def _clean_values(values: dict) -> dict[str, str]:
    """The proposed values, checked against the whitelist and the record's field rules."""
    cleaned = {}
    for name, raw in values.items():
        if name not in PROPOSABLE_FIELDS:
            try:
                label = str(Member._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:
                raise DomainError(f"Phiếu bổ sung không có mục «{name}».") from None
            raise DomainError(
                f"Không thể đề nghị sửa «{label}» qua phiếu bổ sung hồ sơ; "
                "hãy đề nghị chi bộ làm thủ tục đính chính."
            )
        field = Member._meta.get_field(name)
        value = "" if raw is None else str(raw).strip()
        label = field_label(name)
        if field.max_length and len(value) > field.max_length:
            raise DomainError(f"{label}: dài quá {field.max_length} ký tự.", field=name)
        if value and field.choices and value not in {key for key, _label in field.choices}:
            raise DomainError(f"{label}: «{value}» không có trong danh mục.", field=name)
        cleaned[name] = value
    return cleaned


def _diff(member: Member, values: dict[str, str]) -> dict[str, list[str]]:
    """Only the fields that change: field → [current value, proposed value]."""
    return {
        name: [getattr(member, name), new]
        for name, new in values.items()
        if getattr(member, name) != new
    }


def _own_record(user) -> Member:
    if user is None or not user.is_authenticated:
        raise ScopeDenied()
    member = Member.unscoped.select_for_update().filter(user=user).first()
    if member is None:
        raise DomainError("Tài khoản của bạn không gắn với hồ sơ đảng viên nào.")
    if not member.is_active:
        raise DomainError(
            f"Hồ sơ của bạn không thuộc diện bổ sung ({member.get_status_display()})."
        )
    return member


def _check_draft_unchanged(
    proposal: SupplementProposal | None, year: int, expected_version: str | None
) -> None:
    """Refuse a save over a draft saved since the page was opened (another tab or device),
    naming who saved it, when, and what it now proposes: the draft's content stays out of the
    history, so the refusal, which only its author reads, says it (core/versions.py)."""
    if expected_version is not None and not str(expected_version).strip():
        raise versions.VersionRequired()
    if proposal is None:  # no proposal now, none read: nothing was saved in between
        return
    try:
        versions.check(
            None,
            expected_version,
            history_of=proposal,
            actions="supplement.",
            label=f"Phiếu bổ sung hồ sơ năm {year}",
        )
    except versions.StaleEdit as exc:
        saved = [
            f"{field_label(name)}: {new or '—'}" for name, (_old, new) in proposal.changes.items()
        ]
        if proposal.note:
            saved.append(f"ghi chú: {proposal.note}")
        raise versions.StaleEdit(
            f"{exc.message} Bản nháp đang lưu đề nghị: "
            f"{'; '.join(saved).rstrip('.') or 'không có mục nào'}.",
            exc.current,
        ) from None


@transaction.atomic
def submit_proposal(
    user,
    values: dict,
    note: str = "",
    *,
    draft: bool = False,
    expected_version: str | None = None,
) -> SupplementProposal:
    """A member proposes changes to their own record in the open round covering their branch;
    `draft` keeps the proposal for later instead of sending it to the branch.
    `expected_version` is what the page showed (`proposal_version`): a save over a draft saved
    since in another tab is refused (None: no check)."""
    member = _own_record(user)
    supplement_round = covering_round(member)
    if supplement_round is None:
        raise DomainError("Hiện không có đợt bổ sung hồ sơ nào đang mở cho chi bộ của bạn.")
    changes = _diff(member, _clean_values(values))
    proposal = live_proposal(supplement_round, member)
    if proposal is not None and proposal.status != ProposalStatus.DRAFT:
        raise DomainError(
            f"Bạn đã gửi phiếu bổ sung hồ sơ năm {supplement_round.year} "
            f"({proposal.get_status_display().lower()})."
        )
    if not changes:
        raise DomainError("Không có thay đổi nào so với hồ sơ hiện tại.")
    _check_draft_unchanged(proposal, supplement_round.year, expected_version)
    proposal = proposal or SupplementProposal(round=supplement_round, member=member)
    proposal.changes, proposal.note = changes, note.strip()
    if draft:
        proposal.status = ProposalStatus.DRAFT
    else:
        proposal.status = ProposalStatus.SUBMITTED
        proposal.submitted_at, proposal.submitted_by = timezone.now(), user
    proposal.save()
    if draft:
        # A draft stays the member's own: the history keeps that it was saved, not its content.
        audit.record(user, "supplement.draft", proposal, org_path=member.branch_path)
    else:
        audit.record(
            user,
            "supplement.submit",
            proposal,
            org_path=member.branch_path,
            changes=changes,
            reason=proposal.note,
        )
    return proposal


@transaction.atomic
def record_paper_submission(
    actor, supplement_round: SupplementRound, member: Member, note: str = ""
) -> SupplementProposal:
    """The branch received the member's paper form: it counts as submitted and confirmed.

    Changes written on paper are corrected by the officer in the record (with its history)."""
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    supplement_round = SupplementRound.unscoped.select_related("organization").get(
        pk=supplement_round.pk
    )
    if not member.branch_path.startswith(supplement_round.org_path):
        raise DomainError(
            f"{member.full_name} không thuộc {supplement_round.organization.name}, "
            "không nằm trong đợt bổ sung này."
        )
    if not supplement_round.is_open:
        raise DomainError(f"Đợt bổ sung hồ sơ năm {supplement_round.year} đã kết thúc.")
    if not member.is_active:
        raise DomainError(f"{member.full_name} không còn là đảng viên.")
    if existing := live_proposal(supplement_round, member):
        raise DomainError(
            f"{member.full_name} đã có phiếu bổ sung năm {supplement_round.year} "
            f"({existing.get_status_display().lower()})."
        )
    now = timezone.now()
    proposal = SupplementProposal.unscoped.create(
        round=supplement_round,
        member=member,
        on_paper=True,
        note=note.strip(),
        status=ProposalStatus.CONFIRMED,
        submitted_at=now,
        submitted_by=actor,
        confirmed_at=now,
        confirmed_by=actor,
    )
    audit.record(
        actor,
        "supplement.paper",
        proposal,
        org_path=member.branch_path,
        changes={"status": [None, ProposalStatus.CONFIRMED.label]},
        reason=proposal.note,
    )
    return proposal


@transaction.atomic
def confirm_proposal(actor, proposal: SupplementProposal) -> SupplementProposal:
    """The branch checked the member's proposal against what it knows and sends it up."""
    proposal = _locked(proposal)
    if not may_confirm(actor, proposal):
        raise ScopeDenied()
    _require_state(proposal, ProposalStatus.SUBMITTED)
    proposal.status = ProposalStatus.CONFIRMED
    proposal.confirmed_at, proposal.confirmed_by = timezone.now(), actor
    proposal.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
    audit.record(
        actor,
        "supplement.confirm",
        proposal,
        org_path=proposal.member.branch_path,
        changes={"status": [ProposalStatus.SUBMITTED.label, ProposalStatus.CONFIRMED.label]},
    )
    return proposal


@conflicts.records_conflicts("Duyệt phiếu bổ sung hồ sơ")
@transaction.atomic
def approve_proposal(
    actor, proposal: SupplementProposal, *, expected_version: str | None = None
) -> SupplementProposal:
    """The officer approves: the proposed values are written to the record, with its history.
    `expected_version` is the record's version the approver's page showed (with the current
    values next to the proposal): a record changed since then is not silently overwritten."""
    proposal = _locked(proposal)
    if not may_approve(actor, proposal):
        raise ScopeDenied()
    _require_state(proposal, ProposalStatus.CONFIRMED)
    values = _clean_values({name: new for name, (_old, new) in proposal.changes.items()})
    versions.check(proposal.member, expected_version, label="Hồ sơ")
    member = Member.unscoped.select_for_update().get(pk=proposal.member_id)
    replaced = {
        name: [getattr(member, name), new]
        for name, new in values.items()
        if getattr(member, name) != new
    }
    update_member(actor, member, values, reason=f"Bổ sung hồ sơ năm {proposal.round.year}")
    proposal.status, proposal.replaced = ProposalStatus.APPROVED, replaced
    proposal.approved_at, proposal.approved_by = timezone.now(), actor
    proposal.save(update_fields=["status", "replaced", "approved_at", "approved_by", "updated_at"])
    audit.record(
        actor,
        "supplement.approve",
        proposal,
        org_path=proposal.member.branch_path,
        changes={"status": [ProposalStatus.CONFIRMED.label, ProposalStatus.APPROVED.label]},
    )
    return proposal


def changed_since_approval(proposal: SupplementProposal, member: Member) -> list[str]:
    """The fields the approval wrote that the record no longer holds (corrected since), as
    «Điện thoại (hồ sơ hiện ghi: …)»: undoing the approval would overwrite them."""
    return [
        f"{field_label(name)} (hồ sơ hiện ghi: {getattr(member, name) or '—'})"
        for name, (_before, written) in proposal.replaced.items()
        if getattr(member, name) != written
    ]


@conflicts.records_conflicts("Hoàn tác duyệt phiếu bổ sung hồ sơ")
@transaction.atomic
def undo_approval(actor, proposal: SupplementProposal, reason: str) -> SupplementProposal:
    """Undo an approval made by mistake: the record's fields it wrote go back to their values
    before it, if the record still holds what the approval wrote (a later correction is never
    overwritten: refused, naming the fields); the proposal awaits approval again. The record's
    history keeps both changes, this one with the reason (domain-rules §3.1)."""
    proposal = _locked(proposal)
    if not may_approve(actor, proposal):
        raise ScopeDenied()
    if proposal.status != ProposalStatus.APPROVED:
        raise DomainError(
            f"Phiếu bổ sung chưa được duyệt ({proposal.get_status_display().lower()}): không "
            "có gì để hoàn tác."
        )
    reason = require_reason(reason, "Cần ghi lý do hoàn tác duyệt phiếu.")
    member = Member.unscoped.select_for_update().get(pk=proposal.member_id)
    if changed := changed_since_approval(proposal, member):
        raise DomainError(
            "Không thể hoàn tác: hồ sơ đã được sửa sau khi duyệt ở "
            f"{'; '.join(changed)}. Nếu cần, hãy đính chính hồ sơ trực tiếp (có lý do)."
        )
    year = proposal.round.year
    update_member(
        actor,
        member,
        {name: before for name, (before, _written) in proposal.replaced.items()},
        reason=f"Hoàn tác duyệt phiếu bổ sung hồ sơ năm {year}: {reason.strip()}",
    )
    approved_on = timezone.localtime(proposal.approved_at).date() if proposal.approved_at else None
    restored = {name: [written, before] for name, (before, written) in proposal.replaced.items()}
    proposal.status, proposal.replaced = ProposalStatus.CONFIRMED, {}
    proposal.approved_at, proposal.approved_by = None, None
    proposal.save(update_fields=["status", "replaced", "approved_at", "approved_by", "updated_at"])
    audit.record(
        actor,
        "supplement.unapprove",
        proposal,
        org_path=proposal.member.branch_path,
        changes={
            "status": [ProposalStatus.APPROVED.label, ProposalStatus.CONFIRMED.label],
            "approved_at": [approved_on, None],
            **restored,
        },
        reason=reason.strip(),
    )
    return proposal


@transaction.atomic
def reject_proposal(actor, proposal: SupplementProposal, reason: str) -> SupplementProposal:
    """Send the proposal back with a reason; the member may then submit a new one."""
    proposal = _locked(proposal)
    if not may_reject(actor, proposal):
        if proposal.status in (ProposalStatus.SUBMITTED, ProposalStatus.CONFIRMED):
            raise ScopeDenied()
        raise DomainError(STATE_REFUSALS[proposal.status])
    reason = reason.strip()
    if not reason:
        raise DomainError("Cần ghi lý do trả lại phiếu.", field="reason")
    old_status = proposal.get_status_display()
    proposal.status, proposal.rejection_reason = ProposalStatus.REJECTED, reason
    proposal.rejected_at, proposal.rejected_by = timezone.now(), actor
    proposal.save(
        update_fields=["status", "rejection_reason", "rejected_at", "rejected_by", "updated_at"]
    )
    audit.record(
        actor,
        "supplement.reject",
        proposal,
        org_path=proposal.member.branch_path,
        changes={"status": [old_status, ProposalStatus.REJECTED.label]},
        reason=reason,
    )
    return proposal
