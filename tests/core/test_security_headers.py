"""Every page carries a Content-Security-Policy without inline code, and HSTS follows the
environment of an HTTPS deployment (docs/deployment.md)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dangvien.core.roles import Role
from tests.tools import own_sqlite_only

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "dangvien" / "templates"
# Rendered to PDF by WeasyPrint only, never served to a browser: their <style> is no CSP matter.
PDF_ONLY = {
    "members/print_record.html",
    "members/print_list.html",
    "reports/_pdf_base.html",
    "documents/party_document.html",
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (item.strip() for item in header.split(";"))
        if part
    }


def test_pages_carry_the_policy_and_the_other_headers(world, client):
    for response in (client.get("/login/"), world.client(Role.OFFICER).get("/members/")):
        policy = _policy(response)
        assert policy["default-src"] == "'self'"
        assert policy["img-src"] == "'self' data:"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "unsafe-eval" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response  # plain HTTP: none by default


def test_served_templates_have_no_inline_script_style_or_handler():
    """What the policy would block (inline code) must not be in the pages at all."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_ONLY or name.endswith("_pdf.html"):
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+="):
            found += [f"{name}: {match}" for match in re.findall(pattern, text)]
    assert found == []


def _headers_under(env_values: dict, tmp_path, forwarded_proto: str | None) -> dict:
    """Response headers of /login/ from a fresh process with these environment variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DANGVIEN_")}
    env.pop("DATABASE_URL", None)
    env.update(
        env_values,
        DANGVIEN_DATA_DIR=str(tmp_path),
        DANGVIEN_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="dangvien.settings",
    )
    extra = f", HTTP_X_FORWARDED_PROTO={forwarded_proto!r}" if forwarded_proto else ""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        f"response = Client().get('/login/'{extra});"
        "assert response.status_code == 200, response.status_code;"
        "print(json.dumps(dict(response.headers)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


@own_sqlite_only
@pytest.mark.child_processes
def test_hsts_behind_a_tls_proxy(tmp_path):
    https = {"DANGVIEN_HSTS_SECONDS": "31536000", "DANGVIEN_BEHIND_TLS_PROXY": "1"}
    headers = _headers_under(https, tmp_path, forwarded_proto="https")
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    # The proxy's plain-HTTP side (a health check) gets no HSTS.
    assert "Strict-Transport-Security" not in _headers_under(https, tmp_path, forwarded_proto=None)
    # Without DANGVIEN_BEHIND_TLS_PROXY the forwarded header is not trusted.
    untrusted = _headers_under({"DANGVIEN_HSTS_SECONDS": "31536000"}, tmp_path, "https")
    assert "Strict-Transport-Security" not in untrusted
    # By default (an HTTP deployment) there is none even over TLS.
    default = _headers_under({"DANGVIEN_BEHIND_TLS_PROXY": "1"}, tmp_path, "https")
    assert "Strict-Transport-Security" not in default
