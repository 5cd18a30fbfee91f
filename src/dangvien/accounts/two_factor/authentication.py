"""API sign-in: HTTP Basic carries only a password, so it is refused to accounts that use or
must use a second factor; they reach the API through a browser session that passed it."""

from rest_framework import exceptions

from dangvien.accounts.api_auth import LockoutAwareBasicAuthentication
from dangvien.accounts.two_factor import services


class BasicAuthentication(LockoutAwareBasicAuthentication):
    def refuse(self, user) -> None:
        super().refuse(user)
        if services.has_device(user) or services.is_required(user):
            raise exceptions.AuthenticationFailed(
                "Tài khoản dùng xác thực hai lớp không đăng nhập API bằng mật khẩu (Basic); "
                "hãy dùng phiên đăng nhập trên trình duyệt đã nhập mã xác thực."
            )
