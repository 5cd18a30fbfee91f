"""The member's profile shows the grades of every year and this year's commitment."""

from django.utils import timezone

from dangvien.assessments.models import Commitment
from dangvien.core.roles import Role
from tests.assessments.history_data import grade_member


def _card(page: str) -> str:
    start = page.index('id="member-grades"')
    return page[start : page.index("</section>", start)]


def test_profile_lists_each_year_newest_first_with_the_branch(world):
    grade_member(world.member, 2023, "tot")
    grade_member(world.member, 2024, "xuat_sac", branch=world.other_branch)
    grade_member(world.member, 2025, not_graded="illness")
    card = _card(world.client(Role.OFFICER).get(f"/members/{world.member.pk}/").content.decode())
    assert "Kết quả xếp loại qua các năm" in card
    assert card.index("2025") < card.index("2024") < card.index("2023")
    assert "Hoàn thành xuất sắc nhiệm vụ" in card and "Chi bộ Tổ Văn" in card
    assert "Hoàn thành tốt nhiệm vụ" in card and "Chi bộ Tổ Toán" in card
    assert "Không xếp loại: Ốm đau dài ngày" in card


def test_a_grade_not_decided_yet_is_not_shown(world):
    assessment = grade_member(world.member, 2025)
    assessment.proposed_grade, assessment.self_grade = "xuat_sac", "xuat_sac"
    assessment.save()
    card = _card(world.client(Role.OFFICER).get(f"/members/{world.member.pk}/").content.decode())
    assert "Chưa xếp loại" in card and "xuất sắc" not in card


def test_this_years_commitment_is_shown(world):
    year = timezone.localdate().year
    Commitment.unscoped.create(
        member=world.member, year=year, level="tot", pledges="Tham gia đầy đủ sinh hoạt chi bộ."
    )
    card = _card(world.client(Role.MEMBER).get(f"/members/{world.member.pk}/").content.decode())
    assert f"Đăng ký năm {year}" in card
    assert "Hoàn thành tốt nhiệm vụ" in card and "Tham gia đầy đủ sinh hoạt chi bộ." in card


def test_a_member_never_graded_sees_an_empty_card_on_their_own_profile(world):
    page = world.client(Role.MEMBER).get(f"/members/{world.member.pk}/").content.decode()
    assert "Chưa có kết quả xếp loại nào." in _card(page)
