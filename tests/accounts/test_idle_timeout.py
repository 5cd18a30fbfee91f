"""A session idle for DANGVIEN_IDLE_MINUTES ends; reading pages writes the session at most once
a minute; the session cookie ends with the browser."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.core.roles import Role
from tests.accounts.totp import password_client


def _session_writes(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1
        for query in queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().startswith(("UPDATE", "INSERT"))
    )


def test_an_idle_session_ends_with_a_message(world):
    client = password_client(world.users[Role.OFFICER])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/members/").status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/members/").status_code == 200  # activity moves the deadline on
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get("/members/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/members/?page=2")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/members/%3Fpage%3D2"
        page = client.get(response["Location"]).content.decode()
        assert "Phiên làm việc đã kết thúc vì không thao tác trong 30 phút." in page
        assert client.get("/members/")["Location"].startswith("/login/")
        assert client.get("/api/v1/me/").status_code in {401, 403}


def test_the_idle_limit_is_a_setting(world, settings):
    settings.DANGVIEN_IDLE_MINUTES = 5
    client = password_client(world.users[Role.SECRETARY])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=6))
        assert client.get("/")["Location"].startswith("/login/")


def test_the_api_with_an_idle_session_is_refused(world):
    client = password_client(world.users[Role.SECRETARY])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/api/v1/me/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        assert client.get("/api/v1/me/").status_code in {401, 403}


def test_reading_pages_writes_the_session_at_most_once_a_minute(world):
    client = password_client(world.users[Role.SECRETARY])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert _session_writes(client, "/") == 1  # the first request after signing in
        for _ in range(5):
            clock.shift(datetime.timedelta(seconds=10))
            assert _session_writes(client, "/") == 0
        clock.shift(datetime.timedelta(seconds=15))
        assert _session_writes(client, "/") == 1


def test_the_session_cookie_ends_with_the_browser(world):
    client = password_client(world.users[Role.SECRETARY])
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
