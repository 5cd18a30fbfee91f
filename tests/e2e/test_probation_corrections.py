"""Browser journeys of the corrections of probation and cards (issue 12): an imported member gets
the ceremony date the probation runs from; striking a member off is confirmed on a page that
names the consequences and wants a reason, then annulled with one; a card reported lost by
mistake is restored."""

import datetime

import pytest
from django.utils import timezone

from dangvien.admissions.models import PartyCard
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Status
from tests.admissions.workflow import seat_voters
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.e2e.test_admission_journeys import _message, _open, _recognition_step
from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
PROBATIONER = "Đỗ Minh Quân"


def text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def probation_world(transactional_db):
    """A branch of 6 official members, an imported probationary member admitted 13 months ago
    without a ceremony date, and an official member of the other branch holding card
    44445555."""
    world = build_world()
    seat_voters(world.branch, 6, TODAY)
    world.probationer = MemberFactory(
        code="DV-DB-7",
        full_name=PROBATIONER,
        branch=world.branch,
        admitted_on=add_months(TODAY, -13),
        official_on=None,
        status=Status.PROBATIONARY,
    )
    world.holder = MemberFactory(
        full_name="Lưu Văn Thẻ", branch=world.other_branch, card_number="44445555"
    )
    return world


def test_the_ceremony_date_then_a_strike_off_confirmed_and_annulled(page, probation_world):
    member = probation_world.probationer
    login(page, "canbo", PASSWORD)
    page.goto(f"{page.base}/admissions/probation/{member.pk}/")
    facts = page.locator("dl").first
    assert f"Hết thời gian dự bị\n{text(add_months(member.admitted_on, 12))}" in facts.inner_text()

    # The imported record gets its ceremony: the probation's end follows.
    ceremony = member.admitted_on + datetime.timedelta(days=20)
    _open(page, "#ceremony")
    page.fill("#id_ceremony-ceremony_on", text(ceremony))
    page.fill("#id_ceremony-reason", "Biên bản lễ kết nạp")
    follow(page, "#ceremony-form button[type=submit]")
    end = add_months(ceremony, 12)
    assert f"thời gian dự bị hết ngày {text(end)}" in _message(page)
    assert f"Hết thời gian dự bị\n{text(end)}" in facts.inner_text()

    # The branch votes to strike off; the decision's page names what changes.
    _recognition_step(page, "strike_off_vote", TODAY, votes_for=5, votes_total=6)
    follow(page, "#strike-off")
    assert page.locator("h1").inner_text().startswith("Không công nhận đảng viên chính thức")
    consequences = page.locator("#consequences").inner_text()
    assert "không còn trong danh sách và số liệu đảng viên đang sinh hoạt" in consequences
    assert f"ngày {text(TODAY)} (5/6 tán thành)" in consequences
    page.fill("#id_strike_off-effective_on", text(TODAY))
    page.fill("#id_strike_off-decision_number", "77-QĐ/ĐU")
    assert page.locator("#id_strike_off-reason").get_attribute("required") is not None
    page.fill("#id_strike_off-reason", "   ")  # past the browser's check: the server refuses
    follow(page, "#review-action button[type=submit]")
    banner = page.locator("#review-action .form-errors").inner_text()
    assert "Chưa xóa tên" in banner and "Cần ghi lý do không công nhận, xóa tên." in banner
    assert page.locator("#id_strike_off-decision_number").input_value() == "77-QĐ/ĐU"
    shot(page, "strike-off-refused-without-reason")
    page.fill("#id_strike_off-reason", "Vi phạm tư cách đảng viên trong thời gian dự bị")
    follow(page, "#review-action button[type=submit]")
    assert f"xóa tên {PROBATIONER}" in _message(page)
    assert Member.unscoped.get(pk=member.pk).status == Status.REMOVED

    # Annulled with a reason: probationary again, the review goes on.
    follow(page, "#annul-strike-off")
    assert "là đảng viên dự bị" in page.locator("#consequences").inner_text()
    page.fill("#id_reason", "Cấp ủy rút lại quyết định")
    follow(page, "#review-action button[type=submit]")
    assert "là đảng viên dự bị trở lại" in _message(page)
    assert "Cấp ủy rút lại quyết định" in page.locator("#review-history").inner_text()
    assert page.locator("#strike-off").count() == 1
    shot(page, "strike-off-annulled")
    assert Member.unscoped.get(pk=member.pk).status == Status.PROBATIONARY


def test_a_card_reported_lost_by_mistake_is_restored(page, probation_world):
    holder = probation_world.holder
    login(page, "canbo", PASSWORD)
    page.goto(f"{page.base}/admissions/cards/{holder.pk}/")
    follow(page, "#card-end a")
    assert "Thẻ số 44445555 hết dùng từ ngày báo" in page.locator("#consequences").inner_text()
    page.fill("#id_ended_on", text(TODAY))
    page.select_option("#id_reason", "lost")
    follow(page, "#card-action button[type=submit]")
    assert "Đã ghi: thẻ số 44445555 – Mất thẻ." in _message(page)
    follow(page, "#undo-end")
    assert page.locator("#id_reason").get_attribute("required") is not None
    page.fill("#id_reason", " ")  # past the browser's check: the server refuses at the top
    follow(page, "#card-action button[type=submit]")
    assert "Cần ghi lý do hủy ghi nhận" in page.locator("#card-action .form-errors").inner_text()
    page.fill("#id_reason", "Đảng viên tìm lại được thẻ")
    follow(page, "#card-action button[type=submit]")
    assert "thẻ số 44445555 đang dùng trở lại" in _message(page)
    assert "Số 44445555" in page.locator("#card-in-use").inner_text()
    shot(page, "card-end-undone")
    assert PartyCard.objects.get(number="44445555").ended_on is None
