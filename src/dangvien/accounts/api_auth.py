"""HTTP Basic authentication for the API that tells a locked-out client so, in Vietnamese."""

from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

from dangvien.accounts.lockout import lockout_message, remaining_minutes
from dangvien.accounts.middleware import MUST_CHANGE_MESSAGE


class AccountLocked(exceptions.Throttled):
    """429 with Retry-After: too many failed sign-ins for this account or address."""

    extra_detail_singular = extra_detail_plural = ""

    def __init__(self, detail: str, wait_seconds: int):
        super().__init__(wait=wait_seconds, detail=detail)
        self.detail = exceptions.ErrorDetail(detail, code=self.default_code)


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
        if user.must_change_password:
            raise exceptions.PermissionDenied(MUST_CHANGE_MESSAGE)
        return user, auth
