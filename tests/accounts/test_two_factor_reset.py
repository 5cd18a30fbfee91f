"""An administrator resets the second factor of a user who lost their phone: a confirmation
page says what will change and asks for a reason, which the history keeps."""

import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.accounts.totp import enrol, verified_client


@pytest.fixture
def required(settings):
    settings.DANGVIEN_REQUIRE_2FA = True


def test_admin_resets_a_lost_device_after_confirming_with_a_reason(world, required):
    officer, admin = world.users[Role.OFFICER], world.users[Role.ADMIN]
    officer_session = verified_client(officer, enrol(officer))
    admin_client = verified_client(admin, enrol(admin))
    page = admin_client.get(f"/users/{officer.pk}/").content.decode()
    assert "Đang bật" in page and f'href="/users/{officer.pk}/two-factor/reset/"' in page

    # The link opens a confirmation page: what will change, and a reason to give.
    page = admin_client.get(f"/users/{officer.pk}/two-factor/reset/").content.decode()
    assert f"<h1>Đặt lại xác thực hai lớp: {officer.display_name}" in page
    assert "mã từ điện thoại cũ không dùng được nữa" in page
    assert "Lý do đặt lại" in page
    assert TOTPDevice.objects.filter(user=officer).exists()

    # Without a reason nothing changes.
    response = admin_client.post(f"/users/{officer.pk}/two-factor/reset/", {"reason": "  "})
    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()
    assert not AuditEntry.unscoped.filter(action="auth.2fa_reset").exists()

    response = admin_client.post(
        f"/users/{officer.pk}/two-factor/reset/",
        {"reason": "Mất điện thoại khi đi công tác"},
        REMOTE_ADDR="10.20.0.1",
        follow=True,
    )
    page = response.content.decode()
    assert "Đã đặt lại xác thực hai lớp của canbo." in page and "Chưa bật." in page
    assert not TOTPDevice.objects.filter(user=officer).exists()
    entry = AuditEntry.unscoped.get(action="auth.2fa_reset")
    assert (entry.actor, entry.target_id, entry.action_label) == (
        admin,
        officer.pk,
        "Đặt lại xác thực hai lớp",
    )
    assert entry.reason == "Mất điện thoại khi đi công tác"
    assert entry.changes["ip_address"] == [None, "10.20.0.1"]
    # Filed like every other account event: under no organisation.
    assert entry.org_path == ""
    # The officer's open session no longer counts as verified: set up a new phone first.
    response = officer_session.get("/members/")
    assert response["Location"].startswith("/account/two-factor/?next=")


def test_only_an_administrator_resets(world):
    secretary = world.users[Role.SECRETARY]
    enrol(secretary)
    officer = world.client(Role.OFFICER)
    assert "Đặt lại xác thực hai lớp" not in officer.get(f"/users/{secretary.pk}/").content.decode()
    assert officer.get(f"/users/{secretary.pk}/two-factor/reset/").status_code == 403
    response = officer.post(f"/users/{secretary.pk}/two-factor/reset/", {"reason": "Thử"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=secretary).exists()
    assert not AuditEntry.unscoped.filter(action="auth.2fa_reset").exists()


def test_reset_of_a_user_without_device_says_so(world):
    inspector = world.users[Role.INSPECTOR]
    response = world.client(Role.ADMIN).post(
        f"/users/{inspector.pk}/two-factor/reset/", {"reason": "Đổi điện thoại"}
    )
    assert "Tài khoản này chưa bật xác thực hai lớp." in response.content.decode()
    assert not AuditEntry.unscoped.filter(action="auth.2fa_reset").exists()


def test_the_operator_resets_the_last_administrator_from_the_console(world):
    admin = world.users[Role.ADMIN]
    enrol(admin)
    out = io.StringIO()
    call_command("reset_two_factor", "quantri", "--reason", "Mất điện thoại", stdout=out)
    assert "Đã đặt lại xác thực hai lớp của quantri" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    entry = AuditEntry.unscoped.get(action="auth.2fa_reset")
    assert entry.actor is None and entry.target_id == admin.pk
    assert entry.reason == "Mất điện thoại" and entry.org_path == ""
    # Without --reason the history still says it came from the console.
    enrol(admin)
    call_command("reset_two_factor", "quantri", stdout=io.StringIO())
    latest = AuditEntry.unscoped.filter(action="auth.2fa_reset").latest("id")
    assert latest.reason == "Đặt lại trên máy chủ bằng lệnh reset_two_factor."
    with pytest.raises(CommandError, match="chưa bật xác thực hai lớp"):
        call_command("reset_two_factor", "quantri")
    with pytest.raises(CommandError, match="Không có tài khoản khong-co"):
        call_command("reset_two_factor", "khong-co")
