"""The upper level grades its direct children organisations; none is excellent when a sub-unit
or a committee member was disciplined that year (R4.4)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvien.assessments import services
from dangvien.assessments.models import Grade, NotGraded, OrgAssessment
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from tests.assessments.workflow import open_round, propose, table_rows, this_year
from tests.factories import OrganizationFactory


def _url(org, year: int | None = None):
    return reverse("assessments:orgs", args=[org.code, year or this_year()])


def _post(rows: dict, correction_reason: str = "") -> dict:
    """org → (outcome, discipline_in_year, note)."""
    data = {"row": [str(org.pk) for org in rows], "correction_reason": correction_reason}
    for org, (outcome, discipline, note) in rows.items():
        data[f"o-{org.pk}"] = outcome
        data[f"t-{org.pk}"] = note
        if discipline:
            data[f"x-{org.pk}"] = "on"
    return data


def _grade(org):
    return OrgAssessment.unscoped.filter(organization=org, year=this_year()).first()


def test_the_officer_grades_the_branches_of_a_base(world):
    open_round(world)
    OrgAssessment.unscoped.create(
        organization=world.branch, org_path=world.branch.path, year=this_year(), self_grade="tot"
    )
    propose(world, {world.member: {"grade": Grade.GOOD}})
    services.decide_grades(
        world.users[Role.OFFICER], world.base, this_year(), {world.member.pk: {"grade": "tot"}}
    )
    client = world.client(Role.OFFICER)
    rows = table_rows(client.get(_url(world.base)), "org-grades")[1:]
    assert [row[:3] for row in rows] == [
        ["Chi bộ Tổ Toán P.U1.01.01", "Tốt", "1/1 có kết quả XS 0 · T 1 · HT 0 · KHT 0"],
        ["Chi bộ Tổ Văn P.U1.01.02", "—", "0/1 có kết quả XS 0 · T 0 · HT 0 · KHT 0"],
    ]
    post = _post(
        {
            world.branch: (Grade.GOOD, False, ""),
            world.other_branch: (f"ng:{NotGraded.OTHER}", False, "Mới thành lập tháng 11"),
        }
    )
    response = client.post(_url(world.base), post, follow=True)
    assert "Đã lưu xếp loại của 2 tổ chức." in response.content.decode()
    assert _grade(world.branch).grade == Grade.GOOD
    other = _grade(world.other_branch)
    assert (other.not_graded, other.not_graded_note) == (NotGraded.OTHER, "Mới thành lập tháng 11")
    assert AuditEntry.unscoped.filter(action="assessment.org_grade").count() == 2

    again = client.post(_url(world.base), post, follow=True)
    assert "Không có thay đổi nào để lưu." in again.content.decode()


def test_not_excellent_when_disciplined_in_the_year(world):
    client = world.client(Role.OFFICER)
    post = _post(
        {world.branch: (Grade.EXCELLENT, True, ""), world.other_branch: (Grade.GOOD, False, "")}
    )
    response = client.post(_url(world.base), post)
    row = response.content.decode().split(f'id="row-{world.branch.pk}"')[1].split("</tr>")[0]
    assert "không được xếp loại hoàn thành xuất sắc nhiệm vụ" in row
    assert not OrgAssessment.unscoped.exists()
    with pytest.raises(DomainError, match="không được xếp loại hoàn thành xuất sắc"):
        services.grade_organization(
            world.users[Role.OFFICER],
            world.branch,
            this_year(),
            grade=Grade.EXCELLENT,
            discipline_in_year=True,
        )


def test_a_disciplined_member_below_ticks_the_box_in_advance(world):
    open_round(world)
    propose(world, {world.member: {"grade": Grade.NOT_COMPLETED, "disciplined": True}})
    page = world.client(Role.OFFICER).get(_url(world.base)).content.decode()
    toan = page.split(f'id="row-{world.branch.pk}"')[1].split("</tr>")[0]
    van = page.split(f'id="row-{world.other_branch.pk}"')[1].split("</tr>")[0]
    assert "Có đảng viên bị kỷ luật trong năm" in toan
    assert f'name="x-{world.branch.pk}"' in toan and "checked" in toan
    assert "checked" not in van


def test_a_base_is_graded_by_its_upper_level(world):
    client = world.client(Role.OFFICER)
    client.post(_url(world.upper), _post({world.base: (Grade.GOOD, False, "")}))
    assert _grade(world.base).grade == Grade.GOOD


def test_the_excellent_cap_applies_to_organisations(world):
    """QĐ 124 Điều 12 (issue 16): among the children one upper level grades, excellent at most
    20% of good; more only with the competent level's recorded exception."""
    client = world.client(Role.OFFICER)
    rows = {world.branch: (Grade.EXCELLENT, False, ""), world.other_branch: (Grade.GOOD, False, "")}
    refused = client.post(_url(world.base), _post(rows)).content.decode()
    assert "1 tổ chức trực thuộc xuất sắc vượt giới hạn 0" in refused
    assert _grade(world.branch) is None
    post = {**_post(rows), "exception_reason": "Công văn 12-CV/ĐU cho phép vượt"}
    assert client.post(_url(world.base), post).status_code == 302
    assert _grade(world.branch).grade == Grade.EXCELLENT
    exception = RuleException.unscoped.get(rule_key="excellent_cap_percent_of_good")
    assert exception.target_id == world.base.pk and "12-CV/ĐU" in exception.reason


def test_an_organisation_founded_in_the_autumn_is_not_graded_that_year(world):
    year = this_year() - 1  # a past year, whatever the test day
    world.other_branch.founded_on = datetime.date(year, 9, 1)
    world.other_branch.save()
    client = world.client(Role.OFFICER)
    post = _post({world.other_branch: (Grade.GOOD, False, "")})
    refused = client.post(_url(world.base, year), post)
    assert "Thành lập ngày 01/09" in refused.content.decode()
    assert "chưa đủ 6 tháng" in refused.content.decode()
    world.other_branch.founded_on = datetime.date(year, 6, 30)
    world.other_branch.save()
    assert client.post(_url(world.base, year), post).status_code == 302
    graded = OrgAssessment.unscoped.get(organization=world.other_branch, year=year)
    assert graded.grade == Grade.GOOD


def test_a_closed_round_needs_a_correction_reason(world):
    round_ = open_round(world)
    client = world.client(Role.OFFICER)
    client.post(_url(world.base), _post({world.branch: (Grade.GOOD, False, "")}))
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    page = client.get(_url(world.base)).content.decode()
    assert "Lý do đính chính (đợt đánh giá đã khóa)" in page

    response = client.post(_url(world.base), _post({world.branch: (Grade.COMPLETED, False, "")}))
    assert "đính chính cần ghi lý do" in response.content.decode()
    assert _grade(world.branch).grade == Grade.GOOD

    reason = "Quyết định số 7-QĐ/ĐU điều chỉnh kết quả"
    client.post(_url(world.base), _post({world.branch: (Grade.COMPLETED, False, "")}, reason))
    assert _grade(world.branch).grade == Grade.COMPLETED
    assert AuditEntry.unscoped.filter(action="assessment.org_grade").latest("id").reason == reason


def test_only_direct_children_can_be_graded_from_a_screen(world):
    client = world.client(Role.OFFICER)
    client.post(_url(world.base), _post({world.outside_branch: (Grade.GOOD, False, "")}))
    assert not OrgAssessment.unscoped.exists()
    with pytest.raises(DomainError, match="Có tổ chức không trực thuộc"):
        services.grade_child_organizations(
            world.users[Role.OFFICER], world.upper, this_year(), {world.branch.pk: {"grade": "tot"}}
        )


def test_a_secretary_cannot_grade_organisations(world):
    response = world.client(Role.SECRETARY).get(_url(world.base))
    assert response.status_code == 404


def _grade_children(world, count: int, first_code: int) -> int:
    """Queries of grading `count` new children of the base at once (then their re-grading)."""
    children = [
        OrganizationFactory(
            code=f"P.U1.01.{first_code + n}",
            name=f"Chi bộ Thử {n}",
            kind=OrgKind.SUB_BRANCH,
            parent=world.base,
        )
        for n in range(count)
    ]
    grades = {child.pk: {"grade": "tot"} for child in children}
    officer = world.users[Role.OFFICER]
    with CaptureQueriesContext(connection) as first:
        services.grade_child_organizations(officer, world.base, this_year(), grades)
    again = {child.pk: {"grade": "hoan_thanh"} for child in children}
    with CaptureQueriesContext(connection) as second:
        services.grade_child_organizations(officer, world.base, this_year(), again)
    assert OrgAssessment.unscoped.filter(organization__in=children, grade="hoan_thanh").count() == (
        count
    )
    return len(first) + len(second)


def test_grading_many_children_costs_the_queries_of_one(world):
    open_round(world)
    assert _grade_children(world, 1, 50) == _grade_children(world, 6, 60)


def _discipline_org(client, org, body, number: str):
    from tests.transfers.steps import ONE_DAY, ddmmyyyy, today

    day = max(today() - ONE_DAY * 10, today().replace(month=1, day=1))
    response = client.post(
        f"/discipline/org/{org.code}/new/",
        {
            "decision_number": number,
            "decided_on": ddmmyyyy(day),
            "form": "khien_trach",
            "deciding_org": str(body.pk),
            "violation": "Buông lỏng lãnh đạo",
        },
    )
    assert response.status_code == 302


def test_not_completed_when_leadership_or_over_a_fifth_of_sub_units_were_disciplined(world):
    """QĐ 132 Điều 12.4, QĐ 124: one of the base's two branches disciplined (50% > 20%) leaves
    the base "not completed" at best; so does a decision on the base itself."""
    client = world.client(Role.OFFICER)
    _discipline_org(client, world.other_branch, world.base, "3-QĐ/ĐU")
    refused = client.post(_url(world.upper), _post({world.base: (Grade.COMPLETED, False, "")}))
    row = refused.content.decode().split(f'id="row-{world.base.pk}"')[1].split("</tr>")[0]
    assert "1/2 tổ chức trực thuộc bị kỷ luật trong năm, quá 20%" in row
    assert "chỉ được xếp loại «Không hoàn thành»" in row
    assert _grade(world.base) is None
    client.post(_url(world.upper), _post({world.base: (Grade.NOT_COMPLETED, False, "")}))
    assert _grade(world.base).grade == Grade.NOT_COMPLETED

    _discipline_org(client, world.branch, world.upper, "4-QĐ/ĐU")  # the branch itself
    refused = client.post(_url(world.base), _post({world.branch: (Grade.GOOD, False, "")}))
    row = refused.content.decode().split(f'id="row-{world.branch.pk}"')[1].split("</tr>")[0]
    assert "Tổ chức (tập thể lãnh đạo) bị kỷ luật trong năm" in row
    # The other branch has no sub-units: its own decision alone caps it too.
    ok = client.post(
        _url(world.base), _post({world.other_branch: (Grade.NOT_COMPLETED, False, "")})
    )
    assert ok.status_code == 302


def test_a_collective_s_score_and_its_shares_bound_its_grade(world):
    """QĐ 366-QĐ/TW Điều 11 (issue 16): a collective is good from 70 points with every task on
    time, completed from 50 with at most 20% of tasks late."""
    client = world.client(Role.OFFICER)
    page = client.get(_url(world.base)).content.decode()
    assert f'name="s-{world.branch.pk}"' in page and "QĐ 366-QĐ/TW" in page

    def post(outcome, score, late):
        data = _post({world.branch: (outcome, False, "")})
        return client.post(
            _url(world.base), {**data, f"s-{world.branch.pk}": score, f"l-{world.branch.pk}": late}
        )

    late = post(Grade.GOOD, 80, 10).content.decode()
    assert "10% nhiệm vụ chậm tiến độ: chỉ được xếp loại từ «Hoàn thành» trở xuống" in late
    too_late = post(Grade.COMPLETED, 60, 25).content.decode()
    assert "«Không hoàn thành» trở xuống" in too_late
    assert _grade(world.branch) is None
    assert post(Grade.COMPLETED, 60, 20).status_code == 302
    graded = _grade(world.branch)
    assert (graded.grade, graded.score, graded.late_percent) == (Grade.COMPLETED, 60, 20)
