"""Signing in and out, in Vietnamese, and changing one's password."""

from dangvien.core.roles import Role
from tests.factories import PASSWORD


def test_login_shows_vietnamese_error_on_wrong_password(world, client):
    response = client.post("/login/", {"username": "canbo", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_login_then_navigation_by_role(world, client):
    response = client.post("/login/", {"username": "canbo", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "Cây tổ chức" in page and "Tài khoản và phân quyền" in page
    member_page = world.client(Role.MEMBER).get("/").content.decode()
    assert "Cây tổ chức" not in member_page and "Tài khoản và phân quyền" not in member_page
    inspector_page = world.client(Role.INSPECTOR).get("/").content.decode()
    assert "Cây tổ chức" in inspector_page and "Nhập tổ chức đảng" not in inspector_page


def test_logout_ends_the_session(world):
    client = world.client(Role.OFFICER)
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_password_change(world):
    client = world.client(Role.SECRETARY)
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu" in response.content.decode()
    client.logout()
    assert client.login(username="bithu", password="Mot-mat-khau-moi-2026")


def test_password_change_errors_are_vietnamese(world):
    response = world.client(Role.SECRETARY).post(
        "/password/", {"old_password": "sai", "new_password1": "a", "new_password2": "b"}
    )
    assert "Mật khẩu cũ không chính xác." in response.content.decode()
