"""Inside/outside samples for the training URLs (used by tests/test_scope_walk.py): a
new-member class of the inside base committee with the member as its learner, and the same
outside the walk's scope."""

import datetime

from dangvien.training.models import Course, CourseKind, CourseStatus, Participant

DAY = datetime.date(2024, 5, 6)


def _course(org, member, code):
    course = Course.unscoped.create(
        code=code,
        name=f"Lớp bồi dưỡng đảng viên mới {code}",
        kind=CourseKind.NEW_MEMBER,
        organization=org,
        org_path=org.path,
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=4),
        status=CourseStatus.FINISHED,
    )
    return course, Participant.unscoped.create(course=course, member=member)


def scope_samples(world) -> dict:
    inside = _course(world.base, world.member, "DVM-WALK-1")
    outside = _course(world.outside_base, world.outside_member, "DVM-WALK-2")
    samples = {
        f"training:{name}": {"pk": (inside[0].pk, outside[0].pk)}
        for name in ("course", "course-correct", "participant-new", "results")
    }
    samples["training:participant-annul"] = {"pk": (inside[1].pk, outside[1].pk)}
    samples["training:exception"] = {"pk": (world.member.pk, world.outside_member.pk)}
    return samples


def post_samples(world, outside: bool) -> dict:
    member = world.outside_member if outside else world.member
    course = {
        "code": "DVM-WALK-9",
        "name": "Lớp thử",
        "kind": "dang_vien_moi",
        "starts_on": "06/05/2024",
        "ends_on": "10/05/2024",
        "status": "ket_thuc",
    }
    return {
        "training:course-new": course,
        "training:course-correct": {**course, "reason": "Thử"},
        "training:participant-new": {"member_code": member.code},
        "training:participant-annul": {"reason": "Thử"},
        "training:exception": {"reason": "Thử", "document": "1-CV"},
    }
