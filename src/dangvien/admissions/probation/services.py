"""The review at the end of probation: self-review, the helpers' and branch's opinions, votes, and
recognition as an official member or striking off (Điều lệ Đảng, Điều 5; QĐ 294 §4; domain-rules
§2.4). Recognition dates from the end of the 12 months even when the decision is later; the 12
months run from the admission ceremony, whose date is recorded or corrected here too."""

import datetime

from django.db import transaction
from django.utils import timezone

from dangvien.admissions.models import (
    AdmissionStep,
    AdmissionStepKind,
    Candidate,
    RecognitionStep,
    RecognitionStepKind,
    StepOutcome,
)
from dangvien.admissions.shared.services import (
    StepInput,
    check_step_unchanged,
    check_vote_attempt,
    check_vote_stands,
    check_vote_total,
    require_day,
    save_step,
    step_key,
    step_summary,
    vote_outcome,
    votes_in_base_committee,
)
from dangvien.core import audit
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.members import services as member_services
from dangvien.members.models import Member, Status
from dangvien.training.selectors import new_member_class

Kind = RecognitionStepKind
VOTES = {Kind.BRANCH_VOTE, Kind.COMMITTEE_VOTE, Kind.STRIKE_OFF_VOTE}
COMMITTEE_STEPS = {Kind.COMMITTEE_VOTE}
# Steps a recognition needs (HD 12-HD/BTCTW: the probationary member's self-review, the helper's
# opinion, the comments of the mass organisation and the residence branch, the branch's vote); the
# committee's vote only for a branch under a base committee.
BEFORE_RECOGNITION = (
    Kind.SELF_REVIEW,
    Kind.INTRODUCER_OPINION,
    Kind.MASS_ORG_COMMENT,
    Kind.BRANCH_VOTE,
)


def probation_end(member: Member) -> datetime.date:
    """The admission ceremony (the admission date where none is known) plus the probation of
    the rule set in force on that day: 12 months (Điều lệ Đảng, Điều 5.1; domain-rules R2.7)."""
    start = member.probation_start
    return add_months(start, RuleBook.load().value("probation_months", start))


def _start_label(member: Member) -> str:
    if member.ceremony_on:
        return f"được kết nạp tại lễ ngày {member.ceremony_on:%d/%m/%Y}"
    return f"vào Đảng ngày {member.admitted_on:%d/%m/%Y}"


def _require_probationary(member: Member) -> None:
    if member.status != Status.PROBATIONARY:
        raise DomainError(
            f"{member.full_name} không phải đảng viên dự bị ({member.get_status_display()})."
        )


def _steps(member: Member) -> dict[str, RecognitionStep]:
    return {step.kind: step for step in member.recognition_steps.all()}


def settled(step: RecognitionStep | None, on: datetime.date, rules: RuleBook | None = None) -> bool:
    """A vote that passed, or failed so many times that the upper level decides (Điều lệ Đảng,
    Điều 5: after three votes without two thirds, the upper level considers and decides)."""
    if step is None:
        return False
    if step.outcome != StepOutcome.FAILED:
        return True
    limit = (rules or RuleBook.load()).value("vote_attempts_before_upper_level", on)
    return step.attempts >= limit


def _locked_probationary(member: Member) -> Member:
    """The member's row locked for this transaction, checked again after the lock."""
    member = Member.unscoped.select_for_update().select_related("branch").get(pk=member.pk)
    _require_probationary(member)
    return member


def _check_order(member: Member, kind: str, steps: dict, on: datetime.date) -> None:
    """The branch votes on the self-review and the opinions it has; the committee after the
    branch, only for a branch under a base committee."""
    if kind == Kind.BRANCH_VOTE:
        later = [
            step for key in BEFORE_RECOGNITION if (step := steps.get(key)) and step.done_on > on
        ]
        if later:
            raise DomainError(
                f"Chi bộ biểu quyết trước ngày {later[0].done_on:%d/%m/%Y} của "
                f"{later[0].get_kind_display().lower()}.",
                field="done_on",
            )
    if kind == Kind.COMMITTEE_VOTE:
        if not needs_committee(member):
            raise DomainError(
                f"{member.branch.name} là chi bộ cơ sở: không có bước đảng ủy cơ sở xét."
            )
        branch_vote = steps.get(Kind.BRANCH_VOTE)
        if not settled(branch_vote, on):
            raise DomainError("Chi bộ chưa có nghị quyết đề nghị công nhận chính thức.")
        if on < branch_vote.done_on:
            raise DomainError("Đảng ủy cơ sở xét trước ngày chi bộ biểu quyết.", field="done_on")


def needs_committee(member: Member) -> bool:
    return votes_in_base_committee(member.branch)


def _check_vote_date(member: Member, kind: str, on: datetime.date) -> None:
    end = probation_end(member)
    if kind in (Kind.BRANCH_VOTE, Kind.COMMITTEE_VOTE) and on < end:
        raise DomainError(
            f"Chưa hết thời gian dự bị (đến {end:%d/%m/%Y}): chi bộ chỉ xét công nhận chính thức "
            "sau khi hết 12 tháng dự bị.",
            field="done_on",
        )
    if on < member.admitted_on:
        raise DomainError("Ngày trước ngày vào Đảng.", field="done_on")


@transaction.atomic
def record_recognition_step(
    actor,
    member: Member,
    kind: str,
    *,
    on: datetime.date,
    document_number: str = "",
    body: str = "",
    votes_for: int | None = None,
    votes_total: int | None = None,
    note: str = "",
    expected_version: str | None = None,
    correction_reason: str = "",
) -> RecognitionStep:
    """Record a document or a vote of the probation review; a vote short of two thirds is kept
    as failed and counted, so that the third failure hands the decision to the upper level.
    Recording a document again corrects it: `expected_version` is the version of the step the
    page showed (`step_version`), and a save over a step recorded since is refused."""
    if kind not in Kind.values or kind in (Kind.DECISION, Kind.STRIKE_OFF):
        raise DomainError("Bước này được ghi bằng quyết định công nhận hoặc xóa tên.")
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if kind in COMMITTEE_STEPS:
        require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = _locked_probationary(member)
    require_day(on, "ngày của văn bản")
    _check_vote_date(member, kind, on)
    steps = _steps(member)
    _check_order(member, kind, steps, on)
    if kind in VOTES:
        check_vote_stands(Kind(kind).label, steps.get(kind))
    # A page opened before someone else recorded this step is told first what changed.
    check_step_unchanged(
        member, "probation.step", kind, expected_version, "Hồ sơ xét công nhận chính thức"
    )
    outcome = StepOutcome.DONE
    if kind in (Kind.BRANCH_VOTE, Kind.STRIKE_OFF_VOTE):
        check_vote_total(member.branch, votes_total or 0, on)
    if kind in VOTES:  # a new attempt at a later meeting, or a reasoned correction of the last
        outcome = vote_outcome(votes_for, votes_total, on)
        check_vote_attempt(Kind(kind).label, steps.get(kind), on, correction_reason)
        require_text(correction_reason, field="correction_reason", label="Lý do sửa")
    entry = StepInput(kind, on, document_number, body, votes_for, votes_total, note)
    step = save_step(
        actor,
        member,
        member.recognition_steps,
        entry,
        is_vote=kind in VOTES,
        outcome=outcome,
        action="probation.step",
        org_path=member.branch_path,
        correction_reason=correction_reason if kind in VOTES else "",
    )
    return step


@transaction.atomic
def recognise(actor, member: Member, decision: Decision) -> Member:
    """The decision recognising a probationary member as official, after the review's steps; the
    official date is the end of the 12 months (members.services.recognise_official)."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = _locked_probationary(member)
    on = require_day(decision.effective_on, "ngày ký quyết định", field="effective_on")
    end = probation_end(member)
    if on < end:
        raise DomainError(
            f"Chưa đủ 12 tháng dự bị: {member.full_name} {_start_label(member)}, sớm nhất được "
            f"công nhận chính thức từ {end:%d/%m/%Y}.",
            field="effective_on",
        )
    steps = _steps(member)
    needed = list(BEFORE_RECOGNITION) + ([Kind.COMMITTEE_VOTE] if needs_committee(member) else [])
    missing = [
        Kind(kind).label
        for kind in needed
        if not (settled(steps.get(kind), on) if kind in VOTES else kind in steps)
    ]
    if missing:
        raise DomainError("Chưa đủ các bước xét công nhận: thiếu " + "; ".join(missing) + ".")
    _decided_after(steps, on)
    _require_new_member_class(member, on)
    member = member_services.recognise_official(actor, member, decision)
    RecognitionStep.objects.create(
        member=member,
        kind=Kind.DECISION,
        done_on=on,
        document_number=decision.number.strip(),
        body=decision.body.strip(),
        actor=actor,
    )
    return member


def _require_new_member_class(member: Member, on: datetime.date) -> None:
    """Where the rule set in force on the decision's day asks for it, the new-member class
    certificate ([U] HD 12-HD/BTCTW 2022; rule `new_member_class_required`), from the training
    records, or an exception recorded by an authorised officer (training.services)."""
    if not new_member_class(member, on).satisfied:
        raise DomainError(
            f"{member.full_name} chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới trong hồ sơ "
            "đào tạo: ghi kết quả lớp trên trang khóa bồi dưỡng, hoặc ghi ngoại lệ có lý do "
            "trên trang xét công nhận.",
            field="effective_on",
        )


def _decided_after(steps: dict, on: datetime.date) -> None:
    latest = max(steps.values(), key=lambda step: step.done_on, default=None)
    if latest is not None and on < latest.done_on:
        raise DomainError(
            f"Quyết định ký trước ngày {latest.done_on:%d/%m/%Y} của "
            f"{latest.get_kind_display().lower()}.",
            field="effective_on",
        )


@transaction.atomic
def not_recognise(actor, member: Member, decision: Decision) -> Member:
    """A probationary member not worthy of recognition is struck off: the branch's vote, then the
    competent committee's decision (Điều lệ Đảng, Điều 5; domain-rules §2.9)."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = _locked_probationary(member)
    on = require_day(decision.effective_on, "ngày ký quyết định", field="effective_on")
    end = probation_end(member)
    if on < end:
        raise DomainError(
            f"Chưa hết thời gian dự bị (đến {end:%d/%m/%Y}): việc công nhận hay không công nhận "
            "chỉ xét khi hết 12 tháng; vi phạm trong thời gian dự bị được xử lý kỷ luật hoặc xóa "
            "tên trên trang hồ sơ đảng viên.",
            field="effective_on",
        )
    steps = _steps(member)
    vote = steps.get(Kind.STRIKE_OFF_VOTE)
    branch_vote = steps.get(Kind.BRANCH_VOTE)
    upper_level = (
        branch_vote is not None
        and branch_vote.outcome == StepOutcome.FAILED
        and settled(branch_vote, on)
    )
    if not settled(vote, on) and not upper_level:
        raise DomainError(
            "Chưa có nghị quyết chi bộ đề nghị không công nhận (đạt 2/3 đảng viên chính thức), "
            "hoặc chi bộ đã biểu quyết 3 lần không đạt để cấp trên quyết định."
        )
    _decided_after(steps, on)
    reason = decision.reason.strip()
    require_text(reason, field="reason", label="Lý do", multiline=True)
    if not reason:  # a final decision: the member leaves every list and count (issue 12)
        raise DomainError("Cần ghi lý do không công nhận, xóa tên.", field="reason")
    decision = Decision(on, decision.number, decision.body, reason)
    member = member_services.end_membership(actor, member, Status.REMOVED, decision)
    RecognitionStep.objects.create(
        member=member,
        kind=Kind.STRIKE_OFF,
        done_on=on,
        document_number=decision.number.strip(),
        body=decision.body.strip(),
        note=reason,
        actor=actor,
    )
    audit.record(
        actor,
        "probation.not_recognised",
        member,
        org_path=member.branch_path,
        changes={"status": [Status.PROBATIONARY.label, Status.REMOVED.label]},
        **decision.as_audit(),
    )
    return member


def strike_off_basis(member: Member, steps: dict | None = None) -> str:
    """What a decision striking the member off rests on, as the confirmation page says it: the
    branch's vote to strike off, or its failed votes to recognise (the upper level decides)."""
    steps = _steps(member) if steps is None else steps
    on = timezone.localdate()
    vote, branch_vote = steps.get(Kind.STRIKE_OFF_VOTE), steps.get(Kind.BRANCH_VOTE)
    if settled(vote, on) and vote.outcome != StepOutcome.FAILED:
        return (
            f"nghị quyết chi bộ đề nghị không công nhận ngày {vote.done_on:%d/%m/%Y} "
            f"({vote.votes_for}/{vote.votes_total} tán thành)"
        )
    for step in (vote, branch_vote):
        if step is not None and step.outcome == StepOutcome.FAILED and settled(step, on):
            return (
                f"{step.get_kind_display().lower()}: {step.attempts} lần biểu quyết không đạt, "
                "cấp trên xem xét, quyết định"
            )
    return ""


@transaction.atomic
def annul_strike_off(actor, member: Member, *, reason: str) -> Member:
    """Annul a decision striking a probationary member off (recorded by mistake, or withdrawn by
    the committee that signed it): the decision is undone, then the member is probationary
    again in their branch from the day they left (members.services.restore_membership) and the
    review goes on; the decision and its annulment stay in the history with the reason."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = Member.unscoped.select_for_update().select_related("branch").get(pk=member.pk)
    decision = member.recognition_steps.filter(kind=Kind.STRIKE_OFF).first()
    if member.status != Status.REMOVED or decision is None:
        raise DomainError(
            f"{member.full_name} không có quyết định xóa tên khi xét công nhận chính thức để hủy "
            f"(tình trạng: {member.get_status_display().lower()})."
        )
    if not member.branch.is_active:
        raise DomainError(
            f"{member.branch.name} đã giải thể: {member.full_name} không trở lại sinh hoạt ở "
            "chi bộ này được. Khôi phục chi bộ trước khi hủy quyết định xóa tên."
        )
    reason = require_reason(reason, "Cần ghi lý do hủy quyết định xóa tên.")
    summary = f"Số {decision.document_number} ngày {decision.done_on:%d/%m/%Y}"
    decision.delete()  # the review goes on; a new decision may be recorded
    audit.record(
        actor,
        "probation.strike_off_annulled",
        member,
        org_path=member.branch_path,
        changes={step_key("probation.", Kind.STRIKE_OFF): [summary, None]},
        reason=reason.strip(),
    )
    annulment = Decision(member.left_on, "", "", reason.strip())
    return member_services.restore_membership(actor, member, annulment)


@transaction.atomic
def correct_ceremony(
    actor,
    member: Member,
    *,
    on: datetime.date,
    reason: str = "",
    expected_version: str | None = None,
) -> Member:
    """Record the ceremony date of a probationary member whose record has none (imported), or
    correct it with a reason (members.services.correct_ceremony_date): the probation's end
    moves with it, so a branch or committee vote already recorded must still fall after it
    (Điều lệ Đảng, Điều 5.1); an admission file's ceremony step moves with it."""
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    candidate = Candidate.unscoped.filter(member=member).first()
    ceremony = (
        AdmissionStep.objects.filter(candidate=candidate, kind=AdmissionStepKind.CEREMONY).first()
        if candidate is not None
        else None
    )
    if candidate is not None and ceremony is None:
        raise DomainError(
            f"{member.full_name} được kết nạp theo hồ sơ kết nạp trên hệ thống: ghi lễ kết nạp "
            "trên trang hồ sơ kết nạp, nơi hạn tổ chức lễ được kiểm tra.",
            field="ceremony_on",
        )
    member = member_services.correct_ceremony_date(
        actor, member, on, reason=reason, expected_version=expected_version
    )
    end = probation_end(member)
    early = (
        member.recognition_steps.filter(
            kind__in=(Kind.BRANCH_VOTE, Kind.COMMITTEE_VOTE), done_on__lt=end
        )
        .order_by("done_on")
        .first()
    )
    if early is not None:  # the transaction is rolled back with this refusal
        raise DomainError(
            f"{early.get_kind_display()} ngày {early.done_on:%d/%m/%Y} trước ngày hết dự bị "
            f"tính từ lễ kết nạp ngày {on:%d/%m/%Y} ({end:%d/%m/%Y}): chi bộ chỉ xét công nhận "
            "chính thức sau khi hết 12 tháng dự bị. Hãy kiểm tra lại ngày lễ kết nạp.",
            field="ceremony_on",
        )
    if ceremony is not None:
        before = step_summary(ceremony)
        ceremony.done_on = on
        ceremony.save(update_fields=["done_on"])
        audit.record(
            actor,
            "candidate.step",
            candidate,
            org_path=candidate.org_path,
            changes={
                step_key("candidate.step", AdmissionStepKind.CEREMONY): [
                    before,
                    step_summary(ceremony),
                ]
            },
            effective_on=on,
            reason=reason.strip(),
        )
    return member
