"""The base committee decides the final grades, within the excellent cap of the base."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvien.assessments import services
from dangvien.assessments.models import Grade, MemberAssessment, NotGraded
from dangvien.core.errors import DomainError
from dangvien.core.models import RuleException
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.assessments.workflow import (
    assessment_of,
    base_url,
    decisions_post,
    open_round,
    propose,
    table_rows,
    this_year,
)
from tests.factories import MemberFactory


def this_year_day() -> datetime.date:
    return datetime.date(this_year(), 1, 2)


def _base_with(world, excellent: int, good: int):
    """Members of the branch proposed `excellent` excellent and `good` good."""
    members = MemberFactory.create_batch(excellent + good, branch=world.branch)
    grades = [Grade.EXCELLENT] * excellent + [Grade.GOOD] * good
    propose(world, {m: {"grade": g} for m, g in zip(members, grades, strict=True)})
    return members, grades


def test_the_proposals_are_preselected_and_saved_as_final(world):
    open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    propose(
        world,
        {world.other_member: {"not_graded": NotGraded.OTHER}},
        branch=world.other_branch,
    )
    client = world.client(Role.OFFICER)
    response = client.get(base_url(world.base))
    rows = table_rows(response, "decisions")
    assert [row[0] for row in rows if len(row) == 1] == ["Chi bộ Tổ Toán", "Chi bộ Tổ Văn"]
    page = response.content.decode()
    toan = page.split(f'name="f-{world.member.pk}"')[1].split("</select>")[0]
    assert '<option value="tot" selected>' in toan
    van = page.split(f'name="f-{world.other_member.pk}"')[1].split("</select>")[0]
    assert '<option value="ng:other" selected>' in van

    post = decisions_post({world.member: Grade.GOOD, world.other_member: "ng:other"})
    assert client.post(base_url(world.base), post).status_code == 302
    assert assessment_of(world.member).grade == Grade.GOOD
    decided = assessment_of(world.other_member)
    assert (decided.grade, decided.not_graded) == ("", NotGraded.OTHER)
    assert decided.decided_by == world.users[Role.OFFICER]


def test_blank_rows_stay_undecided(world):
    open_round(world)
    post = decisions_post({world.member: Grade.COMPLETED, world.other_member: ""})
    world.client(Role.OFFICER).post(base_url(world.base), post)
    assert assessment_of(world.member).grade == Grade.COMPLETED
    assert assessment_of(world.other_member) is None


def test_exceeding_the_excellent_cap_needs_a_reason(world):
    open_round(world)
    members, grades = _base_with(world, excellent=2, good=5)
    client = world.client(Role.OFFICER)
    page = client.get(base_url(world.base)).content.decode()
    counts = page.split('id="counts"')[1].split("</div>")[0]
    assert 'data-count="xuat_sac">2<' in counts and 'data-count="tot">5<' in counts
    assert "Giới hạn xuất sắc: <strong data-cap>1</strong>" in counts
    assert "grading-over" in page.split('id="counts"')[0].rsplit("<div", 1)[1]

    post = decisions_post(dict(zip(members, grades, strict=True)))
    response = client.post(base_url(world.base), post)
    assert response.status_code == 400  # refused
    assert "2 đảng viên xuất sắc vượt giới hạn 1" in response.content.decode()
    assert not MemberAssessment.unscoped.exclude(grade="").exists()

    post["exception_reason"] = "Văn bản số 12-CV/ĐU cho phép vượt tỷ lệ"
    assert client.post(base_url(world.base), post).status_code == 302
    assert MemberAssessment.unscoped.filter(grade=Grade.EXCELLENT).count() == 2
    exception = RuleException.unscoped.get()
    assert exception.rule_key == "excellent_cap_percent_of_good"
    assert exception.target_id == world.base.pk
    assert exception.reason.startswith("Văn bản số 12-CV/ĐU cho phép vượt tỷ lệ")


def test_within_the_cap_no_reason_is_asked(world):
    open_round(world)
    members, grades = _base_with(world, excellent=1, good=5)
    response = world.client(Role.OFFICER).post(
        base_url(world.base), decisions_post(dict(zip(members, grades, strict=True)))
    )
    assert response.status_code == 302
    assert not RuleException.unscoped.exists()


def test_the_cap_counts_grades_decided_earlier(world):
    """Deciding a few at a time cannot slip past the cap of the whole base organisation."""
    open_round(world)
    members, grades = _base_with(world, excellent=2, good=5)
    client = world.client(Role.OFFICER)
    first = dict(zip(members[1:], grades[1:], strict=True))
    assert client.post(base_url(world.base), decisions_post(first)).status_code == 302
    response = client.post(base_url(world.base), decisions_post({members[0]: Grade.EXCELLENT}))
    assert "2 đảng viên xuất sắc vượt giới hạn 1" in response.content.decode()
    assert assessment_of(members[0]).grade == ""


def test_a_decision_needs_a_grade_or_a_reason(world):
    open_round(world)
    with_grade = MemberFactory(branch=world.branch)
    world.client(Role.OFFICER).post(base_url(world.base), decisions_post({with_grade: "tot"}))
    response = world.client(Role.OFFICER).post(
        base_url(world.base), decisions_post({with_grade: ""})
    )
    row = response.content.decode().split(f'id="row-{with_grade.pk}"')[1].split("</tr>")[0]
    assert "Chọn đúng một xếp loại hoặc một lý do không xếp loại." in row
    assert assessment_of(with_grade).grade == Grade.GOOD


def test_the_screen_loads_in_the_same_queries_for_few_or_many_members(world):
    open_round(world)
    client = world.client(Role.OFFICER)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(base_url(world.base)).status_code == 200
        return len(queries)

    count_queries()  # a first request does the session's once-a-minute work (last seen, menu)
    few = count_queries()
    MemberFactory.create_batch(40, branch=world.branch)
    MemberFactory.create_batch(40, branch=world.other_branch)
    assert count_queries() == few


def test_only_a_base_organisation_decides(world):
    open_round(world)
    response = world.client(Role.OFFICER).get(base_url(world.branch))
    assert response.status_code == 404


def test_the_service_refuses_a_member_outside_the_base(world):
    open_round(world)
    services.open_round(world.users["outside_officer"], world.outside_upper, this_year())
    with pytest.raises(DomainError, match="không thuộc tổ chức cơ sở này"):
        services.decide_grades(
            world.users["outside_officer"],
            world.outside_base,
            this_year(),
            {world.member.pk: {"grade": "tot"}},
        )
    assert assessment_of(world.member) is None


def test_a_member_who_has_left_is_not_graded_even_if_posted(world):
    """The screen lists active members only; the services refuse the others too."""
    open_round(world)
    gone = MemberFactory(branch=world.branch, status=Status.DECEASED, left_on=this_year_day())
    with pytest.raises(DomainError, match="không còn là đảng viên"):
        propose(world, {gone: {"grade": Grade.GOOD}})
    with pytest.raises(DomainError, match="không còn là đảng viên"):
        services.decide_grades(
            world.users[Role.OFFICER], world.base, this_year(), {gone.pk: {"grade": "tot"}}
        )
    assert assessment_of(gone) is None


def test_no_round_is_opened_for_a_dissolved_organisation(world):
    world.other_branch.ended_on = this_year_day()
    world.other_branch.save(update_fields=["ended_on"])
    with pytest.raises(DomainError, match="đã giải thể"):
        services.open_round(world.users[Role.OFFICER], world.other_branch, this_year())
