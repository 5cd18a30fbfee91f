"""What the party-development services share: date checks, recorded exceptions, votes and the
steps of a procedure."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from dangvien.admissions.models import StepOutcome
from dangvien.admissions.rules import vote_passes
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.models import RuleException
from dangvien.core.rules import RuleBook
from dangvien.members.models import Member
from dangvien.organizations.models import OrgKind


def require_day(day: datetime.date | None, label: str, *, field: str = "done_on") -> datetime.date:
    """A date the user must give, not in the future."""
    if day is None:
        raise DomainError(f"Cần ghi {label}.", field=field)
    if day > timezone.localdate():
        raise DomainError(f"{label[:1].upper()}{label[1:]} không thể ở tương lai.", field=field)
    return day


def record_exception(
    actor, target, *, rule_key: str, org_path: str, reason: str, document: str, problem: str
) -> RuleException:
    """Keep an officer's exception to a rule, with its reason and the document allowing it."""
    if not reason.strip():
        raise DomainError(
            f"{problem} Hãy ghi lý do và văn bản cho phép ngoại lệ.", field="exception_reason"
        )
    return RuleException.unscoped.create(
        rule_key=rule_key,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        org_path=org_path,
        reason=f"{reason.strip()} ({problem})",
        decision_number=document.strip(),
        actor=actor,
    )


def check_vote_total(branch, votes_total: int, on: datetime.date) -> None:
    """A branch votes with at least two thirds of its official members (Điều lệ Đảng, Điều 4
    and 5): the total entitled to vote lies between the official members active and not
    exempted on that day (a smaller total would lower the bar) and all its official members
    that day (a larger one is a typing mistake: 50 voters in a branch of 34)."""
    voters = official_members_on(branch, on)
    entitled = voters.filter(Q(exempt_since__isnull=True) | Q(exempt_since__gt=on)).count()
    if votes_total < entitled:
        raise DomainError(
            f"Tổng số có quyền biểu quyết ({votes_total}) ít hơn số đảng viên chính thức đang "
            f"sinh hoạt của {branch.name} ({entitled}).",
            field="votes_total",
        )
    members = voters.count()
    if votes_total > members:
        raise DomainError(
            f"Tổng số có quyền biểu quyết ({votes_total}) nhiều hơn số đảng viên chính thức của "
            f"{branch.name} ngày {on:%d/%m/%Y} ({members}).",
            field="votes_total",
        )


def official_members_on(branch, on: datetime.date):
    """The official members of `branch` on day `on`, by the placements (a member who has moved
    or left since still counts; one who came later does not)."""
    placed = Member.unscoped.filter(
        Q(placements__branch=branch, placements__start__lte=on)
        & (Q(placements__end__isnull=True) | Q(placements__end__gte=on))
    )
    ids = placed.filter(official_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    return Member.unscoped.filter(pk__in=ids.values("pk"))


def check_vote_stands(label: str, previous) -> None:
    """A vote that passed stands: it is neither taken again nor corrected over."""
    if previous is not None and previous.outcome == StepOutcome.DONE:
        raise DomainError(f"{label} đã được ghi ngày {previous.done_on:%d/%m/%Y}.")


def check_vote_attempt(label: str, previous, on: datetime.date, correction_reason: str) -> bool:
    """A vote recorded after a failed one is a new attempt, held at a later meeting (Điều lệ
    Đảng, Điều 4 and 5: the third failure hands the file to the upper level, so each attempt
    counts); a mistyped attempt is corrected instead, with a reason, and is not counted again.
    A vote that passed stands. True when the vote corrects the last attempt."""
    correcting = bool(correction_reason.strip())
    if previous is None:
        if correcting:
            raise DomainError("Chưa có lần biểu quyết nào để sửa.", field="correction_reason")
        return False
    check_vote_stands(label, previous)
    if correcting:
        return True
    if on <= previous.done_on:
        raise DomainError(
            f"Lần biểu quyết mới phải sau ngày {previous.done_on:%d/%m/%Y} (lần {previous.attempts}"
            "): mỗi lần là một cuộc họp khác. Nếu lần đó ghi nhầm số liệu, hãy ghi lý do sửa để "
            "sửa chính lần đó.",
            field="done_on",
        )
    return False


def vote_outcome(votes_for: int | None, votes_total: int | None, on: datetime.date) -> str:
    """Done when at least two thirds agree (the rule set's share), failed otherwise."""
    if votes_for is None or not votes_total:
        raise DomainError("Cần ghi số tán thành và tổng số có quyền biểu quyết.", field="votes_for")
    if votes_for > votes_total:
        raise DomainError("Số tán thành lớn hơn tổng số có quyền biểu quyết.", field="votes_for")
    passed = vote_passes(votes_for, votes_total, on, RuleBook.load())
    return StepOutcome.DONE if passed else StepOutcome.FAILED


@dataclass(frozen=True)
class StepInput:
    """What a user records for one step of a procedure: a document, or a vote with its figures."""

    kind: str
    on: datetime.date
    document_number: str = ""
    body: str = ""
    votes_for: int | None = None
    votes_total: int | None = None
    note: str = ""


def save_step(
    actor,
    owner,
    steps,
    entry: StepInput,
    *,
    is_vote: bool,
    outcome: str,
    action: str,
    org_path: str,
    correction_reason: str = "",
):
    """Store the step on `owner` (a candidate's `steps`, a member's `recognition_steps`), a new
    attempt of a vote counted (a correction of the last one, with its reason, is not), and keep
    it in the owner's history under the step's change key (`step_key`), with what it replaced."""
    previous = steps.filter(kind=entry.kind).first()
    before = step_summary(previous) if previous is not None else None
    step, _created = steps.update_or_create(
        kind=entry.kind,
        defaults={
            "done_on": entry.on,
            "document_number": entry.document_number.strip(),
            "body": entry.body.strip(),
            "votes_for": entry.votes_for if is_vote else None,
            "votes_total": entry.votes_total if is_vote else None,
            "outcome": outcome,
            "attempts": _attempts(previous, is_vote, correcting=bool(correction_reason)),
            "note": entry.note.strip(),
            "actor": actor,
        },
    )
    audit.record(
        actor,
        action,
        owner,
        org_path=org_path,
        changes={step_key(action, entry.kind): [before, step_summary(step)]},
        effective_on=entry.on,
        decision_number=step.document_number,
        decision_body=step.body,
        reason=correction_reason.strip(),
    )
    return step


def _attempts(previous, is_vote: bool, *, correcting: bool) -> int:
    if previous is None or not is_vote:
        return 1
    return previous.attempts if correcting else previous.attempts + 1


def step_key(action: str, kind: str) -> str:
    """The change key of one step in its owner's history ("step_application" in an admission
    file, "review_branch_vote" in a probation review): a step is versioned by these entries."""
    return f"{'review' if action.startswith('probation.') else 'step'}_{kind}"


def step_summary(step) -> str:
    """A step as the history shows it: outcome, date, document, the vote's figures."""
    text = f"{step.get_outcome_display()} ngày {step.done_on:%d/%m/%Y}"
    if step.document_number:
        text += f", số {step.document_number}"
    if step.votes_total:
        text += f", {step.votes_for}/{step.votes_total} tán thành (lần {step.attempts})"
    return text


def step_version(owner, action: str, kind: str) -> str:
    """The version of one step of `owner`'s procedure, as its form on the page carries it."""
    return versions.token(None, history_of=owner, actions=action, key=step_key(action, kind))


def check_step_unchanged(owner, action: str, kind: str, expected_version, label: str) -> None:
    """Refuse a save of a step recorded or changed by someone else after the user read it,
    naming the change (core/versions.py; None: an internal caller, no check)."""
    versions.check(
        None,
        expected_version,
        history_of=owner,
        actions=action,
        key=step_key(action, kind),
        label=label,
    )


def votes_in_base_committee(branch) -> bool:
    """A branch under a base committee (chi bộ trực thuộc) sends its resolutions to the base
    committee's vote; a base branch (chi bộ cơ sở) goes straight to the committee above."""
    return branch.kind == OrgKind.SUB_BRANCH
