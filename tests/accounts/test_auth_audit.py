"""Sign-ins, failed sign-ins, sign-outs, lockouts and password changes leave an audit entry
about the account (or the name tried), with the client's address."""

from django.conf import settings
from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.factories import PASSWORD


def entries(action):
    return list(AuditEntry.unscoped.filter(action=action).order_by("id"))


def test_login_and_logout_are_recorded_with_the_address(world):
    client = Client()
    client.post("/login/", {"username": "bithu", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5")
    client.post("/logout/", REMOTE_ADDR="10.0.0.5")
    secretary = world.users[Role.SECRETARY]
    for action in ("auth.login", "auth.logout"):
        [entry] = [e for e in entries(action) if e.changes["ip_address"][1] == "10.0.0.5"]
        assert (entry.target_type, entry.target_id) == ("accounts.user", secretary.pk)
        assert entry.actor_id == secretary.pk and entry.changes["channel"] == [None, "web"]
    assert entries("auth.login")[-1].action_label == "Đăng nhập"


def test_failed_logins_are_recorded_for_known_and_unknown_names(world):
    client = Client()
    client.post("/login/", {"username": "bithu", "password": "sai"}, REMOTE_ADDR="10.0.0.6")
    client.post("/login/", {"username": "ai-do", "password": "sai"}, REMOTE_ADDR="10.0.0.6")
    known, unknown = entries("auth.login_failed")
    assert known.target_id == world.users[Role.SECRETARY].pk and known.reason == "Sai mật khẩu."
    assert known.actor is None and known.changes["ip_address"] == [None, "10.0.0.6"]
    assert (unknown.target_type, unknown.target_id) == ("accounts.user", 0)
    assert unknown.target_label == "ai-do" and unknown.reason == "Tên đăng nhập không tồn tại."


def test_a_failed_basic_authentication_on_the_api_is_recorded(world):
    Client().get(
        "/api/v1/me/", HTTP_AUTHORIZATION="Basic YmlnaHU6c2Fp", REMOTE_ADDR="10.0.0.7"
    )  # "bighu:sai"
    [entry] = entries("auth.login_failed")
    assert entry.target_label == "bighu" and entry.changes["channel"] == [None, "api"]
    assert entry.changes["ip_address"] == [None, "10.0.0.7"]


def test_the_lockout_is_recorded_once_and_refused_attempts_as_failures(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post("/login/", {"username": "canbo", "password": "sai"}, REMOTE_ADDR="10.0.0.8")
    [lockout] = entries("auth.lockout")
    assert lockout.target_id == world.users[Role.OFFICER].pk
    assert lockout.reason == f"Sai {settings.AXES_FAILURE_LIMIT} lần liên tiếp."
    assert lockout.changes["ip_address"] == [None, "10.0.0.8"]
    failed = entries("auth.login_failed")
    assert len(failed) == settings.AXES_FAILURE_LIMIT + 2
    assert [e.reason for e in failed[-2:]] == ["Đăng nhập đang bị tạm khóa."] * 2


def test_a_password_change_is_recorded(world):
    client = world.client(Role.SECRETARY)
    client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Cay-bang-truoc-ngo-2027",
            "new_password2": "Cay-bang-truoc-ngo-2027",
        },
        REMOTE_ADDR="10.0.0.9",
    )
    [entry] = entries("auth.password_change")
    assert entry.target_id == entry.actor_id == world.users[Role.SECRETARY].pk
    assert entry.changes["ip_address"] == [None, "10.0.0.9"]
    assert "Cay-bang" not in str(entry.changes)


def test_a_failed_login_with_control_characters_is_recorded_not_a_500(world):
    response = Client().post(
        "/login/", {"username": "\u202eadmin\x01", "password": "sai"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    [entry] = entries("auth.login_failed")
    assert entry.target_label == "\ufffdadmin\ufffd"
