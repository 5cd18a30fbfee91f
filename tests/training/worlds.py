"""Building blocks for training tests: courses of the world's base committee, learners and
results recorded by the officer through the services."""

import datetime

from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.training import services
from dangvien.training.models import CourseKind, CourseStatus, Result
from dangvien.training.services import CourseInput, ResultInput

_codes = iter(range(1, 1_000_000))


def course(world, kind=CourseKind.NEW_MEMBER, starts_on=None, org=None, **values):
    starts_on = starts_on or timezone.localdate() - datetime.timedelta(days=30)
    data = CourseInput(
        code=values.pop("code", f"K-{next(_codes)}"),
        name=values.pop("name", "Lớp bồi dưỡng đảng viên mới khóa I"),
        kind=kind,
        starts_on=starts_on,
        ends_on=values.pop("ends_on", starts_on + datetime.timedelta(days=4)),
        status=values.pop("status", CourseStatus.PLANNED),
        teaching_body=values.pop("teaching_body", "Trung tâm Chính trị phường"),
        **values,
    )
    return services.create_course(world.users[Role.OFFICER], org or world.base, data)


def certify(world, member, result=Result.GOOD, number="123/CN"):
    """The member passed a new-member class two months into probation (today at the latest)."""
    day = min(member.probation_start + datetime.timedelta(days=60), timezone.localdate())
    officer = world.users[Role.OFFICER]
    new = course(world, starts_on=day - datetime.timedelta(days=4), ends_on=day)
    learner = services.add_participant(officer, new, member=member)
    return services.record_result(
        officer, learner, ResultInput(result, certificate_number=number, certificate_on=day)
    )
