"""Annulling an admission decision (hủy quyết định kết nạp) taken by mistake: possible only while
nothing follows it, that is before the admission ceremony and while the member record it
created is as the decision left it. The record goes, the file returns to the step before the
decision, and the history keeps both the decision and its annulment with the reason."""

from django.db import transaction

from dangvien.admissions.models import (
    AdmissionStep,
    AdmissionStepKind,
    Candidate,
    Introducer,
    Stage,
    StepOutcome,
)
from dangvien.admissions.shared.services import step_key, step_summary
from dangvien.core import audit
from dangvien.core.changes import records_changed
from dangvien.core.errors import DomainError
from dangvien.core.models import NOT_CHANGES, AuditEntry, RuleException
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.members.models import EventKind, Member, MemberEvent, MemberPhoto

Kind = AdmissionStepKind
WHEN = (
    "Chỉ hủy được quyết định kết nạp khi chưa ghi nhận lễ kết nạp và hồ sơ đảng viên chưa có "
    "thay đổi nào sau quyết định."
)


def _later_change(member: Member) -> str | None:
    """The first thing recorded on the member after the decision created the record."""
    if member.ceremony_on is not None:
        return f"hồ sơ đảng viên đã ghi ngày lễ kết nạp {member.ceremony_on:%d/%m/%Y}"
    event = member.events.exclude(kind=EventKind.ADMITTED).order_by("on", "id").first()
    if event is not None:
        return f"hồ sơ đảng viên đã có {event.get_kind_display().lower()} ngày {event.on:%d/%m/%Y}"
    entry = (
        AuditEntry.unscoped.filter(target_type=Member._meta.label_lower, target_id=member.pk)
        .exclude(action__in=(*NOT_CHANGES, "member.create"))
        .order_by("id")
        .first()
    )
    if entry is not None:
        return (
            f"hồ sơ đảng viên {member.code} đã có thay đổi sau quyết định "
            f"({entry.action_label.lower()} ngày {entry.at:%d/%m/%Y})"
        )
    kept = [
        (member.recognition_steps.exists(), "bước xét công nhận chính thức"),
        (member.cards.exists(), "thẻ đảng viên"),
        (member.commitments.exists(), "bản đăng ký, cam kết"),
        (member.assessments.exists(), "kết quả đánh giá, xếp loại"),
        (member.supplement_proposals.exists(), "phiếu bổ sung hồ sơ"),
        (MemberPhoto.objects.filter(member=member).exists(), "ảnh"),
        (member.user_id is not None, "tài khoản đăng nhập"),
        (Introducer.objects.filter(member=member).exists(), "phân công giúp đỡ quần chúng"),
    ]
    found = [label for present, label in kept if present]
    if found:
        return f"hồ sơ đảng viên {member.code} đã có {', '.join(found)}"
    return None


def annulment_problem(candidate: Candidate) -> str | None:
    """Why the admission decision can no longer be annulled (None: it can)."""
    decision = candidate.steps.filter(kind=Kind.DECISION).first()
    if candidate.stage != Stage.ADMITTED or decision is None:
        return f"Hồ sơ của {candidate.full_name} chưa có quyết định kết nạp."
    ceremony = candidate.steps.filter(kind=Kind.CEREMONY).first()
    if ceremony is not None:
        return (
            f"Lễ kết nạp {candidate.full_name} đã tổ chức ngày {ceremony.done_on:%d/%m/%Y}: "
            f"không hủy được quyết định kết nạp nữa. {WHEN}"
        )
    if candidate.member_id is not None:
        change = _later_change(Member.unscoped.get(pk=candidate.member_id))
        if change:
            return f"Không hủy được quyết định kết nạp: {change}. {WHEN}"
    return None


def stage_before_decision(candidate: Candidate) -> str:
    """The step before the decision: the base committee's resolution for a branch under a base
    committee, the branch's own for a base branch (chi bộ cơ sở)."""
    voted = candidate.steps.filter(kind=Kind.COMMITTEE_VOTE, outcome=StepOutcome.DONE).exists()
    return Stage.COMMITTEE_RESOLVED if voted else Stage.BRANCH_RESOLVED


@transaction.atomic
def annul_admission(actor, candidate: Candidate, *, reason: str) -> Candidate:
    """Annul an admission decision taken by mistake, with the reason: the member record it
    created is removed (its history stays), the file returns to the step before the decision
    and a new decision can be taken. Refused once anything follows the decision."""
    require(actor, Capability.MANAGE_ORGS, candidate.org_path)
    candidate = Candidate.unscoped.select_for_update().get(pk=candidate.pk)
    member = None
    if candidate.member_id is not None:
        member = Member.unscoped.select_for_update().get(pk=candidate.member_id)
    problem = annulment_problem(candidate)
    if problem:
        raise DomainError(problem)
    reason = require_reason(reason, "Cần ghi lý do hủy quyết định kết nạp.")
    decision = AdmissionStep.objects.get(candidate=candidate, kind=Kind.DECISION)
    stage = stage_before_decision(candidate)
    changes = {
        "stage": [Stage.ADMITTED.label, Stage(stage).label],
        step_key("candidate.step", Kind.DECISION): [step_summary(decision), None],
    }
    if member is not None:
        changes["member"] = [f"{member.full_name} ({member.code})", None]
    candidate.stage, candidate.member = stage, None
    candidate.save(update_fields=["stage", "member", "updated_at"])
    decision.delete()
    if member is not None:
        _remove_record(actor, member, decision, reason)
    audit.record(
        actor,
        "candidate.annul_admission",
        candidate,
        org_path=candidate.org_path,
        changes=changes,
        reason=reason,
    )
    return candidate


def _remove_record(actor, member: Member, decision: AdmissionStep, reason: str) -> None:
    """Remove the record the decision created, untouched since (annulment_problem): its
    admission event and placement, the exceptions recorded with it. Its history stays, with
    this entry last, so the record can still be found by name and code."""
    audit.record(
        actor,
        "candidate.annul_admission",
        member,
        org_path=member.branch_path,
        changes={
            "code": [member.code, None],
            "status": [member.get_status_display(), None],
            "admitted_on": [member.admitted_on, None],
        },
        reason=reason,
    )
    records_changed(member_ids=[member.pk])  # the admitting branch's counts change
    RuleException.unscoped.filter(
        target_type=Member._meta.label_lower, target_id=member.pk
    ).delete()
    MemberEvent.objects.filter(member=member).delete()
    member.delete()
