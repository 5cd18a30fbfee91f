"""A user sets up TOTP: the page shows the QR code and secret, a code from them turns it on."""

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.accounts.totp import code_for, enrol, password_client, secret_on_page


@pytest.fixture
def required(settings):
    settings.DANGVIEN_REQUIRE_2FA = True


def test_a_secretary_opts_in_and_is_asked_for_the_code_from_then_on(world):
    secretary = world.users[Role.SECRETARY]
    client = world.client(Role.SECRETARY)
    page = client.get("/account/two-factor/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page and "Bật xác thực hai lớp" in page
    key = secret_on_page(page)

    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post("/account/two-factor/", {"token": wrong})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=secretary).exists()
    response = client.post("/account/two-factor/", {"token": "12ab"})
    assert "Mã xác thực gồm đúng 6 chữ số." in response.content.decode()

    response = client.post("/account/two-factor/", {"token": code_for(key)}, follow=True)
    assert "Đã bật xác thực hai lớp" in response.content.decode()
    device = TOTPDevice.objects.get(user=secretary, confirmed=True)
    assert device.bin_key == key
    entry = AuditEntry.unscoped.get(action="auth.2fa_enabled")
    assert (entry.actor, entry.target_id, entry.action_label) == (
        secretary,
        secretary.pk,
        "Bật xác thực hai lớp",
    )
    # Filed like every other account event: under no organisation, with the address.
    assert entry.org_path == "" and entry.changes["ip_address"] == [None, "127.0.0.1"]
    assert client.get("/members/").status_code == 200  # this session passed the step

    again = password_client(secretary)
    response = again.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/verify/")


def test_the_secret_stays_the_same_until_confirmed(world):
    client = world.client(Role.INSPECTOR)
    first = secret_on_page(client.get("/account/two-factor/").content.decode())
    assert secret_on_page(client.get("/account/two-factor/").content.decode()) == first


def test_an_officer_must_set_it_up_before_any_page(world, required):
    officer = world.users[Role.OFFICER]
    client = password_client(officer)
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Fmembers%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Vai trò của bạn bắt buộc" in page
    key = secret_on_page(page)
    response = client.post("/account/two-factor/", {"token": code_for(key), "next": "/members/"})
    assert response["Location"] == "/members/"
    assert client.get("/members/").status_code == 200


def test_a_stolen_password_cannot_enrol_a_second_device(world):
    """With the password alone, the setup page sends to the code step and keeps no new key."""
    admin = world.users[Role.ADMIN]
    enrol(admin)
    client = password_client(admin)
    response = client.get("/account/two-factor/")
    assert response["Location"].startswith("/account/two-factor/verify/")
    client.post("/account/two-factor/", {"token": "123456"})
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_the_confirming_code_cannot_be_replayed_at_sign_in(world):
    secretary = world.users[Role.SECRETARY]
    with time_machine.travel(timezone.now(), tick=False):  # one 30-second step throughout
        _confirm_then_replay(world, secretary)


def _confirm_then_replay(world, secretary):
    client = world.client(Role.SECRETARY)
    key = secret_on_page(client.get("/account/two-factor/").content.decode())
    client.post("/account/two-factor/", {"token": code_for(key)})
    thief = password_client(secretary)
    response = thief.post("/account/two-factor/verify/", {"token": code_for(key)})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
