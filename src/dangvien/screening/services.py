"""Striking a member off (xóa tên) and accepting an application to leave (xin ra khỏi Đảng):
every write of a case, each taking the acting user, checking scope and rules, in one
transaction, with its history (Điều lệ Đảng Điều 8; QĐ 24-QĐ/TW §8.1; domain-rules §2.9).

The rules, each naming its source:
- an official member whose violation warrants expulsion must be expelled: no striking off, no
  application to leave accepted (domain-rules §2.9, [C]);
- the member's self-review is requested before the branch votes; after the rule set's number of
  refusals (3) the branch proceeds (domain-rules §2.9, [C partial]);
- the votes in order, each reaching its share of the rule set: branch ≥ 2/3 of its official
  members on the day, base committee ≥ 2/3 of its members, competent standing committee > 1/2
  ([C] for a probationary member; [U] the same for an official member); a base branch (chi bộ
  cơ sở) is its own base level; an application to leave is reviewed by the branch [U detail];
- the decision (number, day, a committee above the branch) ends the membership through
  `members.services.end_membership`, takes back the card in use, and (through the leaving
  effects of `core.blockers`) marks the party badges awarded as to be returned; the complaint
  period runs from it (rule set, [U] one month);
- a complaint reopens the decided case; a case is withdrawn before its decision, or annulled
  with a reason at any time, which brings a member it removed back (party age continuous)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.workdays import rule_deadline
from dangvien.members.models import ACTIVE_STATUSES, EventKind, Member, Status
from dangvien.organizations.models import Organization, OrgKind
from dangvien.screening.models import (
    GROUNDS,
    Case,
    CaseKind,
    CaseStatus,
    CaseStep,
    StepKind,
    VoteLevel,
)

COMPLAINT_RULE = "strike_off_complaint_working_days"
EXIT_STATUS = {CaseKind.STRIKE_OFF: Status.REMOVED, CaseKind.RESIGNATION: Status.RESIGNED}
EXIT_EVENT = {CaseKind.STRIKE_OFF: EventKind.REMOVED, CaseKind.RESIGNATION: EventKind.RESIGNED}
# Strictly more than the share (the standing committee, "quá 1/2"), else at least (≥ 2/3).
STRICT_LEVELS = {VoteLevel.STANDING}


def _require_manage(actor, case_or_member) -> None:
    """The officers who manage the member's branch; no actor: the command line and the demo
    loader, which act on all organisations."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, case_or_member.branch_path)


def _require_day(on: datetime.date | None, field: str, not_before: datetime.date | None = None):
    if on is None:
        raise DomainError("Hãy ghi ngày.", field=field)
    if on > timezone.localdate():
        raise DomainError(f"Ngày {on:%d/%m/%Y} ở tương lai.", field=field)
    if not_before is not None and on < not_before:
        raise DomainError(f"Ngày {on:%d/%m/%Y} trước ngày {not_before:%d/%m/%Y}.", field=field)
    return on


def _locked(case: Case, expected_version: str | None = None) -> Case:
    case = Case.unscoped.select_for_update().select_related("member", "branch").get(pk=case.pk)
    if expected_version is not None:
        versions.check(case, expected_version, label="Hồ sơ")
    return case


def _changed(actor, case: Case, action: str, changes: dict, **extra) -> None:
    versions.bump(case)
    audit.record(actor, action, case, org_path=case.branch_path, changes=changes, **extra)


def expulsion_refusal(member: Member, kind: str, warrants_expulsion: bool, on) -> str:
    """An official member whose violation warrants expulsion must be expelled: the Party may not
    strike them off nor accept their application to leave (domain-rules §2.9, [C])."""
    if not warrants_expulsion or (member.official_on is None or on < member.official_on):
        return ""
    what = "xóa tên" if kind == CaseKind.STRIKE_OFF else "nhận đơn xin ra khỏi Đảng"
    return (
        f"{member.full_name} là đảng viên chính thức có vi phạm đến mức phải khai trừ: phải xử lý "
        f"kỷ luật khai trừ (mục «Kỷ luật» trên trang hồ sơ), không được {what}."
    )


@transaction.atomic
def open_case(
    actor,
    member: Member,
    *,
    kind: str,
    opened_on: datetime.date,
    grounds: set[str],
    facts: str,
    warrants_expulsion: bool,
    application_on: datetime.date | None = None,
) -> Case:
    """Open a striking-off case on its grounds, or record an application to leave."""
    _require_manage(actor, member)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    if member.status not in ACTIVE_STATUSES:
        raise DomainError(f"{member.full_name} không còn sinh hoạt đảng.")
    if kind not in CaseKind.values:
        raise DomainError("Chọn loại hồ sơ.", field="kind")
    _require_day(opened_on, "opened_on", member.admitted_on)
    if problem := expulsion_refusal(member, kind, warrants_expulsion, opened_on):
        raise DomainError(problem, field="warrants_expulsion")
    grounds = set(grounds) & set(GROUNDS)
    if kind == CaseKind.STRIKE_OFF:
        if not grounds:
            raise DomainError(
                "Chọn ít nhất một căn cứ xóa tên (Điều lệ Đảng, Điều 8).", field="grounds"
            )
        application_on = None
    else:
        grounds = set()
        _require_day(application_on, "application_on", member.admitted_on)
    facts = require_reason(
        facts,
        "Ghi sự việc, căn cứ (số tháng, năm, nội dung đơn…)."
        if kind == CaseKind.STRIKE_OFF
        else "Ghi lý do đảng viên xin ra khỏi Đảng.",
    )
    probationary = member.official_on is None or opened_on < member.official_on
    try:
        with transaction.atomic():
            case = Case.unscoped.create(
                member=member,
                kind=kind,
                branch=member.branch,
                branch_path=member.branch_path,
                opened_on=opened_on,
                probationary=probationary,
                facts=facts,
                application_on=application_on,
                created_by=audit.acting_user(actor),
                **{field: True for field in grounds},
            )
    except IntegrityError:  # one case under way per member: a second page, a double click
        raise DomainError(_already_open(member)) from None
    audit.record(
        actor,
        "screening.open",
        case,
        org_path=case.branch_path,
        changes={"case_status": [None, case.get_status_display()]},
        effective_on=opened_on,
        reason="; ".join(case.grounds) + f". {facts}",
    )
    return case


def _already_open(member: Member) -> str:
    """The refusal of a second case: which case is under way, opened when and by whom."""
    case = (
        Case.unscoped.filter(member=member, status__in=[CaseStatus.OPEN, CaseStatus.COMPLAINED])
        .select_related("created_by")
        .first()
    )
    if case is None:
        return f"{member.full_name} đang có một hồ sơ chưa kết thúc."
    by = case.created_by
    who = (by.full_name or by.username) if by is not None else "hệ thống"
    when = timezone.localtime(case.created_at).strftime("%H:%M ngày %d/%m/%Y")
    return (
        f"{member.full_name} đang có hồ sơ «{case.get_kind_display()}» mở ngày "
        f"{case.opened_on:%d/%m/%Y} ({who} ghi lúc {when}) chưa kết thúc: không mở hồ sơ thứ hai."
    )


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise DomainError(f"Hồ sơ {case.get_status_display().lower()}: không ghi thêm bước xét.")


def _steps(case: Case, kind: str):
    return case.steps.filter(kind=kind)


def review_state(case: Case) -> tuple[int, int, bool]:
    """(requests, refusals, reviewed) of the member's self-review."""
    steps = list(case.steps.values_list("kind", flat=True))
    return (
        steps.count(StepKind.REVIEW_REQUESTED),
        steps.count(StepKind.REVIEW_REFUSED),
        StepKind.REVIEW_DONE in steps,
    )


def review_refusal(case: Case, on: datetime.date | None = None) -> str:
    """Why the branch may not vote on `on` (today by default) for want of a self-review (""
    when it may): reviewed, or refused as many times as the rule set in force that day says
    (3; domain-rules §2.9 [C partial])."""
    if case.kind != CaseKind.STRIKE_OFF:
        return ""
    requests, refusals, reviewed = review_state(case)
    needed = RuleBook.load().value("strike_off_self_review_requests", on or timezone.localdate())
    if reviewed or refusals >= needed:
        return ""
    return (
        f"Chưa có bản tự kiểm điểm: yêu cầu đảng viên tự kiểm điểm (đã yêu cầu {requests} lần, "
        f"không thực hiện {refusals} lần); sau {needed} lần không thực hiện chi bộ mới tiến hành."
    )


@transaction.atomic
def record_review_step(
    actor,
    case: Case,
    *,
    kind: str,
    on: datetime.date,
    note: str = "",
    expected_version: str | None = None,
):
    """A request to write the self-review, the member's refusal of one, or the review held;
    a page opened before another step was recorded is refused (`expected_version`)."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    _require_open(case)
    if case.kind != CaseKind.STRIKE_OFF:
        raise DomainError("Đơn xin ra khỏi Đảng không có bước tự kiểm điểm.")
    if kind not in (StepKind.REVIEW_REQUESTED, StepKind.REVIEW_REFUSED, StepKind.REVIEW_DONE):
        raise DomainError("Chọn bước.", field="kind")
    _require_day(on, "on", case.opened_on)
    requests, refusals, reviewed = review_state(case)
    needed = RuleBook.load().value("strike_off_self_review_requests", on)
    if reviewed:
        raise DomainError("Đảng viên đã tự kiểm điểm: không cần yêu cầu thêm.")
    if kind == StepKind.REVIEW_REQUESTED and requests >= needed:
        raise DomainError(f"Đã yêu cầu đủ {needed} lần: chi bộ tiến hành xét.", field="kind")
    if kind == StepKind.REVIEW_REFUSED and refusals >= requests:
        raise DomainError("Ghi lần yêu cầu tự kiểm điểm trước lần không thực hiện.", field="kind")
    last = case.steps.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise DomainError(f"Ngày trước bước đã ghi ({last.on:%d/%m/%Y}).", field="on")
    step = CaseStep.objects.create(
        case=case, kind=kind, on=on, note=note.strip(), created_by=audit.acting_user(actor)
    )
    _changed(
        actor,
        case,
        "screening.step",
        {"case_step": [None, str(step)]},
        effective_on=on,
        reason=note,
    )
    return step


def levels_needed(case: Case) -> list[str]:
    """The bodies that vote on the case, in order (domain-rules §2.9)."""
    if case.kind == CaseKind.RESIGNATION:
        return [VoteLevel.BRANCH]
    levels = [VoteLevel.BRANCH, VoteLevel.BASE, VoteLevel.STANDING]
    if case.branch.kind == OrgKind.BASE_BRANCH:  # the base branch is its own base level
        levels.remove(VoteLevel.BASE)
    return levels


def passed_votes(case: Case) -> dict[str, CaseStep]:
    return {step.level: step for step in case.steps.filter(kind=StepKind.VOTE, passed=True)}


def share(case: Case, level: str, on: datetime.date) -> tuple[int, int]:
    """The share of the body's members needed at `level` by the rule set in force on `on`."""
    who = "probationary" if case.probationary else "official"
    name = {VoteLevel.BRANCH: "branch", VoteLevel.BASE: "base", VoteLevel.STANDING: "standing"}
    rules, key = RuleBook.load(), f"strike_off_{who}_{name[level]}"
    return rules.value(f"{key}_numerator", on), rules.value(f"{key}_denominator", on)


def branch_size(case: Case, on: datetime.date) -> int:
    """The branch's official members on the vote's day, by the placements (domain-briefs
    «Corrections»: the denominator is taken on the vote's date, not today)."""
    from dangvien.admissions.shared.services import official_members_on

    return official_members_on(case.branch, on).count()


@transaction.atomic
def record_vote(
    actor,
    case: Case,
    *,
    level: str,
    on: datetime.date,
    body_size: int | None,
    present: int,
    votes_for: int,
    votes_against: int,
    note: str = "",
    expected_version: str | None = None,
) -> CaseStep:
    """One body's vote, kept whether or not it reaches its share; only one that does counts.
    A page opened before another step was recorded is refused: no vote recorded twice."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    _require_open(case)
    levels = levels_needed(case)
    if level not in levels:
        raise DomainError("Cấp biểu quyết không thuộc quy trình của hồ sơ này.", field="level")
    passed = passed_votes(case)
    if level in passed:
        raise DomainError(
            f"{VoteLevel(level).label} đã biểu quyết đạt ngày {passed[level].on:%d/%m/%Y}."
        )
    for before in levels[: levels.index(level)]:
        if before not in passed:
            raise DomainError(f"Cần biểu quyết đạt của {VoteLevel(before).label.lower()} trước.")
    if level == VoteLevel.BRANCH and (problem := review_refusal(case, on)):
        raise DomainError(problem)
    last = case.steps.order_by("-on", "-id").first()
    _require_day(on, "on", last.on if last else case.opened_on)
    if level == VoteLevel.BRANCH:
        body_size = branch_size(case, on)
    if not body_size:
        raise DomainError("Ghi số thành viên của cấp ủy biểu quyết.", field="body_size")
    if present > body_size:
        raise DomainError(
            f"Số có mặt ({present}) nhiều hơn số thành viên ({body_size}).", field="present"
        )
    if votes_for + votes_against > present:
        raise DomainError("Số tán thành và không tán thành nhiều hơn số có mặt.", field="votes_for")
    numerator, denominator = share(case, level, on)
    strict = level in STRICT_LEVELS
    reached = (
        votes_for * denominator > numerator * body_size
        if strict
        else votes_for * denominator >= numerator * body_size
    )
    threshold = f"{'trên' if strict else 'từ'} {numerator}/{denominator} của {body_size}"
    step = CaseStep.objects.create(
        case=case,
        kind=StepKind.VOTE,
        on=on,
        note=note.strip(),
        level=level,
        body_size=body_size,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        passed=reached,
        threshold=threshold,
        created_by=audit.acting_user(actor),
    )
    outcome = "đạt" if reached else "không đạt"
    _changed(
        actor,
        case,
        "screening.step",
        {"case_step": [None, f"{step}: {votes_for}/{body_size} tán thành, {outcome}"]},
        effective_on=on,
        reason=note,
    )
    return step


def decision_refusal(case: Case) -> str:
    """Why the case cannot be decided yet ("" when it can): the votes of every level passed."""
    if case.status != CaseStatus.OPEN:
        return f"Hồ sơ {case.get_status_display().lower()}."
    member = case.member
    if member.status not in ACTIVE_STATUSES:
        return (
            f"{member.full_name} đã ra khỏi danh sách đảng viên ({member.get_status_display()}): "
            "dừng xem xét hồ sơ."
        )
    passed = passed_votes(case)
    missing = [
        VoteLevel(level).label.lower() for level in levels_needed(case) if level not in passed
    ]
    if missing:
        return "Chưa có biểu quyết đạt tỷ lệ của " + ", ".join(missing) + "."
    return ""


@transaction.atomic
def decide_case(
    actor,
    case: Case,
    *,
    number: str,
    decided_on: datetime.date,
    deciding_org: Organization,
    expected_version: str | None = None,
) -> Case:
    """The competent committee's decision: the member is struck off (or leaves) on its day."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    if problem := decision_refusal(case):
        raise DomainError(problem)
    number = (number or "").strip()
    if not number:
        raise DomainError("Ghi số quyết định.", field="decision_number")
    last_vote = max(step.on for step in passed_votes(case).values())
    _require_day(decided_on, "decided_on", last_vote)
    if (
        deciding_org is None
        or not case.branch_path.startswith(deciding_org.path)
        or (deciding_org.pk == case.branch_id)
    ):
        raise DomainError(
            "Cấp ủy quyết định phải là cấp ủy cấp trên của chi bộ (cấp ủy có thẩm quyền).",
            field="deciding_org",
        )
    member = Member.unscoped.select_for_update().get(pk=case.member_id)
    label = case.get_kind_display()
    said = Decision(
        effective_on=decided_on,
        number=number,
        body=deciding_org.name,
        reason=f"{label}: " + "; ".join(case.grounds),
    )
    from dangvien.members.services import record_leaving

    record_leaving(actor, member, EXIT_STATUS[case.kind], said)  # the scope checked above
    event = member.events.filter(kind=EXIT_EVENT[case.kind], on=decided_on).latest("id")
    _take_back_card(actor, member, decided_on, f"{label}, quyết định số {number}")
    case.status = CaseStatus.DECIDED
    case.decision_number, case.decided_on, case.deciding_org = number, decided_on, deciding_org
    case.complaint_until = rule_deadline(COMPLAINT_RULE, decided_on)
    case.exit_event = event
    case.save()
    _changed(
        actor,
        case,
        "screening.decide",
        {"case_status": ["Đang xem xét", case.get_status_display()]},
        **said.as_audit(),
    )
    return case


def _take_back_card(actor, member: Member, on: datetime.date, note: str) -> None:
    """The card in use is taken back (thu hồi) on the decision's day (domain-briefs
    «Corrections»: leaving the Party ends the party card)."""
    from dangvien.admissions.cards.services import card_in_use, record_card_end
    from dangvien.admissions.models import CardEnd

    if card_in_use(member) is not None:
        record_card_end(actor, member, on=on, reason=CardEnd.REVOKED, note=note)


@transaction.atomic
def receive_complaint(
    actor,
    case: Case,
    *,
    received_on: datetime.date,
    content: str,
    expected_version: str | None = None,
) -> CaseStep:
    """A complaint against the decision (QĐ 294 «giải quyết khiếu nại về xóa tên»): the case
    is reopened until it is answered; one after the deadline is kept, marked late."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    if case.status != CaseStatus.DECIDED:
        raise DomainError("Chỉ nhận khiếu nại về hồ sơ đã có quyết định.")
    _require_day(received_on, "received_on", case.decided_on)
    content = require_reason(content, "Ghi nội dung khiếu nại.")
    if received_on > case.complaint_until:
        content += f" (nhận sau hạn khiếu nại {case.complaint_until:%d/%m/%Y})"
    step = CaseStep.objects.create(
        case=case,
        kind=StepKind.COMPLAINT,
        on=received_on,
        note=content,
        created_by=audit.acting_user(actor),
    )
    case.status = CaseStatus.COMPLAINED
    case.save(update_fields=["status", "updated_at"])
    _changed(
        actor,
        case,
        "screening.complaint",
        {"case_status": ["Đã có quyết định", case.get_status_display()]},
        effective_on=received_on,
        reason=content,
    )
    return step


@transaction.atomic
def answer_complaint(
    actor,
    case: Case,
    *,
    answered_on: datetime.date,
    answer: str,
    expected_version: str | None = None,
) -> CaseStep:
    """The complaint answered, the decision upheld (one that annuls it: `annul_case`)."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    if case.status != CaseStatus.COMPLAINED:
        raise DomainError("Không có khiếu nại đang giải quyết.")
    complaint = case.steps.filter(kind=StepKind.COMPLAINT).order_by("-on", "-id").first()
    _require_day(answered_on, "answered_on", complaint.on)
    answer = require_reason(answer, "Ghi nội dung giải quyết khiếu nại.")
    step = CaseStep.objects.create(
        case=case,
        kind=StepKind.COMPLAINT_ANSWERED,
        on=answered_on,
        note=answer,
        created_by=audit.acting_user(actor),
    )
    case.status = CaseStatus.DECIDED
    case.save(update_fields=["status", "updated_at"])
    _changed(
        actor,
        case,
        "screening.complaint_answer",
        {"case_status": ["Đang giải quyết khiếu nại", case.get_status_display()]},
        effective_on=answered_on,
        reason=answer,
    )
    return step


def _close(actor, case: Case, status: str, action: str, reason: str) -> Case:
    old = case.get_status_display()
    case.status, case.close_reason = status, reason
    case.closed_at, case.closed_by = timezone.now(), audit.acting_user(actor)
    case.save(update_fields=["status", "close_reason", "closed_at", "closed_by", "updated_at"])
    _changed(actor, case, action, {"case_status": [old, case.get_status_display()]}, reason=reason)
    return case


@transaction.atomic
def withdraw_case(actor, case: Case, *, reason: str, expected_version: str | None = None) -> Case:
    """Stop a case before its decision (the member reformed, the application taken back)."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    if case.status != CaseStatus.OPEN:
        raise DomainError(f"Hồ sơ {case.get_status_display().lower()}: không dừng được.")
    reason = require_reason(reason, "Ghi lý do dừng xem xét.")
    return _close(actor, case, CaseStatus.WITHDRAWN, "screening.withdraw", reason)


@transaction.atomic
def annul_case(actor, case: Case, *, reason: str, expected_version: str | None = None) -> Case:
    """Annul a case recorded by mistake or a decision found wrongful (on a complaint): a member
    it removed is a member again from the day they left, party age continuous; the card taken
    back stays ended (a new one is issued on the card page)."""
    _require_manage(actor, case)
    case = _locked(case, expected_version)
    if case.status in (CaseStatus.ANNULLED, CaseStatus.WITHDRAWN):
        raise DomainError(f"Hồ sơ {case.get_status_display().lower()}.")
    reason = require_reason(reason, "Ghi lý do hủy (ghi nhầm, quyết định bị hủy bỏ…).")
    if case.decided_on is not None:
        member = Member.unscoped.select_for_update().get(pk=case.member_id)
        if member.status == EXIT_STATUS[case.kind] and member.left_on == case.decided_on:
            from dangvien.members.services import restore_membership

            restore_membership(
                actor,
                member,
                Decision(
                    effective_on=case.decided_on,
                    reason=f"Hủy quyết định {case.decision_number}: {reason}; tuổi đảng liên tục",
                ),
            )
    return _close(actor, case, CaseStatus.ANNULLED, "screening.annul", reason)
