"""`dangvien demo` serves without the TOTP step (its accounts have no phone app) and says so,
unless DANGVIEN_REQUIRE_2FA=1 asks for it; production settings keep it on."""

import io

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from dangvien.demo.management.commands import demo


@pytest.mark.parametrize(
    ("environment", "served_with", "printed"),
    [
        (None, False, "Xác thực hai lớp: TẮT trong bản demo"),
        ("1", True, "Xác thực hai lớp: BẬT"),
    ],
)
@pytest.mark.django_db
def test_demo_server_two_factor(settings, monkeypatch, environment, served_with, printed):
    settings.DANGVIEN_REQUIRE_2FA = True  # as production settings have it
    if environment is None:
        monkeypatch.delenv("DANGVIEN_REQUIRE_2FA", raising=False)
    else:
        monkeypatch.setenv("DANGVIEN_REQUIRE_2FA", environment)
    served = []

    def call(name, *args, **kwargs):
        if name == "runserver":
            served.append(django_settings.DANGVIEN_REQUIRE_2FA)
        else:
            call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", call)
    monkeypatch.setattr(demo, "is_empty", lambda: False)
    out = io.StringIO()
    call_command("demo", "--port", "8765", stdout=out)
    assert served == [served_with]
    assert printed in out.getvalue()
    assert django_settings.DANGVIEN_REQUIRE_2FA is True  # only the demo's server had it off
