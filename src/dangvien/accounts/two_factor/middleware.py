"""No page for a signed-in user who still owes the second step: a user with a device gives the
code first; a user whose role requires one sets it up first. Installed after django-otp's
OTPMiddleware, which tells whether the session passed the step."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from dangvien.accounts.two_factor import services
from dangvien.accounts.two_factor.views import step_url

# Pages an unverified user may still open: the two steps themselves and signing out.
OPEN_URL_NAMES = ("two_factor_setup", "two_factor_verify", "logout", "login")
API_PREFIX = "/api/"


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if request.path in {reverse(name) for name in OPEN_URL_NAMES}:
            return self.get_response(request)
        if services.has_device(user):
            step, message = "two_factor_verify", "Cần nhập mã xác thực hai lớp trước."
        elif services.is_required(user):
            step, message = "two_factor_setup", "Tài khoản này phải bật xác thực hai lớp trước."
        else:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": message}, status=403, json_dumps_params={"ensure_ascii": False}
            )
        return redirect(step_url(step, request.get_full_path()))
