"""After the round is closed, an officer corrects a final grade with a reason, kept in history."""

import pytest
from django.urls import reverse

from dangvien.assessments import services
from dangvien.assessments.models import Grade, NotGraded
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.roles import Role
from tests.assessments.workflow import assessment_of, open_round, propose, table_rows, this_year

REASON = "Kết luận kiểm tra số 05-KL/UBKT: đảng viên vi phạm trong năm"


@pytest.fixture
def decided(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    officer = world.users[Role.OFFICER]
    services.decide_grades(officer, world.base, this_year(), {world.member.pk: {"grade": "tot"}})
    return round_, assessment_of(world.member)


def _url(assessment):
    return reverse("assessments:correct", args=[assessment.pk])


def correct(client, assessment, data: dict):
    """Open the correction page, then send its form with the version it carries."""
    version = client.get(_url(assessment)).context["form"]["version"].value()
    return client.post(_url(assessment), {**data, "version": version})


def test_the_officer_corrects_with_a_reason(world, decided):
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    client = world.client(Role.OFFICER)
    response = correct(client, assessment, {"outcome": Grade.COMPLETED, "reason": REASON})
    assert response.status_code == 302
    assert assessment_of(world.member).grade == Grade.COMPLETED
    entry = AuditEntry.unscoped.get(action="assessment.correct")
    assert entry.reason == REASON
    assert entry.changes == {f"grade_{this_year()}": ["Tốt", "Hoàn thành"]}

    history = table_rows(client.get(_url(assessment)), "corrections")[1:]
    assert [row[2:] for row in history] == [
        ["Đính chính", "Tốt → Hoàn thành", REASON],
        ["Quyết định xếp loại", "— → Tốt", ""],
    ]


def test_a_correction_without_a_reason_is_refused(world, decided):
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    response = world.client(Role.OFFICER).post(
        _url(assessment), {"outcome": Grade.COMPLETED, "reason": " "}
    )
    assert response.status_code == 400  # refused
    assert assessment_of(world.member).grade == Grade.GOOD
    with pytest.raises(DomainError, match="Đính chính cần ghi lý do và căn cứ"):
        services.correct_grade(world.users[Role.OFFICER], assessment, Grade.COMPLETED, "  ")


def test_a_correction_may_set_a_reason_not_to_grade(world, decided):
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    correct(
        world.client(Role.OFFICER),
        assessment,
        {"outcome": f"ng:{NotGraded.OTHER}", "reason": REASON},
    )
    corrected = assessment_of(world.member)
    assert (corrected.grade, corrected.not_graded) == ("", NotGraded.OTHER)


def test_the_service_refuses_an_unknown_grade(world, decided):
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    with pytest.raises(DomainError, match="Xếp loại không hợp lệ"):
        services.correct_grade(world.users[Role.OFFICER], assessment, "tuyet_voi", REASON)


def test_the_service_refuses_a_correction_while_the_round_is_open(world, decided):
    with pytest.raises(DomainError, match="Đợt đánh giá còn mở"):
        services.correct_grade(world.users[Role.OFFICER], decided[1], Grade.COMPLETED, REASON)
    assert assessment_of(world.member).grade == Grade.GOOD


def test_while_the_round_is_open_the_decision_screen_is_the_place(world, decided):
    _round, assessment = decided
    client = world.client(Role.OFFICER)
    page = client.get(_url(assessment)).content.decode()
    assert "đang mở: sửa kết quả trên" in page and 'name="reason"' not in page
    response = client.post(_url(assessment), {"outcome": Grade.COMPLETED, "reason": REASON})
    assert response.status_code == 403
    assert assessment_of(world.member).grade == Grade.GOOD


def test_a_secretary_cannot_correct(world, decided):
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    client = world.client(Role.SECRETARY)
    page = client.get(_url(assessment)).content.decode()
    assert "Chỉ cấp ủy có thẩm quyền" in page
    response = client.post(_url(assessment), {"outcome": Grade.COMPLETED, "reason": REASON})
    assert response.status_code == 403
    assert assessment_of(world.member).grade == Grade.GOOD


def test_the_base_screen_links_each_closed_grade_to_its_correction(world, decided):
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    page = world.client(Role.OFFICER).get(
        reverse("assessments:base", args=[world.base.code, this_year()])
    )
    assert f'href="{_url(assessment)}"' in page.content.decode()


def test_a_correction_past_the_excellent_cap_needs_its_own_exception(world, decided):
    """The correction's reason is not an exception to the cap: that needs its own (QĐ 124)."""
    round_, assessment = decided
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn đánh giá")
    client = world.client(Role.OFFICER)
    refused = correct(client, assessment, {"outcome": Grade.EXCELLENT, "reason": REASON})
    assert "vượt giới hạn 0" in refused.content.decode()
    assert assessment_of(world.member).grade == Grade.GOOD
    allowed = correct(
        client,
        assessment,
        {
            "outcome": Grade.EXCELLENT,
            "reason": REASON,
            "exception_reason": "Văn bản 12-CV/ĐU cho phép vượt",
        },
    )
    assert allowed.status_code == 302
    assert assessment_of(world.member).grade == Grade.EXCELLENT
    exception = RuleException.unscoped.get(rule_key="excellent_cap_percent_of_good")
    assert exception.reason.startswith("Văn bản 12-CV/ĐU cho phép vượt")
