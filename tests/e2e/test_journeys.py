"""Journeys a person takes in the browser: sign in, browse the tree, import, meet the scope."""

import pytest

from dangvien.core.roles import Role
from dangvien.members.services import update_member
from dangvien.organizations.models import Organization
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.factories import PASSWORD
from tests.spreadsheets import ORG_HEADERS, write_xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(transactional_db):
    return build_world()


def test_officer_signs_in_and_browses_the_tree(page, live_world):
    login(page, "canbo", PASSWORD)
    assert page.locator("h1").inner_text() == f"Xin chào, {live_world.users[Role.OFFICER]}"
    follow(page, "nav >> text=Cây tổ chức")
    follow(page, "#org-tree >> text=Đảng bộ Trường Tiểu học Hòa Bình")
    assert page.locator("h1").inner_text() == "Đảng bộ Trường Tiểu học Hòa Bình"
    rows = page.locator("#children tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.inner_text() == "Chi bộ Tổ Toán"
    shot(page, "org-detail")


def test_search_without_diacritics(page, live_world):
    login(page, "canbo", PASSWORD)
    page.goto(f"{page.base}/orgs/")
    page.fill("input[name=q]", "to van")
    follow(page, "form.search button")
    assert page.locator("#search-results li").all_inner_texts()[0].startswith("Chi bộ Tổ Văn")


def test_officer_imports_organisations_fixing_an_error(page, live_world, tmp_path):
    login(page, "canbo", PASSWORD)
    follow(page, "nav >> text=Nhập tổ chức đảng")
    bad = write_xlsx(
        tmp_path / "to-chuc.xlsx",
        ORG_HEADERS,
        [
            ["P.U1.05", "Chi bộ Khu phố 5", "Chi bộ cơ sở", "P.U1"],
            ["P.U1.06", "Chi bộ Khu phố 6", "Chi bộ lạ", "P.U1"],
        ],
    )
    page.set_input_files("input[type=file]", str(bad))
    follow(page, "text=Tải lên và kiểm tra")
    assert "Tệp có 1 lỗi" in page.locator(".form-errors").inner_text()
    assert page.locator("#problems tbody td").first.inner_text() == "3"
    shot(page, "import-errors")

    good = write_xlsx(
        tmp_path / "to-chuc-da-sua.xlsx",
        ORG_HEADERS,
        [
            ["P.U1.05", "Chi bộ Khu phố 5", "Chi bộ cơ sở", "P.U1"],
            ["P.U1.06", "Chi bộ Khu phố 6", "Chi bộ cơ sở", "P.U1"],
        ],
    )
    follow(page, "text=Nhập tổ chức đảng")
    page.set_input_files("input[type=file]", str(good))
    follow(page, "text=Tải lên và kiểm tra")
    assert page.locator("#preview tbody tr").count() == 2
    follow(page, "text=Xác nhận nhập")
    assert "tạo mới 2" in page.locator(".messages").inner_text()
    assert Organization.unscoped.filter(parent=live_world.upper).count() == 3


def test_secretary_meets_the_scope(page, live_world):
    login(page, "bithu", PASSWORD)
    nav = page.locator("nav").inner_text()
    assert "Cây tổ chức" in nav and "Tài khoản và phân quyền" not in nav
    page.goto(f"{page.base}/orgs/{live_world.outside_branch.code}/")
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    page.goto(f"{page.base}/users/")
    assert page.locator("h1").inner_text() == "Không có quyền truy cập"
    shot(page, "scope-refusal")


def test_phone_layout_opens_the_menu(browser, live_server, live_world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.base = live_server.url
    login(page, "canbo", PASSWORD)
    assert not page.locator(".navlist").is_visible()
    page.click("text=☰ Danh mục")
    assert page.locator(".navlist").is_visible()
    follow(page, ".navlist >> text=Cây tổ chức")
    assert page.locator("h1").inner_text() == "Cây tổ chức"
    shot(page, "phone-tree")
    context.close()


def test_the_officer_pages_through_the_history_and_filters_it(page, live_world):
    officer = live_world.users[Role.OFFICER]
    for number in range(60):
        update_member(officer, live_world.member, {"phone": f"09{number:08d}"})
    login(page, "canbo", PASSWORD)
    follow(page, 'nav >> text="Lịch sử thay đổi"')
    assert page.locator("#result-count").inner_text().startswith("60 thay đổi")
    follow(page, '.pager >> text="2"')
    assert "trang 2/2" in page.locator("#result-count").inner_text()
    assert "0900000000" in page.locator("table").inner_text()  # the oldest, on the last page
    page.fill("#record", live_world.member.full_name)
    page.fill("#person", "canbo")
    follow(page, "#history-filters button[type=submit]")
    assert page.locator("#result-count").inner_text().startswith("60 thay đổi")
    shot(page, "history-pager")
