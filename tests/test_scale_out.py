"""The app tier keeps no state: two app processes on one PostgreSQL serve the same session, and
the reports' reads go to a replica when one is configured (docs/deployment.md)."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from dangvien.core import routers
from dangvien.core.routers import ReplicaRouter, on_replica
from tests.factories import PASSWORD, UserFactory
from tests.reports.commands import run_report

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(port: int, env: dict) -> subprocess.Popen:
    """One gunicorn process of the packaged app on 127.0.0.1:`port`; waits until it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dangvien.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the app on port {port} did not start in 30 s")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_session_made_on_one_app_process_works_on_another():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (runs in CI's PostgreSQL pass)")
    user = UserFactory(username="canbo_haimay")
    # The app processes check passwords with the production hashers, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "DANGVIEN_SECRET_KEY": "the-same-secret-on-every-app-host",
    }
    env.pop("DANGVIEN_REPLICA_DATABASE_URL", None)
    first, second = free_port(), free_port()
    apps = [start_app(first, env), start_app(second, env)]
    try:
        cookies = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        login_page = browser.open(f"http://127.0.0.1:{first}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)[1]
        form = {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        request = urllib.request.Request(
            f"http://127.0.0.1:{first}/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": f"http://127.0.0.1:{first}/login/"},
        )
        browser.open(request).read()
        # The session cookie from the first process opens pages on the second.
        home = browser.open(f"http://127.0.0.1:{second}/")
        assert home.url == f"http://127.0.0.1:{second}/"
        assert "Đăng xuất" in home.read().decode()
        anonymous = urllib.request.urlopen(f"http://127.0.0.1:{second}/")
        assert anonymous.url.startswith(f"http://127.0.0.1:{second}/login/")
    finally:
        for app in apps:
            app.terminate()
            app.wait(timeout=10)


def test_reads_go_to_the_replica_only_inside_on_replica(monkeypatch):
    monkeypatch.setattr(
        routers, "settings", type("S", (), {"DATABASES": {"default": {}, "replica": {}}})
    )
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with on_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "members") is False


def test_without_a_replica_reports_read_the_primary():
    with on_replica():
        assert ReplicaRouter().db_for_read(None) == "default"


@pytest.mark.django_db
def test_report_pages_and_the_report_command_read_from_the_replica(world, monkeypatch):
    seen = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append((model._meta.app_label, routers._on_replica.get()))
        return original(self, model, **hints)

    def report_reads() -> list[bool]:
        """Whether each read of the report itself (not the session, user and two-factor device
        of the request, which the middleware reads before the view) went to the replica."""
        return [flag for app, flag in seen if app not in ("sessions", "accounts", "otp_totp")]

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    client = world.client("officer")
    for url in ("/reports/structure/", "/reports/quality/?year=2024", "/reports/admissions/"):
        seen.clear()
        assert client.get(url, {"org": world.upper.code}).status_code == 200
        assert report_reads() and all(report_reads()), url
    seen.clear()
    status, _out, _err = run_report("structure", "--org", world.upper.code)
    assert status == 0
    assert report_reads() and all(report_reads())
    seen.clear()
    assert client.get("/members/").status_code == 200
    assert report_reads() and not any(report_reads())  # other pages read the primary
