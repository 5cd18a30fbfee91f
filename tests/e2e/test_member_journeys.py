"""Browser journeys on member records: find, correct with history, import with an error."""

import pytest

from dangvien.members.models import Member
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.factories import PASSWORD, MemberFactory
from tests.members.test_import_members import HEADERS, row
from tests.spreadsheets import write_xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(transactional_db):
    world = build_world()
    MemberFactory(full_name="Nguyễn Đức Thắng", branch=world.branch, code="DV-THANG")
    return world


def test_find_a_member_by_unaccented_name(page, live_world):
    login(page, "canbo", PASSWORD)
    follow(page, 'nav >> text="Đảng viên"')
    page.fill("#q", "nguyen duc")
    follow(page, "#member-filters button[type=submit]")
    assert page.locator("#members tbody tr").count() == 1
    follow(page, "#members >> text=DV-THANG")
    assert page.locator("h1").inner_text() == "Nguyễn Đức Thắng"
    shot(page, "member-profile")


def test_correct_a_field_and_see_the_history(page, live_world):
    login(page, "bithu", PASSWORD)
    page.goto(f"{page.base}/members/{live_world.member.pk}/")
    follow(page, "text=Sửa hồ sơ")
    page.fill("#id_residence", "Tổ 7, phường Hòa Bình")
    page.fill("#id_reason", "Đảng viên chuyển nơi ở")
    follow(page, "button:has-text('Lưu')")
    assert "Đã lưu hồ sơ" in page.locator(".messages").inner_text()
    history = page.locator("section:has(h2:text('Lịch sử thay đổi hồ sơ'))").inner_text()
    assert "Nơi cư trú" in history and "Tổ 7, phường Hòa Bình" in history
    assert "Đảng viên chuyển nơi ở" in history
    shot(page, "member-history")


def test_import_members_with_an_error_then_fixed(page, live_world, tmp_path):
    login(page, "canbo", PASSWORD)
    follow(page, "nav >> text=Nhập đảng viên")
    bad = write_xlsx(
        tmp_path / "dang-vien.xlsx", HEADERS, [row("E1"), row("E2", birth="31/02/1990")]
    )
    page.set_input_files("input[type=file]", str(bad))
    follow(page, "text=Tải lên và kiểm tra")
    assert "Tệp có 1 lỗi" in page.locator(".form-errors").inner_text()
    assert page.locator("#problems tbody td").nth(1).inner_text() == "Ngày sinh"
    with page.expect_download() as download:
        page.click("text=Tải tệp có đánh dấu lỗi")
    assert download.value.suggested_filename.endswith(".xlsx")
    shot(page, "member-import-errors")

    good = write_xlsx(
        tmp_path / "dang-vien-da-sua.xlsx", HEADERS, [row("E1"), row("E2", birth="28/02/1990")]
    )
    follow(page, "text=Nhập đảng viên")
    page.set_input_files("input[type=file]", str(good))
    follow(page, "text=Tải lên và kiểm tra")
    follow(page, "text=Xác nhận nhập")
    assert "tạo mới 2" in page.locator(".messages").inner_text()
    assert Member.unscoped.filter(code__in=["E1", "E2"]).count() == 2


def test_download_the_member_record_pdf(page, live_world):
    login(page, "bithu", PASSWORD)
    page.goto(f"{page.base}/members/{live_world.member.pk}/")
    href = page.locator("text=In phiếu đảng viên (PDF)").get_attribute("href")
    response = page.request.get(f"{page.base}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
