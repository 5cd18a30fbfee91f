"""No page for a signed-in user who still owes the second step: a user with a device gives the
code first; a user whose role requires one sets it up first. Installed after django-otp's
OTPMiddleware, which tells whether the session passed the step.

A user who owes nothing (no device, no role that requires one) would cost two queries on every
request to find that out again: the session remembers it under the user's access version,
which changes with their roles and devices (accounts/signals.py), and under the setting."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from dangvien.accounts.channels import is_api
from dangvien.accounts.two_factor import services
from dangvien.accounts.two_factor.views import step_url

# Pages an unverified user may still open: the two steps themselves and signing out.
OPEN_URL_NAMES = ("two_factor_setup", "two_factor_verify", "logout", "login")
NOTHING_OWED = "two_factor_nothing_owed"


def _stamp(user) -> str:
    """What "nothing owed" was decided from, without a query (the user row is loaded anyway)."""
    required = int(bool(settings.DANGVIEN_REQUIRE_2FA))
    return f"{user.pk}:{user.access_version}:{int(user.is_superuser)}:{required}"


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if request.session.get(NOTHING_OWED) == _stamp(user):
            return self.get_response(request)
        if request.path in {reverse(name) for name in OPEN_URL_NAMES}:
            return self.get_response(request)
        if services.has_device(user):
            step, message = "two_factor_verify", "Cần nhập mã xác thực hai lớp trước."
        elif services.is_required(user):
            step, message = "two_factor_setup", "Tài khoản này phải bật xác thực hai lớp trước."
        else:
            request.session[NOTHING_OWED] = _stamp(user)
            return self.get_response(request)
        if is_api(request):
            return JsonResponse(
                {"detail": message}, status=403, json_dumps_params={"ensure_ascii": False}
            )
        return redirect(step_url(step, request.get_full_path()))
