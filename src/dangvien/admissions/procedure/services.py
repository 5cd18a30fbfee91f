"""The admission file (hồ sơ kết nạp) as a checklist: documents, the branch's and the base
committee's votes, the admission decision that creates the member record, and the ceremony
(Điều lệ Đảng, Điều 4; QĐ 294 §3; HD 12-HD/BTCTW; domain-rules §2.2–§2.4)."""

import datetime

from django.db import transaction

from dangvien.admissions.candidates.services import CANDIDATE_FIELDS, locked_open, require_manage
from dangvien.admissions.models import (
    AdmissionStep,
    AdmissionStepKind,
    Candidate,
    Stage,
    StepOutcome,
)
from dangvien.admissions.rules import (
    age_problem,
    certificate_problem,
    education_problem,
    vote_share_label,
)
from dangvien.admissions.shared.services import (
    StepInput,
    check_step_unchanged,
    check_vote_attempt,
    check_vote_stands,
    check_vote_total,
    record_exception,
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
from dangvien.core.models import RuleException
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import require
from dangvien.core.validation import require_text
from dangvien.core.workdays import deadline
from dangvien.members import conflicts
from dangvien.members import services as member_services
from dangvien.members.models import Member
from dangvien.members.services import create_member

Kind = AdmissionStepKind
AGE_RULE = "admission_max_age_months"
# The documents the branch must have before it votes (domain-rules R2.4); the introductions are
# the two letters of the Introducer rows (or one letter and the Youth Union's resolution).
DOCUMENTS_BEFORE_VOTE = (
    Kind.APPLICATION,
    Kind.PERSONAL_HISTORY,
    Kind.BACKGROUND_CHECK,
    Kind.MASS_ORG_COMMENT,
    Kind.RESIDENCE_COMMENT,
)
# Steps recorded by the committee above the branch, not by the branch itself.
COMMITTEE_STEPS = {Kind.COMMITTEE_VOTE, Kind.DECISION}
VOTES = {Kind.BRANCH_VOTE, Kind.COMMITTEE_VOTE}


def needs_committee_vote(candidate: Candidate) -> bool:
    return votes_in_base_committee(candidate.organization)


def _steps(candidate: Candidate) -> dict[str, AdmissionStep]:
    return {step.kind: step for step in candidate.steps.all()}


def _done(steps: dict, kind: str) -> AdmissionStep | None:
    step = steps.get(kind)
    return step if step is not None and step.is_done else None


def missing_before_vote(candidate: Candidate, steps: dict) -> list[str]:
    """The documents still missing for the branch to vote, in Vietnamese."""
    missing = [Kind(kind).label for kind in DOCUMENTS_BEFORE_VOTE if kind not in steps]
    letters = candidate.introducers.filter(introduced_on__isnull=False).count()
    needed = 1 if Kind.YOUTH_UNION in steps else 2
    if letters < needed:
        missing.append(
            f"Giấy giới thiệu của {needed} đảng viên chính thức (mẫu 3-KNĐ), mới có {letters}"
        )
    return missing


def _check_branch_vote(actor, candidate, steps, on, exception_reason, exception_document):
    """Everything the branch must verify before it votes; over-age and low schooling need an
    exception, the rest refuse (domain-rules R2.1–R2.5)."""
    missing = missing_before_vote(candidate, steps)
    if missing:
        raise DomainError("Chưa đủ hồ sơ để chi bộ xét: thiếu " + "; ".join(missing) + ".")
    latest = max([step.done_on for step in steps.values()], default=on)
    letters = candidate.introducers.exclude(introduced_on=None).values_list("introduced_on", flat=1)
    if max([latest, *letters]) > on:
        raise DomainError("Chi bộ xét trước ngày của một giấy tờ trong hồ sơ.", field="done_on")
    rules = RuleBook.load()
    problem = certificate_problem(candidate.class_attended_on, on, rules)
    if problem:
        raise DomainError(problem, field="done_on")
    exceptions = []
    age = age_problem(candidate.birth_date, on, rules)
    if age is not None:
        reason, can_be_excepted = age
        if not can_be_excepted:
            raise DomainError(reason, field="done_on")
        if not exception_document.strip() and not _excepted(candidate, AGE_RULE):
            raise DomainError(
                reason + " Ghi số văn bản đồng ý của ban thường vụ tỉnh ủy.",
                field="exception_document",
            )
        exceptions.append((AGE_RULE, reason))
    schooling = education_problem(candidate.general_education, on, rules)
    if schooling:
        exceptions.append(("min_general_education_grade", schooling))
    for rule_key, problem in exceptions:
        if _excepted(candidate, rule_key):
            continue  # recorded at an earlier attempt of the vote
        record_exception(
            actor,
            candidate,
            rule_key=rule_key,
            org_path=candidate.org_path,
            reason=exception_reason,
            document=exception_document,
            problem=problem,
        )


def _excepted(candidate: Candidate, rule_key: str) -> RuleException | None:
    return RuleException.unscoped.filter(
        target_type=candidate._meta.label_lower, target_id=candidate.pk, rule_key=rule_key
    ).first()


def _check_order(candidate: Candidate, kind: str, steps: dict, on: datetime.date) -> None:
    if kind == Kind.COMMITTEE_VOTE:
        if not needs_committee_vote(candidate):
            raise DomainError(
                f"{candidate.organization.name} là chi bộ cơ sở: không có bước đảng ủy cơ sở xét."
            )
        branch_vote = _done(steps, Kind.BRANCH_VOTE)
        if branch_vote is None:
            raise DomainError("Chi bộ chưa có nghị quyết đề nghị kết nạp.")
        if on < branch_vote.done_on:
            raise DomainError("Đảng ủy cơ sở xét trước ngày chi bộ biểu quyết.", field="done_on")


@transaction.atomic
def record_admission_step(
    actor,
    candidate: Candidate,
    kind: str,
    *,
    on: datetime.date,
    document_number: str = "",
    body: str = "",
    votes_for: int | None = None,
    votes_total: int | None = None,
    note: str = "",
    exception_reason: str = "",
    exception_document: str = "",
    expected_version: str | None = None,
    correction_reason: str = "",
) -> AdmissionStep:
    """Record a document or a vote of the file. A vote short of two thirds is kept with the
    outcome "failed" (the caller tells the user, `failed_vote_message`) and the file waits; a
    later vote is a new attempt, unless `correction_reason` says it corrects the last one.
    Recording a step again corrects it: `expected_version` is the version of the step the page
    showed (`step_version`), and a save over a step recorded since is refused."""
    if kind not in Kind.values or kind in (Kind.DECISION, Kind.CEREMONY):
        raise DomainError("Bước này được ghi bằng quyết định kết nạp hoặc lễ kết nạp.")
    if kind in COMMITTEE_STEPS:
        require(actor, Capability.MANAGE_ORGS, candidate.org_path)
    candidate = locked_open(actor, candidate)
    require_day(on, "ngày của văn bản")
    steps = _steps(candidate)
    if _done(steps, Kind.BRANCH_VOTE) and kind not in (Kind.COMMITTEE_VOTE,):
        raise DomainError("Chi bộ đã biểu quyết: hồ sơ không sửa được nữa.")
    _check_order(candidate, kind, steps, on)
    previous = steps.get(kind)
    if kind in VOTES:
        check_vote_stands(Kind(kind).label, previous)
    # A page opened before someone else recorded this step is told first what changed.
    check_step_unchanged(candidate, "candidate.step", kind, expected_version, "Hồ sơ kết nạp")
    outcome = StepOutcome.DONE
    if kind in VOTES:
        check_vote_attempt(Kind(kind).label, previous, on, correction_reason)
        require_text(correction_reason, field="correction_reason", label="Lý do sửa")
        outcome = vote_outcome(votes_for, votes_total, on)
        if kind == Kind.BRANCH_VOTE:
            check_vote_total(candidate.organization, votes_total, on)
    if kind == Kind.BRANCH_VOTE:
        _check_branch_vote(actor, candidate, steps, on, exception_reason, exception_document)
    entry = StepInput(kind, on, document_number, body, votes_for, votes_total, note)
    step = save_step(
        actor,
        candidate,
        candidate.steps,
        entry,
        is_vote=kind in VOTES,
        outcome=outcome,
        action="candidate.step",
        org_path=candidate.org_path,
        correction_reason=correction_reason if kind in VOTES else "",
    )
    _advance(candidate, kind, outcome)
    return step


def failed_vote_message(name: str, step) -> str:
    """What the user reads after a vote short of the required share (the vote itself is kept)."""
    share = vote_share_label(step.done_on, RuleBook.load())
    return (
        f"Biểu quyết chưa đạt {share}: {step.votes_for}/{step.votes_total} tán thành. Đã ghi "
        f"lần biểu quyết thứ {step.attempts}; {name} chưa được đề nghị."
    )


def _advance(candidate: Candidate, kind: str, outcome: str) -> None:
    stage = candidate.stage
    if outcome != StepOutcome.DONE:
        return
    if kind == Kind.BRANCH_VOTE:
        stage = Stage.BRANCH_RESOLVED
    elif kind == Kind.COMMITTEE_VOTE:
        stage = Stage.COMMITTEE_RESOLVED
    elif stage in (Stage.POOL, Stage.SYMPATHISER):
        stage = Stage.FILE
    if stage != candidate.stage:
        candidate.stage = stage
        candidate.save(update_fields=["stage", "updated_at"])


@conflicts.records_conflicts("Kết nạp đảng viên")
@transaction.atomic
def admit_candidate(actor, candidate: Candidate, *, code: str, decision: Decision) -> Member:
    """The admission decision (9-KNĐ): the member record is created from the candidate's data,
    admitted on the decision's date, probationary for 12 months (Điều lệ Đảng, Điều 4–5)."""
    require(actor, Capability.MANAGE_ORGS, candidate.org_path)
    candidate = locked_open(actor, candidate)
    on = require_day(decision.effective_on, "ngày ký quyết định kết nạp", field="effective_on")
    if not decision.number.strip() or not decision.body.strip():
        raise DomainError(
            "Cần ghi số quyết định và cấp ủy ra quyết định kết nạp.", field="decision_number"
        )
    steps = _steps(candidate)
    needed = [Kind.BRANCH_VOTE] + ([Kind.COMMITTEE_VOTE] if needs_committee_vote(candidate) else [])
    for kind in needed:
        step = _done(steps, kind)
        if step is None:
            raise DomainError(f"Chưa có {Kind(kind).label[:1].lower()}{Kind(kind).label[1:]}.")
        if on < step.done_on:
            raise DomainError(
                f"Quyết định kết nạp ký trước ngày {step.done_on:%d/%m/%Y} của "
                f"{Kind(kind).label[:1].lower()}{Kind(kind).label[1:]}.",
                field="effective_on",
            )
    # Age counts at the branch's review (domain-rules §2.2): someone within the limit then, or
    # excepted then, is not refused because the decision came a few weeks later.
    over_age = _excepted(candidate, AGE_RULE)
    reviewed = steps[Kind.BRANCH_VOTE].done_on
    values = {field: getattr(candidate, field) for field in CANDIDATE_FIELDS}
    values.pop("youth_union_member")
    member = create_member(
        actor,
        branch=candidate.organization,
        code=code,
        values={**values, "admitted_on": on},
        exception_reason=(
            over_age.reason
            if over_age
            else f"Trong độ tuổi khi chi bộ xét ngày {reviewed:%d/%m/%Y} (Điều lệ Đảng, Điều 1)"
        ),
        decision=decision,
    )
    AdmissionStep.objects.create(
        candidate=candidate,
        kind=Kind.DECISION,
        done_on=on,
        document_number=decision.number.strip(),
        body=decision.body.strip(),
        actor=actor,
    )
    candidate.stage, candidate.member = Stage.ADMITTED, member
    candidate.save(update_fields=["stage", "member", "updated_at"])
    audit.record(
        actor,
        "candidate.admit",
        candidate,
        org_path=candidate.org_path,
        changes={"stage": [Stage.COMMITTEE_RESOLVED.label, Stage.ADMITTED.label]},
        **decision.as_audit(),
    )
    return member


@transaction.atomic
def record_ceremony(
    actor,
    candidate: Candidate,
    *,
    on: datetime.date,
    note: str = "",
    exception_reason: str = "",
    exception_document: str = "",
) -> AdmissionStep:
    """The admission ceremony, within 30 working days of the decision; later only with the upper
    committee's approval, recorded as an exception (QĐ 294 §3.4; domain-rules R2.6)."""
    require_manage(actor, candidate)
    candidate = Candidate.unscoped.select_for_update().get(pk=candidate.pk)
    steps = _steps(candidate)
    decision = steps.get(Kind.DECISION)
    if candidate.stage != Stage.ADMITTED or decision is None:
        raise DomainError("Chưa có quyết định kết nạp: chưa thể tổ chức lễ kết nạp.")
    if Kind.CEREMONY in steps:
        raise DomainError(
            f"Lễ kết nạp đã ghi ngày {steps[Kind.CEREMONY].done_on:%d/%m/%Y}: sửa ngày lễ, có lý "
            "do, trên trang «Xét công nhận chính thức» của đảng viên (Đảng viên dự bị)."
        )
    require_day(on, "ngày lễ kết nạp")
    if on < decision.done_on:
        raise DomainError("Lễ kết nạp trước ngày ký quyết định kết nạp.", field="done_on")
    working_days = RuleBook.load().value("ceremony_deadline_working_days", decision.done_on)
    last_day = deadline(decision.done_on, working_days)
    step = AdmissionStep.objects.create(
        candidate=candidate, kind=Kind.CEREMONY, done_on=on, note=note.strip(), actor=actor
    )
    if on > last_day:
        record_exception(
            actor,
            candidate,
            rule_key="ceremony_deadline_working_days",
            org_path=candidate.org_path,
            reason=exception_reason,
            document=exception_document,
            problem=(
                f"Lễ kết nạp quá {working_days} ngày làm việc kể từ quyết định "
                f"(hạn {last_day:%d/%m/%Y}) cần cấp ủy cấp trên đồng ý."
            ),
        )
    audit.record(
        actor,
        "candidate.step",
        candidate,
        org_path=candidate.org_path,
        changes={step_key("candidate.step", Kind.CEREMONY): [None, step_summary(step)]},
        effective_on=on,
    )
    if candidate.member_id is not None:  # the probation runs from this day (Điều lệ, Điều 5.1)
        member_services.set_ceremony_date(actor, candidate.member, on)
    return step
