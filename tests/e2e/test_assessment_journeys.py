"""Browser journeys of the annual assessment: a member writes the self-assessment, a secretary
grades the branch by keyboard, the base committee sees the excellent cap as it decides."""

import datetime

import pytest
from django.utils import timezone

from dangvien.assessments import services
from dangvien.assessments.models import Commitment, Grade, MemberAssessment, NotGraded
from dangvien.core.roles import Role
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year
# Typed on the fast screen, one key per member, in the screen's (Vietnamese) order.
KEYS = "2123224232"
NAMES = [
    "Hoàng Văn Bảo",
    "Lý Thị Cúc",
    "Đặng Văn Dũng",
    "Vũ Thị Giang",
    "Phan Văn Hải",
    "Đinh Thị Hoa",
    "Tạ Văn Khánh",
    "Mai Thị Lan",
    "Trịnh Văn Minh",
]


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    services.open_round(world.users[Role.OFFICER], world.upper, YEAR)
    return world


def _phone(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.base = live_server.url
    login(page, username, PASSWORD)
    return context, page


def test_a_member_writes_the_self_assessment(page, browser, live_server, live_world):
    login(page, "dangvien", PASSWORD)
    follow(page, "nav >> text=Đánh giá của tôi")
    page.select_option("#id_level", Grade.GOOD)
    page.fill("#id_pledges", "Học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.")
    follow(page, "#commitment button[type=submit]")
    assert f"Đã lưu đăng ký, cam kết năm {YEAR}." in page.locator(".messages").inner_text()

    beside = page.locator(".assess-commitment").inner_text()
    assert "Hoàn thành tốt nhiệm vụ" in beside and "Hồ Chí Minh" in beside
    page.select_option("#id_self_grade", Grade.GOOD)
    page.fill(
        "#id_self_assessment",
        "Ưu điểm: hoàn thành tốt nhiệm vụ được giao, đi sinh hoạt đầy đủ.\n"
        "Hạn chế: còn chậm trong việc cập nhật kiến thức mới.",
    )
    follow(page, "#self-assessment button[type=submit]")
    assert f"Đã nộp bản tự kiểm điểm năm {YEAR}." in page.locator(".messages").inner_text()
    assert "Bạn đã nộp lúc" in page.locator("#self-assessment").inner_text()
    shot(page, "assessment-my")

    assessment = MemberAssessment.unscoped.get(member=live_world.member, year=YEAR)
    assert assessment.self_grade == Grade.GOOD
    assert Commitment.unscoped.get(member=live_world.member, year=YEAR).level == Grade.GOOD

    context, phone = _phone(browser, live_server, "dangvien")
    phone.goto(f"{phone.base}/assessments/my/")
    assert phone.locator(".assess-commitment").is_visible()
    shot(phone, "assessment-my-phone")
    context.close()


def test_a_secretary_grades_the_branch_by_keyboard(page, browser, live_server, live_world):
    members = [MemberFactory(branch=live_world.branch, full_name=name) for name in NAMES]
    exempt = MemberFactory(
        branch=live_world.branch, full_name="Lê Thị Yến", exempt_since=datetime.date(2024, 3, 1)
    )
    services.submit_self_assessment(
        live_world.users[Role.MEMBER], YEAR, Grade.GOOD, "Hoàn thành tốt nhiệm vụ được giao."
    )
    login(page, "bithu", PASSWORD)
    follow(page, "nav >> text=Đợt đánh giá")
    follow(page, "#my-units >> text=Xếp loại nhanh")
    assert page.locator("h1").inner_text().startswith(f"Chi bộ đề xuất xếp loại năm {YEAR}")
    rows = page.locator("#grading tbody tr")
    assert rows.count() == 11
    assert rows.last.locator("select[data-reason]").input_value() == NotGraded.EXEMPT

    page.wait_for_load_state("load")  # grading.js (deferred) handles the keys from then on
    page.locator("#grading select[data-grade]").first.focus()
    for index, key in enumerate(KEYS):
        page.keyboard.press(key)
        focused = page.evaluate("document.activeElement.closest('tr').id")
        assert focused == rows.nth(index + 1).get_attribute("id")
    page.locator("#grading details").first.click()
    assert page.locator("#grading details .prewrap").first.is_visible()
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top of the picture
    shot(page, "assessment-fast-grading")
    follow(page, ".grading-actions button")
    assert "Đã lưu đề xuất xếp loại của 11 đảng viên." in page.locator(".messages").inner_text()

    ordered = page.locator("#grading tbody tr td.grading-name strong").all_inner_texts()
    grades = dict(
        MemberAssessment.unscoped.filter(year=YEAR).values_list(
            "member__full_name", "proposed_grade"
        )
    )
    typed = {"1": Grade.EXCELLENT, "2": Grade.GOOD, "3": Grade.COMPLETED, "4": Grade.NOT_COMPLETED}
    assert [grades[name] for name in ordered[: len(KEYS)]] == [typed[key] for key in KEYS]
    assert MemberAssessment.unscoped.get(member=exempt).proposed_not_graded == NotGraded.EXEMPT
    assert len(members) + 2 == MemberAssessment.unscoped.filter(year=YEAR).count()

    context, phone = _phone(browser, live_server, "bithu")
    phone.goto(f"{phone.base}/assessments/branch/{live_world.branch.code}/{YEAR}/")
    shot(phone, "assessment-fast-grading-phone")
    context.close()


def test_the_base_committee_sees_the_cap_while_deciding(page, live_world):
    members = MemberFactory.create_batch(6, branch=live_world.branch)
    services.propose_grades(
        live_world.users[Role.SECRETARY],
        live_world.branch,
        YEAR,
        {m.pk: {"grade": Grade.GOOD} for m in members},
    )
    login(page, "canbo", PASSWORD)
    page.goto(f"{page.base}/assessments/base/{live_world.base.code}/{YEAR}/")
    counts = page.locator("#counts")
    assert counts.locator("[data-cap]").inner_text() == "1"
    for member in members[:2]:
        page.locator(f"#row-{member.pk} select").focus()
        page.keyboard.press("1")
    assert counts.locator("[data-count=xuat_sac]").inner_text() == "2"
    assert counts.locator("[data-cap]").inner_text() == "0"
    assert counts.locator(".grading-over-note").is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "assessment-decision")
    follow(page, ".grading-actions button")
    # Refused: said at the top of the page, in view, not only under the reason box after the
    # rows; the two «Xuất sắc» chosen are still chosen.
    banner = page.locator("#refused-banner")
    assert banner.is_visible() and banner.bounding_box()["y"] < 600
    assert "Chưa lưu" in banner.inner_text() and "vượt giới hạn 0" in banner.inner_text()
    for member in members[:2]:
        assert page.locator(f"#row-{member.pk} select").input_value() == Grade.EXCELLENT
    assert "vượt giới hạn 0" in page.locator(".grading-exception .error").inner_text()
    shot(page, "assessment-decision-refused")
    page.fill("#id_exception_reason", "Công văn số 3-CV/ĐU đồng ý vượt tỷ lệ")
    follow(page, ".grading-actions button")
    assert "Đã lưu kết quả xếp loại" in page.locator(".messages").inner_text()
    assert MemberAssessment.unscoped.filter(grade=Grade.EXCELLENT).count() == 2


def test_officer_reads_the_quality_report_and_downloads_it(page, live_world):
    """The ward officer opens last year's quality report, sees the grades of the subtree and
    downloads the workbook."""
    year = YEAR - 1
    grades = [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.COMPLETED]
    extra = [
        MemberFactory(full_name=f"Đỗ Văn Số {i}", branch=live_world.other_branch) for i in range(2)
    ]
    for member, grade in zip(
        [live_world.member, live_world.other_member, *extra], grades, strict=True
    ):
        MemberAssessment.unscoped.create(
            member=member,
            year=year,
            branch=member.branch,
            branch_path=member.branch_path,
            grade=grade,
            imported=True,
        )
    login(page, "canbo", PASSWORD)
    follow(page, 'nav >> text="Xếp loại chất lượng"')
    page.fill("#org", live_world.upper.code)
    page.fill("#year", str(year))
    follow(page, "text=Xem báo cáo")
    tiles = page.locator(".stats .stat").all_inner_texts()
    assert tiles[:2] == ["4\nđảng viên", "4\nđược xếp loại"]
    assert "1\nxuất sắc" in tiles and "2\ntốt" in tiles
    assert "NGOAIPHAMVI" not in page.content()
    shot(page, "quality-report")
    with page.expect_download() as download:
        page.click("text=Tải về Excel (.xlsx)")
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_officer_locks_the_round_only_with_a_reason_and_reopens_it(page, live_world):
    """Members still ungraded: the lock asks for a reason first; a lock by mistake is undone."""
    login(page, "canbo", PASSWORD)
    follow(page, 'nav >> text="Đợt đánh giá"')
    follow(page, f"#rounds >> text={live_world.upper.name}")
    follow(page, "#close-round")
    assert "chưa có kết quả xếp loại" in page.locator("#consequences").inner_text()
    page.fill("#id_reason", "   ")
    follow(page, "#round-action button[type=submit]")
    assert page.locator(".form-errors").inner_text().startswith("Chưa khóa đợt: Còn")
    shot(page, "round-lock-needs-reason")
    page.fill("#id_reason", "Hết thời hạn báo cáo của huyện ủy.")
    follow(page, "#round-action button[type=submit]")
    assert f"Đã khóa đợt đánh giá năm {YEAR}." in page.locator(".messages").inner_text()
    assert "Đã khóa" in page.locator(".subtitle").inner_text()

    follow(page, "#reopen-round")
    page.fill("#id_reason", "Khóa nhầm: còn chi bộ chưa xếp loại.")
    follow(page, "#round-action button[type=submit]")
    assert f"Đã mở lại đợt đánh giá năm {YEAR}." in page.locator(".messages").inner_text()
    assert "Đang đánh giá" in page.locator(".subtitle").inner_text()
    assert page.locator("#close-round").is_visible()


def test_the_secretary_records_a_paper_self_assessment(page, live_world):
    """A member without an account wrote the self-assessment on paper: the secretary copies
    the self-grade from it on the branch's screen."""
    member = MemberFactory(full_name="Lò Văn Páo", branch=live_world.branch)
    login(page, "bithu", PASSWORD)
    page.goto(f"{page.base}/assessments/branch/{live_world.branch.code}/{YEAR}/")
    row = page.locator(f"#row-{member.pk}")
    assert "Chưa tự kiểm điểm" in row.inner_text()
    follow(page, f"#row-{member.pk} .paper-self")
    page.select_option("#id_self_grade", Grade.GOOD)
    page.fill("#id_note", "Bản giấy 2 trang, lưu tại chi bộ.")
    follow(page, "#paper-self button[type=submit]")
    assert "Đã ghi nhận bản tự kiểm điểm giấy" in page.locator(".messages").inner_text()
    assert "Bản giấy, nhận" in page.locator(f"#row-{member.pk}").inner_text()
    shot(page, "assessment-paper-self")


def test_every_count_of_the_round_opens_its_members(page, browser, live_server, live_world):
    """The officer follows a count of the round («chưa có kết quả») to the members behind it,
    sorts them by name on the server and goes back to the round."""
    for name in NAMES[:4]:
        MemberFactory(branch=live_world.branch, full_name=name)
    services.propose_grades(
        live_world.users[Role.SECRETARY],
        live_world.branch,
        YEAR,
        {live_world.member.pk: {"grade": Grade.GOOD}},
    )
    login(page, "canbo", PASSWORD)
    follow(page, 'nav >> text="Đợt đánh giá"')
    follow(page, f"#rounds >> text={live_world.upper.name}")
    shown = page.locator("#count-pending .stat-value").inner_text()
    assert shown == "6"
    shot(page, "round-progress")
    follow(page, "#count-pending")
    assert page.locator("h1").inner_text().startswith("Đảng viên chưa có kết quả xếp loại")
    assert page.locator("#list-count").inner_text() == shown
    assert page.locator("#round-members tbody tr").count() == 6
    follow(page, "#round-members th >> text=Họ và tên")
    names = page.locator("#round-members tbody td:nth-child(2)").all_inner_texts()
    assert names == [  # by given name, the Vietnamese way, across both branches
        "Nguyễn Văn An",
        "Hoàng Văn Bảo",
        "Trần Thị Bình",
        "Lý Thị Cúc",
        "Đặng Văn Dũng",
        "Vũ Thị Giang",
    ]
    follow(page, "#round-members th >> text=Họ và tên")  # again: the other way
    assert page.locator("#round-members tbody td:nth-child(2)").all_inner_texts() == names[::-1]
    shot(page, "round-members")
    follow(page, "#states >> text=Được chi bộ đề xuất xếp loại")
    assert page.locator("#round-members tbody td:nth-child(2)").all_inner_texts() == [
        "Nguyễn Văn An"
    ]

    context, phone = _phone(browser, live_server, "canbo")
    phone.goto(f"{phone.base}{page.url.removeprefix(page.base)}")
    shot(phone, "round-members-phone")
    context.close()


def test_a_round_locked_meanwhile_keeps_what_was_typed(page, browser, live_server, live_world):
    """The member writes the self-assessment while the officer locks the round: the page says
    at the top that it was not saved, and the text is still there to keep."""
    login(page, "dangvien", PASSWORD)
    follow(page, "nav >> text=Đánh giá của tôi")
    page.select_option("#id_self_grade", Grade.GOOD)
    text = "Ưu điểm: đi sinh hoạt đầy đủ.\nHạn chế: còn chậm cập nhật văn bản mới."
    page.fill("#id_self_assessment", text)
    round_ = services.covering_round(live_world.branch.path, YEAR)
    services.close_round(live_world.users[Role.OFFICER], round_, reason="Hết thời hạn")
    follow(page, "#self-assessment button[type=submit]")
    banner = page.locator("#refused-banner").inner_text()
    assert "Chưa lưu." in banner and f"Đợt đánh giá năm {YEAR} đã khóa ngày" in banner
    assert page.locator("#id_self_assessment").input_value() == text
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "assessment-locked-meanwhile")
    assert not MemberAssessment.unscoped.filter(member=live_world.member).exists()
