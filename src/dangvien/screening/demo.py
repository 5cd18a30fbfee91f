"""Demo data of screening, so the pages are filled: a striking-off case under way in the demo
secretary's branch (SH.HB.01.01: absent three months, the self-review asked for and refused
once), through the services; and the decided cases behind three members the demo already shows
as struck off or gone at their own request in the last two years, with their votes and the
timeline's exit event they lacked (a demo liberty: the members' demo writes no exit events), so
the exit statistics count them by ground. A dozen rows."""

import datetime

from dangvien.members.models import ACTIVE_STATUSES, EventKind, Member, MemberEvent, Status
from dangvien.screening import services
from dangvien.screening.models import (
    Case,
    CaseKind,
    CaseStatus,
    CaseStep,
    StepKind,
    VoteLevel,
)

SCHOOL_BRANCH = "SH.HB.01.01"
DAY = datetime.timedelta(days=1)


def _case_under_way(today: datetime.date) -> None:
    member = (
        Member.unscoped.filter(
            branch__code=SCHOOL_BRANCH,
            status__in=ACTIVE_STATUSES,
            admitted_on__lt=today - 400 * DAY,
            user__isnull=True,
        )
        .order_by("-code")
        .first()
    )
    if member is None:
        return
    case = services.open_case(
        None,
        member,
        kind=CaseKind.STRIKE_OFF,
        opened_on=today - 30 * DAY,
        grounds={"ground_absence"},
        facts="Vắng sinh hoạt chi bộ không có lý do chính đáng 3 tháng trong năm, đã được nhắc.",
        warrants_expulsion=False,
    )
    services.record_review_step(
        None,
        case,
        kind=StepKind.REVIEW_REQUESTED,
        on=today - 25 * DAY,
        note="Chi bộ gửi văn bản yêu cầu viết bản tự kiểm điểm.",
    )
    services.record_review_step(
        None,
        case,
        kind=StepKind.REVIEW_REFUSED,
        on=today - 15 * DAY,
        note="Đảng viên không nộp bản tự kiểm điểm.",
    )


def _decided(member: Member, index: int) -> None:
    """A decided case behind a member already gone, its exit on the timeline."""
    kind = CaseKind.RESIGNATION if member.status == Status.RESIGNED else CaseKind.STRIKE_OFF
    on = member.left_on
    opened = max(member.admitted_on, on - 60 * DAY)
    number = f"{100 + index}-QĐ/ĐU"
    body = member.branch.parent or member.branch
    grounds = {}
    if kind == CaseKind.STRIKE_OFF:
        grounds = {("ground_absence", "ground_not_completed", "ground_card")[index % 3]: True}
    event = MemberEvent.objects.create(
        member=member,
        kind=EventKind.RESIGNED if kind == CaseKind.RESIGNATION else EventKind.REMOVED,
        on=on,
        decision_number=number,
        decision_body=body.name,
        reason="Quyết định của cấp ủy (dữ liệu mẫu)",
    )
    case = Case.unscoped.create(
        member=member,
        kind=kind,
        status=CaseStatus.DECIDED,
        branch=member.branch,
        branch_path=member.branch_path,
        opened_on=opened,
        probationary=member.official_on is None or opened < member.official_on,
        facts="Dữ liệu mẫu.",
        application_on=opened if kind == CaseKind.RESIGNATION else None,
        decision_number=number,
        decided_on=on,
        deciding_org=body,
        complaint_until=on + 42 * DAY,
        exit_event=event,
        **grounds,
    )
    CaseStep.objects.create(
        case=case,
        kind=StepKind.VOTE,
        on=max(opened, on - 10 * DAY),
        level=VoteLevel.BRANCH,
        body_size=9,
        present=9,
        votes_for=8,
        votes_against=1,
        passed=True,
        threshold="từ 2/3 của 9",
    )


def load(today: datetime.date) -> None:
    _case_under_way(today)
    gone = (
        Member.unscoped.filter(
            status__in=(Status.REMOVED, Status.RESIGNED),
            left_on__gte=datetime.date(today.year - 1, 1, 1),
        )
        .select_related("branch__parent")
        .order_by("code")[:3]
    )
    for index, member in enumerate(gone):
        _decided(member, index)
