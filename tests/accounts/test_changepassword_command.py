"""`dangvien changepassword` (Django's command, run by the operator on the server) leaves an
`auth.password_change` in the audit like a change on the web; the web change and an
administrator's reset are recorded once each, as before."""

from unittest import mock

from django.core.management import call_command

from dangvien.accounts.models import User
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.factories import PASSWORD

NEW_PASSWORD = "Cau-Long-Bien-buoi-sang-2027"


def test_changepassword_on_the_console_is_recorded(world):
    secretary = world.users[Role.SECRETARY]
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", "bithu")
    assert User.objects.get(pk=secretary.pk).check_password(NEW_PASSWORD)
    [entry] = AuditEntry.unscoped.filter(action="auth.password_change")
    assert entry.actor is None and entry.target_id == secretary.pk
    assert entry.org_path == "" and entry.changes == {"channel": [None, "console"]}
    assert entry.action_label == "Đổi mật khẩu" and NEW_PASSWORD not in str(entry.changes)


def test_the_web_change_and_the_reset_are_each_recorded_once(world):
    secretary = world.users[Role.SECRETARY]
    client = world.client(Role.SECRETARY)
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR="10.41.0.1",
    )
    assert response.status_code == 302
    [entry] = AuditEntry.unscoped.filter(action="auth.password_change")
    assert entry.actor == secretary and entry.changes["ip_address"] == [None, "10.41.0.1"]

    admin = world.client(Role.ADMIN)
    response = admin.post(
        f"/users/{secretary.pk}/password-reset/",
        {"temporary_password": "Tam-thoi-Song-Lam-42", "reason": "Quên mật khẩu"},
    )
    assert response.status_code == 302
    assert AuditEntry.unscoped.filter(action="auth.password_change").count() == 1
    assert AuditEntry.unscoped.filter(action="auth.password_reset").count() == 1


def test_a_password_hash_upgraded_at_sign_in_is_no_change(world, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert world.client(Role.SECRETARY).get("/").status_code == 200  # MD5 hash upgraded
    assert User.objects.get(username="bithu").password.startswith("pbkdf2_")
    assert not AuditEntry.unscoped.filter(action="auth.password_change").exists()
