"""A closed round is locked: self-assessment, proposals and decisions are refused; only a
reasoned correction changes a grade afterwards."""

import re

import pytest
from django.utils import timezone

from dangvien.assessments import services
from dangvien.assessments.models import Commitment, Grade
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from tests.assessments.workflow import (
    assessment_of,
    base_url,
    branch_url,
    decisions_post,
    open_round,
    proposals_post,
    propose,
    save_my_page,
    this_year,
)


def locked(after: str) -> str:
    """The refusal of a locked round: the day it was locked, then what one may still do."""
    day = timezone.localdate()
    return re.escape(f"Đợt đánh giá năm {this_year()} đã khóa ngày {day:%d/%m/%Y}: {after}")


@pytest.fixture
def closed(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    return round_


def test_the_member_cannot_self_assess(world, closed):
    page = world.client(Role.MEMBER).get("/assessments/my/").content.decode()
    assert 'name="self_assessment"' not in page
    with pytest.raises(DomainError, match=locked("bản tự kiểm điểm không nộp, không sửa được")):
        services.submit_self_assessment(world.users[Role.MEMBER], this_year(), "tot", "Muộn")


def test_the_branch_screen_is_read_only(world, closed):
    client = world.client(Role.SECRETARY)
    page = client.get(branch_url(world.branch)).content.decode()
    assert "Đợt đánh giá đã khóa" in page and "Lưu tất cả" not in page
    assert f'name="g-{world.member.pk}"' not in page
    response = client.post(
        branch_url(world.branch), proposals_post({world.member: {"grade": "xuat_sac"}})
    )
    assert response.status_code == 400
    assert assessment_of(world.member).proposed_grade == Grade.GOOD
    with pytest.raises(DomainError, match=locked("chi bộ không đề xuất được nữa")):
        services.propose_grades(
            world.users[Role.SECRETARY], world.branch, this_year(), {world.member.pk: {}}
        )


def test_the_decision_screen_is_read_only(world, closed):
    client = world.client(Role.OFFICER)
    page = client.get(base_url(world.base)).content.decode()
    assert "Lưu kết quả xếp loại" not in page
    response = client.post(base_url(world.base), decisions_post({world.member: Grade.GOOD}))
    assert response.status_code == 400
    assert assessment_of(world.member).grade == ""
    with pytest.raises(DomainError, match=locked("chỉ sửa bằng đính chính có lý do.")):
        services.decide_grades(
            world.users[Role.OFFICER], world.base, this_year(), {world.member.pk: {"grade": "tot"}}
        )


def test_the_years_commitment_is_locked_with_its_round(world, closed):
    """The commitment is what the round assessed the year against: once the round is locked
    the member no longer rewrites it (issue 12: the pledge changed after the lock)."""
    response = save_my_page(world.client(Role.MEMBER), {"action": "commit", "level": Grade.GOOD})
    assert response.status_code == 400
    page = response.content.decode()
    assert "đăng ký, cam kết không sửa được nữa" in page
    assert 'id="refused-banner"' in page
    assert not Commitment.unscoped.filter(member=world.member).exists()
