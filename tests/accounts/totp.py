"""Helpers for the two-factor tests: a confirmed TOTP device and the codes its app would show."""

import base64
import re

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)


def code_for(key: bytes, steps_ahead: int = 0) -> str:
    """The 6 digits an authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    return f"{totp(key, drift=steps_ahead):06d}"


def device_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return code_for(device.bin_key, steps_ahead)


def secret_on_page(html: str) -> bytes:
    """The key behind the base32 secret the setup page shows (what a person types in an app)."""
    text = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html)[1]
    return base64.b32decode(text.replace(" ", ""))


def password_client(user) -> Client:
    """A client past the password step only (what a stolen password gives)."""
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def verified_client(user, device: TOTPDevice) -> Client:
    client = password_client(user)
    response = client.post("/account/two-factor/verify/", {"token": device_code(device)})
    assert response.status_code == 302, response.content.decode()
    return client
