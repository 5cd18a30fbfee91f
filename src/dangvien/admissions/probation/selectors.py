"""Reads of probation: probationary members with their due dates and the state of their review,
a member's recognition checklist and its history. Every read starts from the user's scope
(`core.scope.visible`); the due dates are SQL conditions (probation/deadlines.py)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangvien.admissions.models import (
    AdmissionStep,
    AdmissionStepKind,
    Candidate,
    RecognitionStep,
    RecognitionStepKind,
    StepOutcome,
)
from dangvien.admissions.probation.deadlines import (
    BRANCH_RESOLUTIONS,
    ProbationWindows,
    end_order,
    resolved,
)
from dangvien.admissions.probation.services import (
    BEFORE_RECOGNITION,
    VOTES,
    needs_committee,
    settled,
)
from dangvien.admissions.rules import vote_share_label
from dangvien.admissions.shared.selectors import org_filter, query_choice
from dangvien.core.models import AuditEntry
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import visible
from dangvien.core.sorting import Sorting
from dangvien.core.workdays import WorkingCalendar, span
from dangvien.members.models import Member, Status

Kind = RecognitionStepKind
RECOGNITION_PATH = (
    Kind.SELF_REVIEW,
    Kind.INTRODUCER_OPINION,
    Kind.MASS_ORG_COMMENT,
    Kind.BRANCH_VOTE,
    Kind.COMMITTEE_VOTE,
)
STRIKE_OFF_PATH = (Kind.STRIKE_OFF_VOTE,)

PROBATION_FILTERS = {
    "": "Tất cả đảng viên dự bị",
    "due": "Sắp hết thời gian dự bị",
    "review": "Đã hết dự bị, đang xét",
    "overdue": "Quá hạn xét công nhận",
}


# The probation list

# The orders of the probation list: the earliest admitted first by default.
PROBATION_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "branch": ("branch__sort_key", "branch_id"),
        "admitted": ("admitted_on",),
        "ceremony": ("ceremony_on",),
        "end": lambda: end_order(RuleBook.load()),
    },
    default="admitted",
)


@dataclass
class ProbationFilters:
    org: str = ""
    show: str = ""
    sort: str = ""  # a key of PROBATION_SORTING; "" is the admission order

    @classmethod
    def from_query(cls, query) -> "ProbationFilters":
        """The filters of a query string; an order the list does not offer is a 400."""
        return cls(
            org=query.get("org", "").strip(),
            show=query_choice(query, "show", PROBATION_FILTERS),
            sort=PROBATION_SORTING.read(query),
        )


def _probationary(user, org_code: str, rules: RuleBook, day: datetime.date) -> QuerySet[Member]:
    _org, in_org = org_filter(user, org_code)
    return (
        visible(user, Member)
        .filter(in_org, status=Status.PROBATIONARY)
        .annotate(resolved=resolved(rules, day))
    )


def probationary_members(user, filters: ProbationFilters) -> QuerySet[Member]:
    """Probationary members of the scope (or of one organisation) in the chosen order, the
    earliest admitted first by default."""
    rules, day = RuleBook.load(), timezone.localdate()
    queryset = _probationary(user, filters.org, rules, day)
    if filters.show:
        windows = ProbationWindows.on(day, rules)
        chosen = {
            "due": windows.due_soon,
            "review": windows.ended & ~windows.overdue,
            "overdue": windows.overdue,
        }
        queryset = queryset.filter(chosen[filters.show])
    return queryset.select_related("branch").order_by(*PROBATION_SORTING.order_by(filters.sort))


def probation_summary(user, org_code: str = "") -> dict:
    """How many probationary members, due within the reminder period, under review, overdue:
    one aggregate over the scope."""
    rules, day = RuleBook.load(), timezone.localdate()
    windows = ProbationWindows.on(day, rules)
    counts = _probationary(user, org_code, rules, day).aggregate(
        total=Count("pk"),
        due=Count("pk", filter=windows.due_soon),
        review=Count("pk", filter=windows.ended & ~windows.overdue),
        overdue=Count("pk", filter=windows.overdue),
    )
    return {
        **counts,
        "reminder_days": windows.reminder_days,
        "review_days": windows.review_days,
        "probation_months": windows.probation_months,
    }


# A member's review


@dataclass
class StepRow:
    """One line of the recognition checklist."""

    kind: str
    label: str
    required: bool
    is_vote: bool
    committee: bool
    step: RecognitionStep | None = None
    failed: bool = False
    upper_level: bool = False
    form: object = None

    @property
    def done(self) -> bool:
        return self.step is not None and (not self.failed or self.upper_level)

    @property
    def can_record(self) -> bool:
        """Documents can be corrected; a vote only until it has passed."""
        return self.step is None or not self.is_vote or self.failed


@dataclass
class ProbationReview:
    member: Member
    end: datetime.date
    deadline: datetime.date
    review_days: int
    due_soon: bool
    ended: bool
    overdue: bool
    needs_committee: bool
    vote_share: str
    attempts_limit: int
    steps: dict[str, RecognitionStep]
    rules: RuleBook
    on: datetime.date
    recognition: list[StepRow] = field(default_factory=list)
    strike_off: list[StepRow] = field(default_factory=list)

    @property
    def probation_months(self) -> int:
        return self.rules.value("probation_months", self.member.probation_start)

    @property
    def decision(self) -> RecognitionStep | None:
        return self.steps.get(Kind.DECISION) or self.steps.get(Kind.STRIKE_OFF)

    @property
    def missing(self) -> list[str]:
        """The steps the recognition decision still needs (the service enforces them)."""
        return [row.label for row in self.recognition if row.required and not row.done]

    @property
    def state(self) -> str:
        if self.member.status == Status.OFFICIAL:
            return "Đã công nhận chính thức"
        if self.member.status != Status.PROBATIONARY:
            return self.member.get_status_display()
        strike = self.steps.get(Kind.STRIKE_OFF_VOTE)
        branch = self.steps.get(Kind.BRANCH_VOTE)
        if strike is not None and self._settled(strike):
            return "Chi bộ đề nghị xóa tên, chờ quyết định"
        if branch is not None and self._settled(branch):
            committee = self.steps.get(Kind.COMMITTEE_VOTE)
            if self.needs_committee and not (committee and self._settled(committee)):
                return "Chờ nghị quyết đảng ủy cơ sở"
            return "Chờ quyết định công nhận"
        failed = [step for step in (branch, strike) if step is not None]
        if failed:
            return f"Biểu quyết {failed[0].attempts} lần chưa đạt {self.vote_share}"
        if self.steps:
            return f"Đang xét: đã có {len(self.steps)} bước"
        return "Chưa xét"

    def _settled(self, step: RecognitionStep) -> bool:
        return settled(step, self.on, self.rules)


@dataclass(frozen=True)
class _Reading:
    """What reviewing a page of members needs, loaded once."""

    rules: RuleBook
    calendar: WorkingCalendar
    day: datetime.date

    @classmethod
    def load(cls, members: list[Member]) -> "_Reading":
        rules, day = RuleBook.load(), timezone.localdate()
        ends = [_end(member, rules) for member in members] or [day]
        review_days = rules.value("recognition_review_working_days")
        calendar = WorkingCalendar.load(min(ends), max(ends) + span(review_days))
        return cls(rules, calendar, day)


def _end(member: Member, rules: RuleBook) -> datetime.date:
    """probation.services.probation_end with rules already loaded."""
    start = member.probation_start
    return add_months(start, rules.value("probation_months", start))


def _row(kind: str, review: ProbationReview, required: bool) -> StepRow:
    step = review.steps.get(kind)
    failed = step is not None and step.outcome == StepOutcome.FAILED
    return StepRow(
        kind=kind,
        label=Kind(kind).label,
        required=required,
        is_vote=kind in VOTES,
        committee=kind == Kind.COMMITTEE_VOTE,
        step=step,
        failed=failed,
        upper_level=failed and settled(step, review.on, review.rules),
    )


def _review(member: Member, steps: list[RecognitionStep], reading: _Reading) -> ProbationReview:
    rules, day = reading.rules, reading.day
    end = _end(member, rules)
    review_days = rules.value("recognition_review_working_days", end)
    deadline = reading.calendar.add_working_days(end, review_days)
    by_kind = {step.kind: step for step in steps}
    settled_branch = [kind for kind in BRANCH_RESOLUTIONS if settled(by_kind.get(kind), day, rules)]
    probationary = member.status == Status.PROBATIONARY
    review = ProbationReview(
        member=member,
        end=end,
        deadline=deadline,
        review_days=review_days,
        due_soon=probationary
        and day < end <= day + datetime.timedelta(days=rules.value("probation_reminder_days", day)),
        ended=probationary and end <= day,
        overdue=probationary and deadline < day and not settled_branch,
        needs_committee=needs_committee(member),
        vote_share=vote_share_label(day, rules),
        attempts_limit=rules.value("vote_attempts_before_upper_level", day),
        steps=by_kind,
        rules=rules,
        on=day,
    )
    review.recognition = [
        _row(kind, review, kind in BEFORE_RECOGNITION or kind == Kind.COMMITTEE_VOTE)
        for kind in RECOGNITION_PATH
        if kind != Kind.COMMITTEE_VOTE or review.needs_committee
    ]
    review.strike_off = [_row(kind, review, True) for kind in STRIKE_OFF_PATH]
    return review


def probation_review(member: Member) -> ProbationReview:
    """The recognition checklist of one member, its dates and warnings."""
    steps = list(member.recognition_steps.select_related("actor").order_by("done_on", "id"))
    return _review(member, steps, _Reading.load([member]))


def review_history(member: Member, limit: int = 200) -> QuerySet[AuditEntry]:
    """The review's entries of the member's history: each step as recorded, each correction of
    a vote and of the ceremony date, a strike-off annulled, with their reasons (the member's
    own page keeps the whole history)."""
    return AuditEntry.unscoped.filter(
        Q(action__startswith="probation.")
        | Q(action="member.reinstate")  # after a strike-off annulled
        | Q(action="member.update", changes__has_key="ceremony_on"),
        target_type=Member._meta.label_lower,
        target_id=member.pk,
    ).select_related("actor")[:limit]


@dataclass(frozen=True)
class CeremonyFile:
    """Where the member's ceremony is recorded: the admission file on the system (its ceremony
    step, kept with the record's date), or the record alone (an imported member)."""

    candidate_id: int | None = None
    awaiting: bool = False  # the file has no ceremony yet: it is recorded there, on time


def ceremony_on_file(member: Member) -> CeremonyFile:
    candidate = Candidate.unscoped.filter(member=member).values_list("pk", flat=True).first()
    if candidate is None:
        return CeremonyFile()
    held = AdmissionStep.objects.filter(candidate_id=candidate, kind=AdmissionStepKind.CEREMONY)
    return CeremonyFile(candidate, awaiting=not held.exists())


def probation_rows(members) -> list[ProbationReview]:
    """The reviews of a page of members: one query for all their steps."""
    members = list(members)
    steps: dict[int, list[RecognitionStep]] = {}
    for step in RecognitionStep.objects.filter(member__in=members).order_by("done_on", "id"):
        steps.setdefault(step.member_id, []).append(step)
    reading = _Reading.load(members)
    return [_review(member, steps.get(member.pk, []), reading) for member in members]
