"""Every refused save of the assessment pages answers 400 with the «Chưa lưu» banner at the top,
the reason in it and what was typed kept on the page; nothing is saved (review gap 16)."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvien.assessments import services
from dangvien.assessments.models import Grade, OrgAssessment, Round
from dangvien.core.roles import Role
from tests.assessments.workflow import (
    assessment_of,
    base_url,
    branch_url,
    decisions_post,
    open_round,
    page_fields,
    proposals_post,
    propose,
    this_year,
)
from tests.factories import MemberFactory

BANNER = 'id="refused-banner"'


def _refused(response, reason: str, kept: str) -> None:
    """A 400 whose banner, above everything else of the page's content, gives `reason`, and
    whose page still holds `kept` (what the user typed)."""
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert BANNER in page
    banner = page.split(BANNER)[1].split("</div>")[0]
    assert "Chưa lưu." in banner and reason in banner
    assert kept in page.split(BANNER)[1]


def test_opening_a_round_for_an_unknown_organisation(world):
    response = world.client(Role.OFFICER).post(
        reverse("assessments:open"), {"organization_code": "KHONG-CO", "year": this_year()}
    )
    _refused(response, "Không tìm thấy tổ chức có mã này", 'value="KHONG-CO"')
    assert not Round.unscoped.exists()


def test_the_member_s_empty_self_assessment(world):
    open_round(world)
    client = world.client(Role.MEMBER)
    form = client.get("/assessments/my/").context["self_form"]
    sent = {**page_fields(form), "action": "self", "self_grade": Grade.GOOD, "self_assessment": ""}
    response = client.post("/assessments/my/", sent)
    _refused(response, "Bản tự kiểm điểm", '<option value="tot" selected>')
    assert assessment_of(world.member) is None


def test_a_paper_self_assessment_received_in_the_future(world):
    open_round(world)
    member = MemberFactory(branch=world.branch)
    url = reverse("assessments:paper-self", args=[world.branch.code, this_year(), member.pk])
    client = world.client(Role.SECRETARY)
    form = client.get(url).context["form"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            **page_fields(form),
            "self_grade": Grade.GOOD,
            "received_on": f"{tomorrow:%d/%m/%Y}",
            "note": "Bản giấy hai trang",
        },
    )
    _refused(response, "Ngày nhận không thể ở tương lai.", "Bản giấy hai trang")
    assert assessment_of(member) is None


def test_a_row_of_the_branch_screen_with_two_outcomes(world):
    open_round(world)
    post = proposals_post({world.member: {"grade": Grade.GOOD, "not_graded": "illness"}})
    response = world.client(Role.SECRETARY).post(branch_url(world.branch), post)
    _refused(response, "không chọn cả hai", '<option value="illness" selected>')
    assert assessment_of(world.member) is None


def test_the_base_committee_over_the_cap(world):
    open_round(world)
    members = MemberFactory.create_batch(3, branch=world.branch)
    propose(world, {m: {"grade": Grade.GOOD} for m in members})
    post = decisions_post({members[0]: Grade.EXCELLENT, members[1]: "tot", members[2]: "tot"})
    response = world.client(Role.OFFICER).post(base_url(world.base), post)
    _refused(response, "vượt giới hạn 0", '<option value="xuat_sac" selected>')
    assert assessment_of(members[0]).grade == ""


def test_an_excellent_organisation_with_a_discipline(world):
    open_round(world)
    key = world.branch.pk
    post = {"row": [str(key)], f"o-{key}": Grade.EXCELLENT, f"x-{key}": "on", f"t-{key}": "Ghi"}
    url = reverse("assessments:orgs", args=[world.base.code, this_year()])
    response = world.client(Role.OFFICER).post(url, post)
    _refused(response, "không được xếp loại hoàn thành xuất sắc", 'value="Ghi"')
    assert not OrgAssessment.unscoped.exists()


@pytest.fixture
def closed_with_a_grade(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    services.decide_grades(
        world.users[Role.OFFICER], world.base, this_year(), {world.member.pk: {"grade": "tot"}}
    )
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn")
    return assessment_of(world.member)


def test_a_correction_without_its_reason(world, closed_with_a_grade):
    url = reverse("assessments:correct", args=[closed_with_a_grade.pk])
    client = world.client(Role.OFFICER)
    form = client.get(url).context["form"]
    response = client.post(
        url, {**page_fields(form), "outcome": Grade.COMPLETED, "reason": "", "exception_reason": ""}
    )
    _refused(response, "Lý do và căn cứ đính chính", '<option value="hoan_thanh" selected>')
    assert assessment_of(world.member).grade == Grade.GOOD
