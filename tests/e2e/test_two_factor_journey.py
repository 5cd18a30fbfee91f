"""In the browser, under the Content-Security-Policy: an administrator sets up the phone app
from the QR page, signs in again with a code; the history's period list still submits itself."""

import pytest

from tests.accounts.totp import code_for, secret_on_page
from tests.conftest import build_world
from tests.e2e.conftest import follow, login, shot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(transactional_db, settings):
    settings.DANGVIEN_REQUIRE_2FA = True
    return build_world()


def test_admin_sets_up_two_factor_and_signs_in_with_a_code(page, live_world):
    login(page, "quantri", PASSWORD)
    assert page.locator("h1").inner_text() == "Bật xác thực hai lớp"
    qr_width = page.locator("img.qr").evaluate("image => image.naturalWidth")
    assert qr_width > 0  # the data: image is drawn, not blocked
    shot(page, "two-factor-setup")
    key = secret_on_page(page.content())
    page.fill("#id_token", code_for(key))
    follow(page, "text=Xác nhận và bật")
    assert "Đã bật xác thực hai lớp" in page.locator(".messages").inner_text()

    follow(page, "text=Đăng xuất")
    login(page, "quantri", PASSWORD)
    assert page.locator("h1").inner_text() == "Mã xác thực"
    page.fill("#id_token", code_for(key, steps_ahead=1))  # a code not used yet
    follow(page, "button[type=submit] >> text=Xác nhận")
    assert page.locator("h1").inner_text().startswith("Xin chào")

    page.goto(f"{page.base}/history/")
    page.select_option("#action", "user.create")
    follow(page, "#history-filters button[type=submit]")
    assert "action=user.create" in page.url and page.locator("#result-count").is_visible()
