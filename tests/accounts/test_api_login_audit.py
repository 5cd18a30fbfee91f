"""A successful sign-in through HTTP Basic on the API is in the audit like one on the login
page, at most once per user and address every 15 minutes (a script calling every second would
otherwise flood the audit)."""

import base64
import datetime

import time_machine
from django.test import Client
from django.utils import timezone

from dangvien.accounts.api_auth import API_LOGIN_RECORD_MINUTES
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.factories import PASSWORD


def basic(username, password=PASSWORD):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def logins():
    return list(AuditEntry.unscoped.filter(action="auth.login").order_by("id"))


def test_a_basic_sign_in_is_recorded_once_per_user_and_address_per_period(world):
    inspector = world.users[Role.INSPECTOR]
    client = Client()
    for _ in range(3):
        response = client.get("/api/v1/me/", **basic("kiemtra"), REMOTE_ADDR="10.40.0.1")
        assert response.status_code == 200
    [entry] = logins()
    assert (entry.actor, entry.target_id, entry.org_path) == (inspector, inspector.pk, "")
    assert entry.changes == {"ip_address": [None, "10.40.0.1"], "channel": [None, "api"]}
    assert entry.action_label == "Đăng nhập"

    # Another address is another sign-in; so is the same one once the period has passed.
    assert client.get("/api/v1/me/", **basic("kiemtra"), REMOTE_ADDR="10.40.0.2").status_code == 200
    assert [e.changes["ip_address"][1] for e in logins()] == ["10.40.0.1", "10.40.0.2"]
    later = timezone.now() + datetime.timedelta(minutes=API_LOGIN_RECORD_MINUTES, seconds=5)
    with time_machine.travel(later, tick=False):
        response = client.get("/api/v1/me/", **basic("kiemtra"), REMOTE_ADDR="10.40.0.1")
        assert response.status_code == 200
    assert [e.changes["ip_address"][1] for e in logins()] == ["10.40.0.1", "10.40.0.2", "10.40.0.1"]


def test_a_refused_basic_sign_in_is_no_login(world, settings):
    """The right password of an account that must use a second factor opens nothing: no
    login in the audit (the refusal is the API's 403)."""
    settings.DANGVIEN_REQUIRE_2FA = True
    response = Client().get("/api/v1/me/", **basic("canbo"), REMOTE_ADDR="10.40.0.3")
    assert response.status_code == 403
    assert logins() == []
    response = Client().get("/api/v1/me/", **basic("kiemtra", "sai"), REMOTE_ADDR="10.40.0.3")
    assert response.status_code in (401, 403)
    assert logins() == []
    assert AuditEntry.unscoped.filter(action="auth.login_failed").count() == 1


def test_a_locked_account_is_told_with_retry_after_and_no_extra_text(world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = Client().get("/api/v1/me/", **basic("kiemtra", "sai"), REMOTE_ADDR="10.40.0.4")
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert detail.startswith("Đăng nhập tạm thời bị khóa") and detail == detail.strip()
    assert "Expected available" not in detail
    assert int(response["Retry-After"]) == settings.LOCKOUT_MINUTES * 60
