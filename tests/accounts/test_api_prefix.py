"""Where the API lives is written once (accounts/channels.py): the password-change, idle-time and
two-factor middlewares and the audit's channel all ask it."""

from pathlib import Path

from django.test import RequestFactory

import dangvien.accounts
from dangvien.accounts.channels import API_PREFIX, channel, is_api


def test_the_api_prefix_is_written_once_in_accounts():
    package = Path(dangvien.accounts.__file__).parent
    writers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if f'"{API_PREFIX}"' in path.read_text(encoding="utf-8")
    ]
    assert writers == ["channels.py"]


def test_requests_under_the_prefix_are_the_api_channel():
    factory = RequestFactory()
    assert is_api(factory.get("/api/v1/me/")) and channel(factory.get("/api/v1/me/")) == "api"
    assert not is_api(factory.get("/members/")) and channel(factory.get("/apis/")) == "web"
