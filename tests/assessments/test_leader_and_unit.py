"""A leader is graded no better than the unit they lead as its bí thư (QĐ 124-QĐ/TW; QĐ
366-QĐ/TW Điều 11; issue 16): checked when the leader is graded after the unit, and when the
unit is graded after the leader. The leader comes from the committees' seats."""

import datetime

import pytest

from dangvien.assessments import services
from dangvien.assessments.models import Grade, OrgAssessment
from dangvien.committees.models import Term
from dangvien.core.roles import Role
from tests.assessments.workflow import assessment_of, open_round, propose, this_year
from tests.committees.steps import add_seat, open_term

EXCEPTION = "Văn bản 3-CV/ĐU cho phép vượt giới hạn xuất sắc"


@pytest.fixture
def leader(world):
    """The member is the bí thư of the branch since the first day of the year graded."""
    client = world.client(Role.OFFICER)
    congress = datetime.date(this_year(), 1, 1)
    assert open_term(client, world.branch, congress).status_code == 302
    term = Term.unscoped.get(organization=world.branch)
    assert add_seat(client, term, world.member, congress).status_code == 302
    open_round(world)
    return world.member


def _grade_branch(world, grade):
    return services.grade_child_organizations(
        world.users[Role.OFFICER], world.base, this_year(), {world.branch.pk: {"grade": grade}}
    )


def _decide(world, grade):
    services.decide_grades(
        world.users[Role.OFFICER],
        world.base,
        this_year(),
        {world.member.pk: {"grade": grade}},
        exception_reason=EXCEPTION,
    )


def test_a_leader_cannot_be_excellent_when_the_unit_he_leads_is_not(world, leader):
    _grade_branch(world, Grade.GOOD)
    propose(world, {leader: {"grade": Grade.EXCELLENT}})
    with pytest.raises(services.RowErrors) as refused:
        _decide(world, Grade.EXCELLENT)
    message = refused.value.errors[leader.pk]
    assert f"Bí thư {world.branch.name}, nơi được xếp loại «Tốt»" in message
    assert "QĐ 366-QĐ/TW Điều 11" in message
    _decide(world, Grade.GOOD)
    assert assessment_of(leader).grade == Grade.GOOD


def test_the_unit_cannot_be_graded_below_its_leader_graded_before(world, leader):
    propose(world, {leader: {"grade": Grade.EXCELLENT}})
    _decide(world, Grade.EXCELLENT)
    with pytest.raises(services.RowErrors) as refused:
        _grade_branch(world, Grade.GOOD)
    message = refused.value.errors[world.branch.pk]
    assert f"bí thư {leader.full_name} đã được xếp loại «Xuất sắc»" in message
    assert not OrgAssessment.unscoped.filter(organization=world.branch).exists()
