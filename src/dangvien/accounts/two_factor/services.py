"""Who must use a second factor, and every write of the two-factor devices (with history)."""

import base64
import io
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from dangvien.accounts.events import record_account_event
from dangvien.accounts.models import User
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import Role
from dangvien.core.scope import scope_of

# Roles that must sign in with a code when settings.DANGVIEN_REQUIRE_2FA is on: they change
# records and accounts across whole subtrees.
REQUIRED_ROLES = (Role.ADMIN, Role.OFFICER)
DEVICE_NAME = "Ứng dụng xác thực"


def is_required(user) -> bool:
    """The setting is on and the user holds an administrator's or officer's role."""
    return bool(settings.DANGVIEN_REQUIRE_2FA) and (
        user.is_superuser
        or user.role_bindings.filter(active=True, role__in=REQUIRED_ROLES).exists()
    )


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_secret() -> str:
    """A fresh 20-byte secret (hex), kept in the session until the first code confirms it."""
    return random_hex(20)


def secret_for_people(key: str) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(user, key: str) -> str:
    """The otpauth:// address as an SVG QR code, drawn here (no outside service sees it)."""
    url = TOTPDevice(user=user, key=key).config_url
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _valid_token(token: str) -> str:
    token = (token or "").strip().replace(" ", "")
    if len(token) != 6 or not token.isdigit():
        raise DomainError("Mã xác thực gồm đúng 6 chữ số.", field="token")
    return token


@transaction.atomic
def enable_two_factor(
    user: User, key: str, token: str, *, address: str | None = None
) -> TOTPDevice:
    """Keep the secret the user's app was set up with, once a code made from it matches."""
    token = _valid_token(token)
    if has_device(user):
        raise DomainError("Tài khoản đã bật xác thực hai lớp.")
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if not totp.verify(int(token), tolerance=device.tolerance):
        raise DomainError(
            "Mã xác thực không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã mới.", field="token"
        )
    device.last_t = totp.t()  # the confirming code cannot be replayed at the next sign-in
    device.save()
    record_account_event(
        user, "auth.2fa_enabled", user, address=address, changes={"totp": [None, "bật"]}
    )
    return device


def verify_code(user: User, token: str) -> TOTPDevice:
    """The device that accepts `token`. Each code works once; after a wrong one the next try
    waits 1, 2, 4, 8… seconds (django-otp's throttling, kept even when this refuses)."""
    token = _valid_token(token)
    wait = 0
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = (details or {}).get("locked_until")
                if locked_until:
                    wait = max(wait, int((locked_until - timezone.now()).total_seconds()) + 1)
                continue
            if device.verify_token(token):
                return device
    if wait:
        raise DomainError(
            f"Đã nhập sai nhiều lần. Vui lòng thử lại sau {wait} giây.", field="token"
        )
    raise DomainError("Mã xác thực không đúng hoặc đã hết hạn.", field="token")


@transaction.atomic
def reset_two_factor(
    actor, target: User, reason: str, *, from_console: bool = False, address: str | None = None
) -> int:
    """Remove a user's devices (a lost phone), with the reason in the history; the next sign-in
    sets up a new one if required.

    Only an administrator may do it, or the operator at the server's console (`dangvien
    reset_two_factor`, when the last administrator lost theirs): a second factor that an
    officer could take away would not protect against that officer's stolen password."""
    if not from_console and not scope_of(actor).everything:
        raise ScopeDenied("Chỉ quản trị hệ thống được đặt lại xác thực hai lớp.")
    if not reason.strip():
        raise DomainError("Cần ghi lý do đặt lại xác thực hai lớp.", field="reason")
    removed, _ = TOTPDevice.objects.filter(user=target).delete()
    if not removed:
        raise DomainError("Tài khoản này chưa bật xác thực hai lớp.")
    record_account_event(
        actor,
        "auth.2fa_reset",
        target,
        address=address,
        changes={"totp": ["bật", None]},
        reason=reason.strip(),
    )
    return removed
