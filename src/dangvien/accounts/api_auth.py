"""HTTP Basic authentication for the API: tells a locked-out client so, in Vietnamese, and
records a successful sign-in in the audit like the login page does, at most once per user and
address every API_LOGIN_RECORD_MINUTES (a script calling every second would otherwise write an
entry per request)."""

from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

from dangvien.accounts.events import client_address, record_account_event
from dangvien.accounts.lockout import lockout_message, remaining_minutes
from dangvien.accounts.middleware import MUST_CHANGE_MESSAGE

API_LOGIN_RECORD_MINUTES = 15


class AccountLocked(exceptions.Throttled):
    """429 with Retry-After: too many failed sign-ins for this account or address."""

    def __init__(self, detail: str, wait_seconds: int):
        super().__init__(detail=detail)
        self.wait = wait_seconds


def record_api_login(user, request) -> bool:
    """An `auth.login` on the API channel, unless one was recorded for this user and address in
    the last API_LOGIN_RECORD_MINUTES (kept in the cache: per process with the default cache,
    so each worker records at most one a period)."""
    key = f"dangvien:api-login:{user.pk}:{client_address(request)}"
    if not cache.add(key, True, timeout=API_LOGIN_RECORD_MINUTES * 60):
        return False
    record_account_event(user, "auth.login", user, request=request)
    return True


class LockoutAwareBasicAuthentication(BasicAuthentication):
    """DRF's Basic authentication; the lockout backend counts every attempt, and a refusal by
    the lockout becomes 429 with the same message as the login page."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            user, auth = super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                credentials = {"username": userid}
                raise AccountLocked(
                    lockout_message(request, credentials),
                    remaining_minutes(request, credentials) * 60,
                ) from None
            raise exceptions.AuthenticationFailed(
                "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị vô hiệu hóa."
            ) from None
        self.refuse(user)
        if request is not None:
            record_api_login(user, request)
        return user, auth

    def refuse(self, user) -> None:
        """Raise for an account whose right password still does not open the API."""
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_MESSAGE)
