"""Every assessment page and service keeps to the user's subtree."""

import pytest
from django.urls import reverse

from dangvien.assessments import services
from dangvien.assessments.models import Grade, MemberAssessment
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import Role
from tests.assessments.workflow import (
    assessment_of,
    base_url,
    branch_url,
    open_round,
    proposals_post,
    this_year,
)


def test_a_secretary_grades_only_their_own_branch(world):
    open_round(world)
    client = world.client(Role.SECRETARY)
    assert client.get(branch_url(world.other_branch)).status_code == 404
    # A member of another branch slipped into the own branch's form is ignored.
    post = proposals_post({world.other_member: {"grade": Grade.GOOD}})
    client.post(branch_url(world.branch), post)
    assert assessment_of(world.other_member) is None
    with pytest.raises(ScopeDenied):
        services.propose_grades(
            world.users[Role.SECRETARY],
            world.other_branch,
            this_year(),
            {world.other_member.pk: {"grade": "tot"}},
        )
    with pytest.raises(DomainError, match="không thuộc chi bộ này"):
        services.propose_grades(
            world.users[Role.SECRETARY],
            world.branch,
            this_year(),
            {world.other_member.pk: {"grade": "tot"}},
        )


def test_an_officer_cannot_reach_another_subtree(world):
    services.open_round(world.users["outside_officer"], world.outside_upper, this_year())
    client = world.client(Role.OFFICER)
    assert client.get(branch_url(world.outside_branch)).status_code == 404
    assert client.get(base_url(world.outside_base)).status_code == 404
    url = reverse("assessments:orgs", args=[world.outside_base.code, this_year()])
    assert client.get(url).status_code == 404
    with pytest.raises(ScopeDenied):
        services.decide_grades(
            world.users[Role.OFFICER],
            world.outside_base,
            this_year(),
            {world.outside_member.pk: {"grade": "tot"}},
        )
    assert not MemberAssessment.unscoped.exists()


def test_an_inspector_only_reads(world):
    round_ = open_round(world)
    client = world.client(Role.INSPECTOR)
    assert client.get(reverse("assessments:round", args=[round_.pk])).status_code == 200
    # the inspector reads these organisations: told the grading screens are not theirs
    assert client.get(branch_url(world.branch)).status_code == 403
    assert client.get(base_url(world.base)).status_code == 403
    response = client.post(reverse("assessments:close", args=[round_.pk]))
    assert response.status_code == 403


def test_a_member_sees_only_their_own_page(world):
    round_ = open_round(world)
    client = world.client(Role.MEMBER)
    assert client.get("/assessments/my/").status_code == 200
    assert client.get("/assessments/").status_code == 403
    assert client.get(reverse("assessments:round", args=[round_.pk])).status_code == 403
    assert client.get(branch_url(world.branch)).status_code == 404
    nav = client.get("/assessments/my/").content.decode().split('class="navlist"')[1]
    assert "Đánh giá của tôi" in nav and ">Đợt đánh giá</a>" not in nav


def test_a_correction_outside_the_scope_is_not_found(world):
    outside = MemberAssessment.unscoped.create(
        member=world.outside_member,
        year=this_year() - 1,
        branch=world.outside_branch,
        branch_path=world.outside_branch.path,
        grade=Grade.GOOD,
        imported=True,
    )
    response = world.client(Role.OFFICER).get(reverse("assessments:correct", args=[outside.pk]))
    assert response.status_code == 404
    with pytest.raises(ScopeDenied):
        services.correct_grade(world.users[Role.OFFICER], outside, Grade.COMPLETED, "Lý do")
