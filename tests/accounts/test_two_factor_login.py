"""Signing in with a second step: after the password, the code; nothing is served before it,
on the web or the API."""

import base64
import datetime
import os
import subprocess
import sys

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.accounts.totp import device_code, enrol, password_client, verified_client
from tests.factories import PASSWORD
from tests.test_scope_walk import all_routes

OPEN_TO_UNVERIFIED = {"login", "logout", "two_factor_setup", "two_factor_verify"}


@pytest.fixture
def required(settings):
    settings.DANGVIEN_REQUIRE_2FA = True


def test_wrong_then_right_code(world, required):
    admin = world.users[Role.ADMIN]
    device = enrol(admin)
    client = Client()
    response = client.post(
        "/login/?next=/orgs/", {"username": "quantri", "password": PASSWORD, "next": "/orgs/"}
    )
    response = client.get(response["Location"])
    assert response["Location"] == "/account/two-factor/verify/?next=%2Forgs%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Nhập mã 6 chữ số" in page

    wrong = f"{(int(device_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/account/two-factor/verify/", {"token": wrong, "next": "/orgs/"})
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert client.get("/orgs/").status_code == 302

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        response = client.post(
            "/account/two-factor/verify/", {"token": device_code(device), "next": "/orgs/"}
        )
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    assert client.get("/orgs/").status_code == 200


def test_guessing_codes_slows_down(world):
    """After a wrong code the next try must wait (1, 2, 4… seconds): no fast guessing."""
    device = enrol(world.users[Role.SECRETARY])
    client = password_client(world.users[Role.SECRETARY])
    wrong = f"{(int(device_code(device)) + 1) % 1_000_000:06d}"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post("/account/two-factor/verify/", {"token": wrong})
        client.post("/account/two-factor/verify/", {"token": wrong})
        response = client.post("/account/two-factor/verify/", {"token": device_code(device)})
        assert "Đã nhập sai nhiều lần. Vui lòng thử lại sau 2 giây." in response.content.decode()
        clock.shift(3)
        response = client.post("/account/two-factor/verify/", {"token": device_code(device)})
    assert response.status_code == 302


def test_the_session_key_changes_when_the_code_is_accepted(world):
    device = enrol(world.users[Role.INSPECTOR])
    client = password_client(world.users[Role.INSPECTOR])
    before = client.cookies["sessionid"].value
    client.post("/account/two-factor/verify/", {"token": device_code(device)})
    assert client.cookies["sessionid"].value != before


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER])
def test_required_roles_reach_no_page_before_the_step(world, required, role):
    """Walk every URL after the password alone: each one sends to the step or refuses."""
    user = world.users[role]
    _walk(password_client(user), "/account/two-factor/?next=")
    enrol(user)
    _walk(password_client(user), "/account/two-factor/verify/?next=")


def _walk(client, step_prefix):
    """Every URL the resolver knows (the step comes before the view: any id will do)."""
    before = AuditEntry.unscoped.count()
    for route in all_routes():
        if route.name in OPEN_TO_UNVERIFIED:
            continue
        url = reverse(route.name, kwargs=dict.fromkeys(route.params, 1))
        for method in (client.get, client.post):
            response = method(url)
            if route.name.startswith("api:"):
                assert response.status_code == 403, f"{method.__name__} {url}"
                assert "xác thực hai lớp" in response.json()["detail"]
            else:
                assert response.status_code == 302, f"{method.__name__} {url}"
                assert response["Location"].startswith(step_prefix), url
    assert AuditEntry.unscoped.count() == before


def test_roles_not_required_sign_in_with_the_password_alone(world, required):
    for role in (Role.SECRETARY, Role.INSPECTOR, Role.MEMBER):
        response = password_client(world.users[role]).get("/")
        assert response.status_code == 200, role


def test_with_the_setting_off_officers_need_no_code(world):
    assert password_client(world.users[Role.OFFICER]).get("/members/").status_code == 200


def _basic(user) -> dict:
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_is_no_way_around_the_step(world, required):
    officer, secretary = world.users[Role.OFFICER], world.users[Role.SECRETARY]
    response = Client().get("/api/v1/me/", **_basic(officer))
    assert response.status_code in {401, 403}
    assert "xác thực hai lớp" in response.json()["detail"]
    # A user who opted in is refused Basic as well; one who did not keeps it.
    assert Client().get("/api/v1/me/", **_basic(secretary)).status_code == 200
    device = enrol(secretary)
    assert Client().get("/api/v1/me/", **_basic(secretary)).status_code in {401, 403}

    assert password_client(officer).get("/api/v1/me/").status_code == 403
    verified = verified_client(secretary, device)
    assert verified.get("/api/v1/me/").json()["username"] == secretary.username


def test_production_settings_require_it_by_default(tmp_path):
    """Without DANGVIEN_REQUIRE_2FA in the environment the requirement is on."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DANGVIEN_REQUIRE_2FA", "DATABASE_URL"}
    }
    env.update(DANGVIEN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="dangvien.settings")
    code = "from django.conf import settings; print(settings.DANGVIEN_REQUIRE_2FA)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"
    env["DANGVIEN_REQUIRE_2FA"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
