"""Browser journey of a branch's month, on phones (390 px): the secretary prepares the month's
meeting and publishes it, the member sees it, the secretary calls the roll, writes and approves
the minutes and gives two tasks, the member reports on one."""

import pytest

from dangvien.meetings.models import Attendance, Meeting, Task
from dangvien.members.models import Member
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.factories import PASSWORD, MemberFactory
from tests.transfers.steps import ONE_DAY, ddmmyyyy, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    MemberFactory(code="DV-TRONG-5", full_name="Lê Thị Cúc", branch=world.branch)
    return world


def _phone(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    login(page, username, PASSWORD)
    return context, page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_branch_month_on_phones(browser, live_server, live_world):
    context, secretary = _phone(browser, live_server, "bithu")
    secretary.goto(f"{secretary.base}/meetings/")
    follow(secretary, "#meeting-new")
    secretary.fill("#id_on", ddmmyyyy(today()))
    secretary.fill("#id_starts_at", "14:00")
    secretary.fill("#id_place", "Phòng họp tổ")
    secretary.fill("#id_topic", "Sinh hoạt định kỳ tháng")
    follow(secretary, "#meeting-form button[type=submit]")
    follow(secretary, "#publish")
    assert "Đã thông báo cuộc họp" in secretary.locator(".messages").inner_text()
    meeting = Meeting.unscoped.get()

    member_context, member = _phone(browser, live_server, "dangvien")
    member.click(".navtoggle-label")  # the menu folds away on a phone
    follow(member, 'nav >> text="Sinh hoạt chi bộ của tôi"')
    assert "Phòng họp tổ" in member.locator("#upcoming").inner_text()

    follow(secretary, "#take-attendance")
    assert _fits(secretary)
    rows = secretary.locator(".roll-row")
    assert rows.count() == 2
    secretary.check(f"#roll-{live_world.member.pk} input[value=co_mat]")
    cuc_pk = Member.unscoped.get(code="DV-TRONG-5").pk
    secretary.check(f"#roll-{cuc_pk} input[value=vang_co_ly_do]")
    secretary.fill(f"input[name=reason-{cuc_pk}]", "Ốm")
    shot(secretary, "meeting-roll-phone")
    follow(secretary, "#save-roll")
    assert "Đã lưu điểm danh (2 đảng viên thay đổi)." in secretary.locator(".messages").inner_text()
    cuc = Attendance.objects.get(member_id=cuc_pk)
    assert (cuc.status, cuc.reason) == ("vang_co_ly_do", "Ốm")

    secretary.goto(f"{secretary.base}/meetings/{meeting.pk}/")
    follow(secretary, "#write-minutes")
    secretary.fill("#id_text", "Chi bộ nghe báo cáo tháng và thống nhất nhiệm vụ tháng tới.")
    secretary.fill("#id_quality_score", "90")
    follow(secretary, "#minutes-form button[type=submit]")
    for title in ("Vận động đoàn viên", "Thăm hỏi hội viên"):
        secretary.select_option("#task-form #id_member", str(live_world.member.pk))
        secretary.fill("#task-form #id_title", title)
        secretary.fill("#task-form #id_due_on", ddmmyyyy(today() + ONE_DAY * 20))
        follow(secretary, "#task-form button[type=submit]")
    assert Task.unscoped.count() == 2
    follow(secretary, "#approve")
    follow(secretary, "#approve button[type=submit]")
    assert "Đã thông qua biên bản" in secretary.locator(".messages").inner_text()
    assert "biên bản đã thông qua" in secretary.locator("#state").inner_text()
    assert _fits(secretary)
    shot(secretary, "meeting-approved-phone")

    member.goto(f"{member.base}/meetings/my/")
    follow(member, '#my-tasks >> text="Vận động đoàn viên"')
    member.fill("#id_report", "Đã vận động được 5 đoàn viên tham gia.")
    follow(member, "#report-form button[type=submit]")
    assert "Đã gửi báo cáo" in member.locator(".messages").inner_text()
    assert "Đã báo cáo" in member.locator("#my-tasks").inner_text()
    shot(member, "meeting-member-phone")
    assert Task.unscoped.get(title="Vận động đoàn viên").report.startswith("Đã vận động")
    member_context.close()
    context.close()
