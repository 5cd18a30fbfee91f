"""A member disciplined in the year is graded "không hoàn thành" (HD 21-HD/BTCTW 2019, kept by
QĐ 124; the assessment rule set says which grade), at every step: the branch's proposal, the
final decision, a correction."""

import pytest

from dangvien.assessments import services
from dangvien.assessments.models import Grade
from dangvien.core.errors import DomainError
from dangvien.core.models import RuleSet
from dangvien.core.roles import Role
from dangvien.core.rules import Family
from tests.assessments.workflow import (
    assessment_of,
    base_url,
    branch_url,
    decisions_post,
    open_round,
    proposals_post,
    propose,
    this_year,
)

CAP_MESSAGE = "Đảng viên bị kỷ luật trong năm xếp loại «Không hoàn thành»"


def _row(response, member) -> str:
    return response.content.decode().split(f'id="row-{member.pk}"')[1].split("</tr>")[0]


def test_the_branch_cannot_propose_good_for_a_disciplined_member(world):
    open_round(world)
    client = world.client(Role.SECRETARY)
    post = proposals_post({world.member: {"grade": Grade.GOOD, "disciplined": True}})
    response = client.post(branch_url(world.branch), post)
    assert CAP_MESSAGE in _row(response, world.member)
    assert assessment_of(world.member) is None

    post = proposals_post({world.member: {"grade": Grade.COMPLETED, "disciplined": True}})
    assert CAP_MESSAGE in _row(client.post(branch_url(world.branch), post), world.member)

    post = proposals_post({world.member: {"grade": Grade.NOT_COMPLETED, "disciplined": True}})
    assert client.post(branch_url(world.branch), post).status_code == 302
    assessment = assessment_of(world.member)
    assert (assessment.proposed_grade, assessment.disciplined_in_year) == (
        Grade.NOT_COMPLETED,
        True,
    )


def test_the_base_cannot_decide_above_the_cap(world):
    open_round(world)
    propose(world, {world.member: {"grade": Grade.NOT_COMPLETED, "disciplined": True}})
    client = world.client(Role.OFFICER)
    assert "Bị kỷ luật trong năm" in _row(client.get(base_url(world.base)), world.member)
    response = client.post(base_url(world.base), decisions_post({world.member: Grade.EXCELLENT}))
    assert CAP_MESSAGE in _row(response, world.member)
    assert assessment_of(world.member).grade == ""


def test_a_correction_cannot_lift_the_cap(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.NOT_COMPLETED, "disciplined": True}})
    officer = world.users[Role.OFFICER]
    services.decide_grades(
        officer, world.base, this_year(), {world.member.pk: {"grade": "khong_hoan_thanh"}}
    )
    services.close_round(officer, round_, reason="Hết thời hạn đánh giá")
    with pytest.raises(DomainError, match="xếp loại «Không hoàn thành»"):
        services.correct_grade(officer, assessment_of(world.member), Grade.COMPLETED, "Xét lại")
    assert assessment_of(world.member).grade == Grade.NOT_COMPLETED


def test_the_cap_comes_from_the_rule_set(world):
    for rule_set in RuleSet.objects.filter(family=Family.ASSESSMENT):
        rule_set.values["disciplined_max_grade_rank"] = 3
        rule_set.save()
    open_round(world)
    client = world.client(Role.SECRETARY)
    post = proposals_post({world.member: {"grade": Grade.GOOD, "disciplined": True}})
    response = client.post(branch_url(world.branch), post)
    assert "chỉ được xếp loại từ «Hoàn thành» trở xuống" in _row(response, world.member)
    post = proposals_post({world.member: {"grade": Grade.COMPLETED, "disciplined": True}})
    assert client.post(branch_url(world.branch), post).status_code == 302


def test_the_base_lifts_the_cap_only_with_a_recorded_exception(world):
    """QĐ 124: a member who found and remedied the violation themself may be graded above the
    cap by the competent committee, which records why."""
    from dangvien.core.models import RuleException

    open_round(world)
    propose(world, {world.member: {"grade": Grade.NOT_COMPLETED, "disciplined": True}})
    client = world.client(Role.OFFICER)
    refused = client.post(base_url(world.base), decisions_post({world.member: Grade.GOOD}))
    assert "ghi lý do ngoại lệ" in _row(refused, world.member)
    reason = "Đảng viên tự phát hiện và khắc phục vi phạm (Biên bản 12/BB-ĐU)"
    response = client.post(
        base_url(world.base), decisions_post({world.member: Grade.GOOD}, exception_reason=reason)
    )
    assert response.status_code == 302
    assert assessment_of(world.member).grade == Grade.GOOD
    exception = RuleException.unscoped.get(rule_key="disciplined_max_grade_rank")
    assert exception.target_id == world.member.pk and reason in exception.reason
