"""When probations end and reviews fall due, as SQL conditions: "the probation ends on or before
D" becomes "admitted (or sworn in) on or before A" for each period of the rule sets, so that
reminders and counts stay indexed range queries on the dates (domain-rules §2.4, R2.7)."""

import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan

from dangvien.admissions.models import RecognitionStep, RecognitionStepKind, StepOutcome
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.workdays import WorkingCalendar, span

ONE_DAY = datetime.timedelta(days=1)
Kind = RecognitionStepKind
# The branch's proposal, either way: once it exists the review is no longer overdue (R2.7).
BRANCH_RESOLUTIONS = (Kind.BRANCH_VOTE, Kind.STRIKE_OFF_VOTE)


def _probation_periods(rules: RuleBook) -> list[tuple[datetime.date | None, datetime.date | None]]:
    """Admission-date ranges [start, end) over which the probation length does not change."""
    starts = sorted({day for _family, day, values in rules.sets if "probation_months" in values})
    bounds: list[datetime.date | None] = [None, *starts[1:], None]
    periods: list[tuple[datetime.date | None, datetime.date | None]] = []
    for start, end in itertools.pairwise(bounds):
        if periods and _months(rules, start, end) == _months(rules, *periods[-1]):
            start = periods.pop()[0]
        periods.append((start, end))
    return periods


def _months(rules: RuleBook, start: datetime.date | None, end: datetime.date | None) -> int:
    """The probation of admissions in [start, end)."""
    if start is not None:
        return rules.value("probation_months", start)
    return rules.value("probation_months", end - ONE_DAY if end else datetime.date.min)


def _latest_admission(day: datetime.date, months: int) -> datetime.date:
    """The last admission date whose probation of `months` ends on or before `day`."""
    admitted = add_months(day, -months)
    while add_months(admitted + ONE_DAY, months) <= day:
        admitted += ONE_DAY
    return admitted


def ended_by(day: datetime.date, rules: RuleBook) -> Q:
    """Members whose probation ends on or before `day`: counted from the ceremony, or from the
    re-admission, or from the admission where no ceremony date is known
    (Member.probation_start)."""
    condition = Q(pk__in=[])
    known = Q(ceremony_on__isnull=False)
    readmitted = Q(ceremony_on__isnull=True, readmitted_on__isnull=False)
    neither = Q(ceremony_on__isnull=True, readmitted_on__isnull=True)
    for name, starts in (
        ("ceremony_on", known),
        ("readmitted_on", readmitted),
        ("admitted_on", neither),
    ):
        for start, end in _probation_periods(rules):
            months = _months(rules, start, end)
            period = starts & Q(**{f"{name}__lte": _latest_admission(day, months)})
            if start is not None:
                period &= Q(**{f"{name}__gte": start})
            if end is not None:
                period &= Q(**{f"{name}__lt": end})
            condition |= period
    return condition


def end_order(rules: RuleBook) -> tuple:
    """The probation end as a database order: the start (the ceremony, else the admission)
    moved by the months in force on it. With one probation length, the start's own order; with
    several, (month number of the end, day of the start), which orders like the end itself
    (`add_months` only clamps the day to the month's end)."""
    start = Coalesce("ceremony_on", "readmitted_on", "admitted_on")
    periods = _probation_periods(rules)
    if len(periods) == 1:
        return (start,)
    months = Case(
        *(
            When(LessThan(start, Value(end)), then=Value(_months(rules, begin, end)))
            for begin, end in periods[:-1]
        ),
        default=Value(_months(rules, *periods[-1])),
        output_field=IntegerField(),
    )
    return (ExtractYear(start) * 12 + ExtractMonth(start) + months, ExtractDay(start))


def last_overdue_end(on: datetime.date, working_days: int) -> datetime.date:
    """The last probation end whose review deadline (`working_days` working days later) has
    passed before `on`: the review of an end after it is still within its time."""
    calendar = WorkingCalendar.load(on - span(working_days), on)
    return calendar.subtract_working_days(on, working_days) - ONE_DAY


def resolved(rules: RuleBook, on: datetime.date) -> Exists:
    """The branch has voted on the member: a vote that passed, or the failures after which the
    upper level decides."""
    limit = rules.value("vote_attempts_before_upper_level", on)
    return Exists(
        RecognitionStep.objects.filter(member=OuterRef("pk"), kind__in=BRANCH_RESOLUTIONS).filter(
            ~Q(outcome=StepOutcome.FAILED) | Q(attempts__gte=limit)
        )
    )


@dataclass(frozen=True)
class ProbationWindows:
    """Today's conditions of the reminders: due soon, ended (under review), overdue (of members
    annotated with `resolved`)."""

    due_soon: Q
    ended: Q
    overdue: Q
    reminder_days: int
    review_days: int
    probation_months: int

    @classmethod
    def on(cls, day: datetime.date, rules: RuleBook) -> "ProbationWindows":
        reminder = rules.value("probation_reminder_days", day)
        review = rules.value("recognition_review_working_days", day)
        ended = ended_by(day, rules)
        return cls(
            due_soon=ended_by(day + datetime.timedelta(days=reminder), rules) & ~ended,
            ended=ended,
            overdue=ended_by(last_overdue_end(day, review), rules) & Q(resolved=False),
            reminder_days=reminder,
            review_days=review,
            probation_months=rules.value("probation_months", day),
        )
