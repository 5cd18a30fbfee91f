"""An administrator gives a user a temporary password; the user must change it at once."""

import base64

import pytest
from django.test import Client

from dangvien.accounts.models import User
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role

TEMPORARY = "Tam-thoi-Song-Lam-42"


def test_reset_then_the_user_must_change_before_anything_else(world):
    secretary = world.users[Role.SECRETARY]
    admin = world.client(Role.ADMIN)
    page = admin.get(f"/users/{secretary.pk}/password-reset/").content.decode()
    assert "phải đổi mật khẩu trước khi làm việc khác" in page
    # The reason is required: without it nothing changes.
    response = admin.post(
        f"/users/{secretary.pk}/password-reset/", {"temporary_password": TEMPORARY, "reason": " "}
    )
    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert not User.objects.get(pk=secretary.pk).must_change_password
    assert not AuditEntry.unscoped.filter(action="auth.password_reset").exists()
    response = admin.post(
        f"/users/{secretary.pk}/password-reset/",
        {"temporary_password": TEMPORARY, "reason": "Quên mật khẩu, đã gọi lại số cơ quan"},
    )
    assert response.status_code == 302
    entry = AuditEntry.unscoped.get(action="auth.password_reset")
    assert entry.target_id == secretary.pk and entry.actor == world.users[Role.ADMIN]
    assert entry.reason == "Quên mật khẩu, đã gọi lại số cơ quan"
    assert TEMPORARY not in str(entry.changes)

    client = Client()
    client.post("/login/", {"username": "bithu", "password": TEMPORARY})
    for url in ("/", "/members/", f"/orgs/{world.branch.code}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/password/"
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "đổi mật khẩu tạm thời" in api.json()["detail"]
    token = base64.b64encode(f"bithu:{TEMPORARY}".encode()).decode()
    basic = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert basic.status_code == 403 and "đổi mật khẩu tạm thời" in basic.json()["detail"]

    # The temporary password may not be kept.
    same = {"old_password": TEMPORARY, "new_password1": TEMPORARY, "new_password2": TEMPORARY}
    assert "Không được dùng lại" in client.post("/password/", same).content.decode()
    new = "Mot-buoi-sang-mua-xuan"
    response = client.post(
        "/password/", {"old_password": TEMPORARY, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=secretary.pk).must_change_password is False
    assert client.get("/").status_code == 200
    assert AuditEntry.unscoped.filter(action="auth.password_change").count() == 1


def test_a_weak_temporary_password_is_refused(world):
    secretary = world.users[Role.SECRETARY]
    response = world.client(Role.ADMIN).post(
        f"/users/{secretary.pk}/password-reset/",
        {"temporary_password": "matkhau123", "reason": "Quên mật khẩu"},
    )
    assert response.status_code == 400
    assert "Mật khẩu quá phổ biến" in response.content.decode()
    assert not User.objects.get(pk=secretary.pk).must_change_password


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER])
def test_only_administrators_reset_passwords(world, role):
    target = world.users[Role.MEMBER if role != Role.MEMBER else Role.SECRETARY]
    client = world.client(role)
    url = f"/users/{target.pk}/password-reset/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"temporary_password": TEMPORARY, "reason": "Thử"}).status_code == 403
    assert not AuditEntry.unscoped.filter(action="auth.password_reset").exists()
    assert not User.objects.get(pk=target.pk).check_password(TEMPORARY)
