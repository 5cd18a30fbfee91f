"""Demo data of the training classes, so the pages are filled: the new-member class each
probationary member of the demo took about three months into probation (one class a month per
base organisation, «Lớp bồi dưỡng đảng viên mới khóa MM-YYYY»), given before their recognition
by the admissions demo (`certify_new_member`) and to those still probationary (`load`); a
political theory «sơ cấp» class last year with the demo member account and members of the
demo secretary's school branch; an awareness class this year with candidates of the ward's
pool. Direct inserts (the services' effects written as they would be): a few dozen rows."""

import datetime

from dangvien.admissions.models import OPEN_STAGES, Candidate
from dangvien.members.models import Member, Status
from dangvien.organizations.models import Organization, OrgKind
from dangvien.training.models import Course, CourseKind, CourseStatus, Participant, Result

BASE_KINDS = (OrgKind.BASE_COMMITTEE, OrgKind.BASE_BRANCH)
SCHOOL_BRANCH = "SH.HB.01.01"
WARD = "SH.HB"


def _organiser(branch: Organization) -> Organization:
    """The base organisation above the branch (the branch itself for a base branch)."""
    org = branch
    while org.kind not in BASE_KINDS and org.parent_id is not None:
        org = Organization.unscoped.get(pk=org.parent_id)
    return org


def _class_day(member: Member) -> datetime.date:
    start = member.probation_start
    month = start.month + 3
    return datetime.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 9)


def certify_new_member(member: Member, today: datetime.date) -> Participant | None:
    """The member passed the new-member class of their base organisation three months into
    probation (none yet when that class is still to come)."""
    ends = _class_day(member)
    if ends > today:
        return None
    org = _organiser(member.branch)
    roman = f"{ends.month:02d}-{ends.year}"
    course, _ = Course.unscoped.get_or_create(
        code=f"DVM-{org.code}-{ends:%Y%m}",
        defaults={
            "name": f"Lớp bồi dưỡng đảng viên mới khóa {roman}",
            "kind": CourseKind.NEW_MEMBER,
            "organization": org,
            "org_path": org.path,
            "teaching_body": "Trung tâm Chính trị thành phố",
            "starts_on": ends - datetime.timedelta(days=4),
            "ends_on": ends,
            "place": f"Hội trường {org.name}",
            "status": CourseStatus.FINISHED,
        },
    )
    participant, _ = Participant.unscoped.get_or_create(
        course=course,
        member=member,
        defaults={
            "result": Result.GOOD if member.pk % 3 else Result.EXCELLENT,
            "certificate_number": f"{ends:%y}{member.pk:05d}/CN-TTCT",
            "certificate_on": ends,
        },
    )
    return participant


def _theory_class(today: datetime.date) -> None:
    school = Organization.unscoped.filter(code=SCHOOL_BRANCH).first()
    if school is None:
        return
    org = _organiser(school)
    year = today.year - 1
    course = Course.unscoped.create(
        code=f"LLSC-{org.code}-{year}",
        name=f"Lớp sơ cấp lý luận chính trị khóa I-{year}",
        kind=CourseKind.THEORY_ELEMENTARY,
        organization=org,
        org_path=org.path,
        teaching_body="Trung tâm Chính trị thành phố",
        starts_on=datetime.date(year, 9, 8),
        ends_on=datetime.date(year, 10, 17),
        place="Trung tâm Chính trị thành phố",
        status=CourseStatus.FINISHED,
    )
    learners = list(
        Member.unscoped.filter(branch=school, political_theory="Sơ cấp").order_by("code")[:4]
    )
    own = Member.unscoped.filter(user__username="dangvien").first()
    if own is not None and own not in learners:
        learners.append(own)
        if not own.political_theory:  # what the result passed writes (training.services)
            Member.unscoped.filter(pk=own.pk).update(political_theory="Sơ cấp")
    results = [Result.EXCELLENT, Result.GOOD, Result.GOOD, Result.AVERAGE, Result.GOOD]
    Participant.unscoped.bulk_create(
        Participant(
            course=course,
            member=member,
            result=results[index % len(results)],
            certificate_number=f"{index + 1:03d}/SC-{year}",
            certificate_on=datetime.date(year, 10, 24),
            distinguished=index == 0,
            distinction_note="Thủ khoa lớp" if index == 0 else "",
        )
        for index, member in enumerate(learners)
    )


def _awareness_class(today: datetime.date) -> None:
    ward = Organization.unscoped.filter(code=WARD).first()
    if ward is None:
        return
    starts = today - datetime.timedelta(days=60)  # on every day of the year (the demo's clock)
    candidates = list(
        Candidate.unscoped.filter(org_path__startswith=ward.path, stage__in=OPEN_STAGES)
        .filter(class_attended_on__isnull=True)
        .order_by("pk")[:3]
    )
    course = Course.unscoped.create(
        code=f"NT-{ward.code}-{starts.year}",
        name=f"Lớp bồi dưỡng nhận thức về Đảng khóa I-{starts.year}",
        kind=CourseKind.AWARENESS,
        organization=ward,
        org_path=ward.path,
        teaching_body="Trung tâm Chính trị thành phố",
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=4),
        place=f"Hội trường {ward.name}",
        status=CourseStatus.FINISHED,
    )
    Participant.unscoped.bulk_create(Participant(course=course, candidate=c) for c in candidates)


def load(today: datetime.date) -> None:
    for member in Member.unscoped.filter(status=Status.PROBATIONARY).select_related("branch"):
        certify_new_member(member, today)
    _theory_class(today)
    _awareness_class(today)
