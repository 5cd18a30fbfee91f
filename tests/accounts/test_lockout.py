"""Repeated failed sign-ins lock the account and the address for a while (django-axes), on the
web login and on the API's Basic authentication, with the reason in Vietnamese."""

import base64
import datetime

import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from dangvien.core.roles import Role
from tests.factories import PASSWORD

LOCKED = "Đăng nhập tạm thời bị khóa"


def sign_in(client, username, password, address="10.1.1.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_account_locks_after_the_limit_and_opens_after_the_cool_off(world):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        response = sign_in(client, "bithu", f"sai-lan-{attempt}")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    response = sign_in(client, "bithu", "sai-lan-cuoi")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and f"đã nhập sai {limit} lần" in page
    assert f"thử lại sau {settings.LOCKOUT_MINUTES} phút" in page

    # The right password is refused too, from the same address and from another one.
    for address in ("10.1.1.1", "10.9.9.9"):
        response = sign_in(client, "bithu", PASSWORD, address)
        assert response.status_code == 429 and LOCKED in response.content.decode()
        assert "_auth_user_id" not in client.session

    almost = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES - 1)
    with time_machine.travel(almost, tick=False):
        assert sign_in(client, "bithu", PASSWORD).status_code == 429
    later = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES, seconds=5)
    with time_machine.travel(later, tick=False):
        response = sign_in(client, "bithu", PASSWORD)
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_one_address_trying_many_accounts_is_locked(world):
    """Password spraying: one failure on each of several accounts from one address."""
    client = Client()
    names = ["bithu", "canbo", "kiemtra", "dangvien", "khongco"]
    for name in names[: settings.AXES_FAILURE_LIMIT]:
        response = sign_in(client, name, "doan-mat-khau-2026", "10.2.2.2")
    assert response.status_code == 429
    # That address may not sign in even with a right password; another address may.
    assert sign_in(client, "bithu", PASSWORD, "10.2.2.2").status_code == 429
    assert sign_in(Client(), "bithu", PASSWORD, "10.3.3.3").status_code == 302


def test_one_account_tried_from_many_addresses_is_locked(world):
    for index in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(Client(), "canbo", "sai-mat-khau", f"10.4.4.{index}")
    assert response.status_code == 429
    assert sign_in(Client(), "canbo", PASSWORD, "10.4.4.200").status_code == 429
    # Other accounts from a fresh address are not affected.
    assert sign_in(Client(), "bithu", PASSWORD, "10.4.4.201").status_code == 302


def test_basic_authentication_on_the_api_is_counted_and_locked(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.get("/api/v1/me/", **basic("bithu", "sai"), REMOTE_ADDR="10.5.5.5")
        assert response.status_code in (401, 403)
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.json()["detail"]
    response = client.get("/api/v1/me/", **basic("bithu", "sai"), REMOTE_ADDR="10.5.5.5")
    assert response.status_code == 429
    assert LOCKED in response.json()["detail"]
    assert int(response["Retry-After"]) == settings.LOCKOUT_MINUTES * 60
    # The right password is refused over the API and on the web login while locked.
    response = client.get("/api/v1/me/", **basic("bithu", PASSWORD), REMOTE_ADDR="10.6.6.6")
    assert response.status_code == 429 and LOCKED in response.json()["detail"]
    assert sign_in(Client(), "bithu", PASSWORD, "10.7.7.7").status_code == 429

    later = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES, seconds=5)
    with time_machine.travel(later, tick=False):
        response = client.get("/api/v1/me/", **basic("bithu", PASSWORD), REMOTE_ADDR="10.6.6.6")
        assert response.status_code == 200
        assert response.json()["username"] == "bithu"


def test_an_administrator_lifts_the_lockout(world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "bithu", "sai-mat-khau", "10.8.8.8")
    secretary = world.users[Role.SECRETARY]
    admin = world.client(Role.ADMIN)
    page = admin.get(f"/users/{secretary.pk}/").content.decode()
    assert "Tài khoản đang bị tạm khóa đăng nhập" in page
    assert "Gỡ tạm khóa của tài khoản này" in page and "10.8.8.8" in page

    # Only an administrator may lift it.
    officer = world.client(Role.OFFICER)
    unlocking = {"reason": "Người dùng gọi điện báo nhập nhầm"}
    assert officer.get(f"/users/{secretary.pk}/unlock/").status_code == 403
    assert officer.post(f"/users/{secretary.pk}/unlock/", unlocking).status_code == 403
    assert sign_in(Client(), "bithu", PASSWORD, "10.8.8.9").status_code == 429

    assert admin.post(f"/users/{secretary.pk}/unlock/", unlocking).status_code == 302
    assert sign_in(Client(), "bithu", PASSWORD, "10.8.8.9").status_code == 302
    # The address those failures locked is open again too.
    assert sign_in(Client(), "bithu", PASSWORD, "10.8.8.8").status_code == 302


def test_behind_a_proxy_the_appended_address_counts_and_a_forged_one_does_not(world, settings):
    """nginx appends the address it saw; what the client put in the header before is ignored."""
    settings.PROXY_COUNT = 1
    for index in range(settings.AXES_FAILURE_LIMIT):
        response = Client().post(
            "/login/",
            {"username": f"khongco{index}", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{index}, 203.0.113.9",
        )
    assert response.status_code == 429
    # The proxy's own address is not locked: another client behind it signs in.
    response = Client().post(
        "/login/",
        {"username": "bithu", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert response.status_code == 302
