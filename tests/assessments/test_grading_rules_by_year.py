"""The grading screens apply the assessment rules of the year (issue 16; assessments/grading.py):
a member admitted less than 6 months before the year's end is not graded, sick leave of 3
months caps the grade, maternity is graded on the time worked, an exempted member is not graded
(HD 21-HD/BTCTW mục II.6), and from 2025 the score out of 100 with its conditions bounds the
grade (QĐ 366-QĐ/TW Điều 11)."""

import datetime

import pytest

from dangvien.assessments import services
from dangvien.assessments.models import Grade, NotGraded
from dangvien.core.roles import Role
from dangvien.members.models import Gender, Status
from dangvien.residence.selectors import missing_comments
from tests.assessments.workflow import (
    assessment_of,
    branch_url,
    open_round,
    proposals_post,
    propose,
    this_year,
)
from tests.factories import MemberFactory
from tests.residence.worlds import school


def _row(response, member) -> str:
    return response.content.decode().split(f'id="row-{member.pk}"')[1].split("</tr>")[0]


def test_a_member_admitted_in_november_is_not_graded_that_year(world):
    year = this_year() - 1  # a past year under QĐ 366, whatever the test day
    new = {"branch": world.branch, "status": Status.PROBATIONARY, "official_on": None}
    november = MemberFactory(admitted_on=datetime.date(year, 11, 5), **new)
    june = MemberFactory(admitted_on=datetime.date(year, 6, 30), **new)
    open_round(world, year=year)
    client = world.client(Role.SECRETARY)
    url = branch_url(world.branch, year)
    response = client.post(url, proposals_post({november: {"grade": Grade.GOOD}}))
    assert "Kết nạp ngày 05/11" in _row(response, november)
    assert "chưa đủ 6 tháng" in _row(response, november)
    # The reason «new member» is refused to one admitted six months before the year's end.
    response = client.post(url, proposals_post({june: {"not_graded": NotGraded.NEW_MEMBER}}))
    assert "đã đủ 6 tháng" in _row(response, june)
    rows = {november: {"not_graded": NotGraded.NEW_MEMBER}, june: {"grade": Grade.GOOD}}
    assert client.post(url, proposals_post(rows)).status_code == 302
    assert assessment_of(november, year).proposed_not_graded == NotGraded.NEW_MEMBER
    assert assessment_of(june, year).proposed_grade == Grade.GOOD


def test_the_score_and_its_conditions_bound_the_grade(world):
    open_round(world)
    client = world.client(Role.SECRETARY)
    page = client.get(branch_url(world.branch)).content.decode()
    assert "QĐ 366-QĐ/TW" in page and f'name="s-{world.member.pk}"' in page
    excellent = {"grade": Grade.EXCELLENT, "score": 92, "on_time": "true", "remedied": "true"}
    short = client.post(
        branch_url(world.branch), proposals_post({world.member: {**excellent, "exceeding": 20}})
    )
    row = _row(short, world.member)
    assert "20% nhiệm vụ vượt yêu cầu (cần từ 30%)" in row and "«Tốt» trở xuống" in row
    low = client.post(
        branch_url(world.branch), proposals_post({world.member: {"grade": Grade.GOOD, "score": 68}})
    )
    assert "68 điểm: chỉ được xếp loại từ «Hoàn thành» trở xuống" in _row(low, world.member)
    late = {"grade": Grade.GOOD, "score": 80, "on_time": "false"}
    response = client.post(branch_url(world.branch), proposals_post({world.member: late}))
    assert "chưa hoàn thành 100% nhiệm vụ đúng hạn" in _row(response, world.member)
    post = proposals_post({world.member: {**excellent, "exceeding": 30}})
    assert client.post(branch_url(world.branch), post).status_code == 302
    saved = assessment_of(world.member)
    assert (saved.proposed_grade, saved.score, saved.exceeding_percent) == (Grade.EXCELLENT, 92, 30)
    assert (saved.tasks_on_time, saved.shortcomings_remedied) == (True, True)


def test_sick_leave_caps_maternity_is_graded_and_the_exempt_are_not(world):
    open_round(world)
    exempt = MemberFactory(branch=world.branch, exempt_since=datetime.date(2024, 3, 1))
    mother = MemberFactory(branch=world.branch, gender=Gender.FEMALE)
    client = world.client(Role.SECRETARY)
    url = branch_url(world.branch)
    ill = client.post(url, proposals_post({world.member: {"grade": Grade.GOOD, "sick_months": 4}}))
    assert "Nghỉ ốm 4 tháng trong năm (từ 3 tháng)" in _row(ill, world.member)
    leave = client.post(url, proposals_post({mother: {"not_graded": NotGraded.MATERNITY}}))
    assert "nghỉ thai sản không phải lý do không xếp loại" in _row(leave, mother)
    graded = client.post(url, proposals_post({exempt: {"grade": Grade.GOOD}}))
    assert "Được miễn công tác và sinh hoạt đảng từ 01/03/2024" in _row(graded, exempt)
    rows = {
        world.member: {"grade": Grade.COMPLETED, "sick_months": 4},
        mother: {"grade": Grade.GOOD},
        exempt: {"not_graded": NotGraded.EXEMPT},
    }
    assert client.post(url, proposals_post(rows)).status_code == 302
    assert assessment_of(world.member).sick_months == 4


def test_the_round_page_names_grades_without_a_score(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD, "score": 75}})
    propose(world, {world.other_member: {"grade": Grade.GOOD}}, branch=world.other_branch)
    services.decide_grades(
        world.users[Role.OFFICER],
        world.base,
        this_year(),
        {world.member.pk: {"grade": "tot"}, world.other_member.pk: {"grade": "tot"}},
    )
    page = world.client(Role.OFFICER).get(f"/assessments/{round_.pk}/").content.decode()
    warning = page.split('id="warning-unscored"')[1].split("</li>")[0]
    assert "<strong>1</strong> đảng viên đã xếp loại nhưng chưa có điểm" in warning


def test_the_round_page_counts_the_missing_residence_comments(world):
    """QĐ 213-QĐ/TW (issue 16): the members of a school's branches work there; without their
    residence branch's comment of the year, the round's page says how many and links the list."""
    school(world)
    round_ = open_round(world)
    page = world.client(Role.OFFICER).get(f"/assessments/{round_.pk}/").content.decode()
    warning = page.split('id="warning-residence"')[1].split("</li>")[0]
    expected = missing_comments(world.upper.path, this_year()).count()
    assert expected >= 2  # the two members of the school's branches at least
    assert f"<strong>{expected}</strong> đảng viên đang công tác chưa có nhận xét" in warning
    assert f"/residence/org/{world.upper.code}/?year={this_year()}" in warning


def test_the_service_bounds_the_figures_the_screens_bound(world):
    """Sick leave of 0–12 months and shares of 0–100% are the service's rule, not only the
    form's: a caller other than the screen is refused too."""
    open_round(world)
    officer = world.users[Role.OFFICER]
    with pytest.raises(services.RowErrors, match="Số tháng nghỉ ốm trong năm từ 0 đến 12"):
        services.propose_grades(
            officer,
            world.branch,
            this_year(),
            {world.member.pk: {"grade": "tot", "sick_months": 13}},
        )
    with pytest.raises(services.RowErrors, match="vượt yêu cầu từ 0 đến 100%"):
        services.propose_grades(
            officer,
            world.branch,
            this_year(),
            {world.member.pk: {"grade": "tot", "exceeding": 140}},
        )
