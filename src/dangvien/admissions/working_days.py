"""The deadlines of party development counted in working days, registered with the holiday
calendar (core/holiday_effects.py) so that removing a day off says which files it moves: the
admission ceremony within 30 working days of the decision (QĐ 294 §3.4) and the recognition
review within 30 working days after probation (domain-rules §2.4)."""

import datetime

from django.db.models import Exists, OuterRef, Q

from dangvien.admissions.models import AdmissionStep, AdmissionStepKind, Candidate, Stage
from dangvien.admissions.probation.deadlines import ended_by
from dangvien.core.holiday_effects import WorkingDayDeadline, register_deadline, runs
from dangvien.core.rules import RuleBook
from dangvien.core.scope import visible
from dangvien.core.workdays import ONE_DAY
from dangvien.members.models import Member, Status


def _ceremonies_waiting(user, starts: list[datetime.date], rules: RuleBook) -> int:
    """Admitted candidates whose decision falls on one of `starts` and whose ceremony is not
    recorded yet."""
    steps = AdmissionStep.objects.filter(candidate=OuterRef("pk"))
    return (
        visible(user, Candidate)
        .filter(stage=Stage.ADMITTED)
        .filter(Exists(steps.filter(kind=AdmissionStepKind.DECISION, done_on__in=starts)))
        .exclude(Exists(steps.filter(kind=AdmissionStepKind.CEREMONY)))
        .count()
    )


def _reviews_waiting(user, starts: list[datetime.date], rules: RuleBook) -> int:
    """Probationary members whose probation ends on one of `starts`."""
    ends = Q(pk__in=[])
    for first, last in runs(starts):
        ends |= ended_by(last, rules) & ~ended_by(first - ONE_DAY, rules)
    return visible(user, Member).filter(status=Status.PROBATIONARY).filter(ends).count()


def register() -> None:
    register_deadline(
        WorkingDayDeadline(
            "ceremony_deadline_working_days",
            name="Hạn tổ chức lễ kết nạp",
            started_by="quyết định kết nạp ký",
            files="quần chúng đã có quyết định kết nạp, chưa tổ chức lễ kết nạp",
            count_waiting=_ceremonies_waiting,
        )
    )
    register_deadline(
        WorkingDayDeadline(
            "recognition_review_working_days",
            name="Hạn xét công nhận đảng viên chính thức",
            started_by="hết thời gian dự bị",
            files="đảng viên dự bị chưa được công nhận chính thức",
            count_waiting=_reviews_waiting,
        )
    )
