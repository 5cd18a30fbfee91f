"""An administrator disables an account (no sign-in on the web or the API) and enables it."""

import base64

import pytest
from django.test import Client

from dangvien.accounts.models import User
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.factories import PASSWORD


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_a_disabled_account_cannot_sign_in_anywhere_until_enabled(world):
    secretary = world.users[Role.SECRETARY]
    open_session = world.client(Role.SECRETARY)
    admin = world.client(Role.ADMIN)
    page = admin.get(f"/users/{secretary.pk}/disable/").content.decode()
    assert "không đăng nhập được nữa, trên trang web lẫn qua API" in page

    # A reason is required.
    response = admin.post(f"/users/{secretary.pk}/disable/", {"reason": ""})
    assert response.status_code == 400 and User.objects.get(pk=secretary.pk).is_active
    assert "Chưa lưu." in response.content.decode()
    response = admin.post(f"/users/{secretary.pk}/disable/", {"reason": "Chuyển công tác"})
    assert response.status_code == 302
    entry = AuditEntry.unscoped.get(action="user.disable")
    assert (entry.target_id, entry.reason) == (secretary.pk, "Chuyển công tác")
    assert entry.changes["is_active"] == [True, False]

    assert open_session.get("/").status_code == 302  # the open session has ended
    response = Client().post("/login/", {"username": "bithu", "password": PASSWORD})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    api = Client().get("/api/v1/me/", **basic("bithu", PASSWORD))
    assert api.status_code in (401, 403)
    assert "vô hiệu hóa" in api.json()["detail"]
    assert "Tài khoản đã bị khóa" in admin.get(f"/users/{secretary.pk}/").content.decode()

    assert admin.post(f"/users/{secretary.pk}/enable/", {"reason": ""}).status_code == 302
    assert AuditEntry.unscoped.filter(action="user.enable", target_id=secretary.pk).exists()
    assert Client().post("/login/", {"username": "bithu", "password": PASSWORD}).status_code == 302
    assert Client().get("/api/v1/me/", **basic("bithu", PASSWORD)).status_code == 200


def test_an_administrator_cannot_disable_themself(world):
    admin = world.users[Role.ADMIN]
    response = world.client(Role.ADMIN).post(f"/users/{admin.pk}/disable/", {"reason": "thử"})
    assert "Không thể tự khóa tài khoản của chính mình." in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER])
def test_only_administrators_disable_and_enable(world, role):
    target = world.users[Role.MEMBER if role != Role.MEMBER else Role.SECRETARY]
    client = world.client(role)
    for action in ("disable", "enable"):
        assert client.get(f"/users/{target.pk}/{action}/").status_code == 403
        assert client.post(f"/users/{target.pk}/{action}/", {"reason": "x"}).status_code == 403
    assert User.objects.get(pk=target.pk).is_active
    assert not AuditEntry.unscoped.filter(action__startswith="user.").exists()
