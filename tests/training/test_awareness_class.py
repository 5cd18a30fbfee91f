"""An awareness class (lớp bồi dưỡng nhận thức về Đảng) takes candidates; their result passed
fills the candidate's class certificate when they have none or an older one."""

import datetime

import pytest
from django.utils import timezone

from dangvien.admissions.candidates.services import record_awareness_class
from dangvien.admissions.models import Candidate, Stage
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.training import services
from dangvien.training.models import CourseKind, Participant
from dangvien.training.services import CourseInput, ResultInput
from tests.admissions.workflow import new_candidate
from tests.training.worlds import course


def test_a_candidate_passes_the_awareness_class_and_gets_its_certificate(world):
    candidate = new_candidate(world)
    awareness = course(world, CourseKind.AWARENESS, name="Lớp nhận thức về Đảng khóa I")
    officer = world.client(Role.OFFICER)
    page = officer.get(f"/training/course/{awareness.pk}/").content.decode()
    assert "Phạm Thị Quần Chúng" in page  # offered in the form
    url = f"/training/course/{awareness.pk}/participant/"
    assert officer.post(url, {"candidate": candidate.pk}).status_code == 302
    learner = Participant.unscoped.get(course=awareness)
    day = timezone.localdate() - datetime.timedelta(days=2)
    services.record_result(
        world.users[Role.OFFICER],
        learner,
        ResultInput("hoan_thanh", certificate_number="77/GCN", certificate_on=day),
    )
    candidate = Candidate.unscoped.get(pk=candidate.pk)
    assert (candidate.class_attended_on, candidate.class_certificate_number) == (day, "77/GCN")
    assert candidate.class_organiser == "Trung tâm Chính trị phường"
    assert candidate.stage == Stage.SYMPATHISER


def test_candidates_take_only_the_awareness_class_and_members_not_outside(world):
    candidate = new_candidate(world)
    officer = world.users[Role.OFFICER]
    theory = course(world, CourseKind.THEORY_ELEMENTARY)
    with pytest.raises(DomainError, match="Quần chúng chỉ học lớp bồi dưỡng nhận thức"):
        services.add_participant(officer, theory, candidate=candidate)
    with pytest.raises(DomainError, match="không sinh hoạt trong"):
        services.add_participant(
            world.users["outside_officer"], course_outside(world), member=world.member
        )


def course_outside(world):
    start = timezone.localdate() - datetime.timedelta(days=5)
    return services.create_course(
        world.users["outside_officer"],
        world.outside_base,
        CourseInput("K-OUT", "Lớp ngoài", CourseKind.OTHER, start, start),
    )


def test_a_newer_certificate_on_file_is_kept(world):
    newer = timezone.localdate() - datetime.timedelta(days=1)
    candidate = new_candidate(world)
    record_awareness_class(
        world.users[Role.SECRETARY], candidate, attended_on=newer, certificate_number="NEW"
    )
    awareness = course(world, CourseKind.AWARENESS)
    officer = world.users[Role.OFFICER]
    learner = services.add_participant(officer, awareness, candidate=candidate)
    older = timezone.localdate() - datetime.timedelta(days=20)
    services.record_result(officer, learner, ResultInput("hoan_thanh", "OLD", older))
    candidate = Candidate.unscoped.get(pk=candidate.pk)
    assert (candidate.class_attended_on, candidate.class_certificate_number) == (newer, "NEW")
