"""Reads of the admission file: its checklist (what is recorded, what is missing, the ceremony
deadline) and the member code suggested for the admission decision."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from dangvien.admissions.models import AdmissionStep, AdmissionStepKind, Candidate
from dangvien.admissions.procedure.services import (
    VOTES,
    missing_before_vote,
    needs_committee_vote,
)
from dangvien.admissions.rules import vote_share_label
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import visible
from dangvien.core.workdays import deadline
from dangvien.members.models import Member

Kind = AdmissionStepKind


@dataclass(frozen=True)
class ChecklistRow:
    kind: str
    label: str
    step: AdmissionStep | None
    required: bool  # False: only when it applies to the candidate (Youth Union's resolution)
    applies: bool  # False: the committee vote of a base branch (chi bộ cơ sở)
    is_vote: bool

    @property
    def done(self) -> bool:
        return self.step is not None and self.step.is_done


@dataclass(frozen=True)
class Checklist:
    rows: list[ChecklistRow]
    needs_committee_vote: bool
    missing_before_vote: list[str]  # what the branch still lacks to vote (Vietnamese)
    vote_share: str  # "2/3"
    branch_vote_done: bool
    committee_vote_done: bool
    decision: AdmissionStep | None
    ceremony: AdmissionStep | None
    ceremony_deadline: datetime.date | None  # 30 working days after the decision
    ceremony_days: int | None  # those working days, from the rule set of the decision's date
    certificate_valid_until: datetime.date | None

    @property
    def ceremony_late(self) -> bool:
        if self.ceremony_deadline is None:
            return False
        held_on = self.ceremony.done_on if self.ceremony else timezone.localdate()
        return held_on > self.ceremony_deadline

    @property
    def ready_for_decision(self) -> bool:
        return self.branch_vote_done and (self.committee_vote_done or not self.needs_committee_vote)


def checklist(candidate: Candidate) -> Checklist:
    """Every step of the file in its order (HD 12-HD/BTCTW), with what is recorded and what is
    missing, the ceremony deadline and how long the awareness certificate stays valid."""
    steps = {step.kind: step for step in candidate.steps.select_related("actor")}
    committee = needs_committee_vote(candidate)
    rules = RuleBook.load()
    rows = [
        ChecklistRow(
            kind=kind.value,
            label=kind.label,
            step=steps.get(kind.value),
            required=kind != Kind.YOUTH_UNION,
            applies=kind != Kind.COMMITTEE_VOTE or committee,
            is_vote=kind in VOTES,
        )
        for kind in Kind
    ]
    decision = steps.get(Kind.DECISION)
    ceremony_deadline = days = None
    if decision is not None:
        days = rules.value("ceremony_deadline_working_days", decision.done_on)
        ceremony_deadline = deadline(decision.done_on, days)
    valid_until = None
    if candidate.class_attended_on:
        months = rules.value("awareness_certificate_valid_months", candidate.class_attended_on)
        valid_until = add_months(candidate.class_attended_on, months)

    def done(kind) -> bool:
        return kind in steps and steps[kind].is_done

    return Checklist(
        rows=rows,
        needs_committee_vote=committee,
        missing_before_vote=missing_before_vote(candidate, steps),
        vote_share=vote_share_label(timezone.localdate(), rules),
        branch_vote_done=done(Kind.BRANCH_VOTE),
        committee_vote_done=done(Kind.COMMITTEE_VOTE),
        decision=decision,
        ceremony=steps.get(Kind.CEREMONY),
        ceremony_deadline=ceremony_deadline,
        ceremony_days=days,
        certificate_valid_until=valid_until,
    )


CODE_NUMBER = re.compile(r"^(.*?)(\d+)$")


def suggested_member_code(user, candidate: Candidate) -> str:
    """A free member code in the style of the branch's own (the last code + 1: SH000124), or
    `<branch code>-0001` for a branch without members yet. Only a suggestion: the officer may
    type another; the service checks it is free.

    Read from the members `user` sees only, so that it never reveals the code series of another
    organisation: the highest visible code of the series + 1, moved on while it is taken (by a
    member outside the scope: what submitting that code would tell anyway)."""
    members = visible(user, Member)
    last = (
        members.filter(branch_id=candidate.organization_id)
        .order_by("-pk")
        .values_list("code", flat=True)
        .first()
    )
    match = CODE_NUMBER.match(last or "")
    if match:
        return _next_free(members, match[1], len(match[2]))
    return _next_free(members, f"{candidate.organization.code}-", 4)


def _next_free(members: QuerySet[Member], prefix: str, width: int) -> str:
    """The code after the highest `prefix` + `width` digits among `members` (one indexed range
    query), then the first of the next hundred not in use by any member (one more query)."""
    low, high = prefix + "0" * width, prefix + "9" * width
    used = (
        members.filter(code__gte=low, code__lte=high)
        .annotate(n=Length("code"))
        .filter(n=len(low))
        .order_by("-code")
        .values_list("code", flat=True)[:50]
    )
    numbers = [int(code[len(prefix) :]) for code in used if code[len(prefix) :].isdigit()]
    first = max(numbers, default=0) + 1
    candidates = [f"{prefix}{number:0{width}d}" for number in range(first, first + 100)]
    taken = set(Member.unscoped.filter(code__in=candidates).values_list("code", flat=True))
    return next((code for code in candidates if code not in taken), candidates[-1])
