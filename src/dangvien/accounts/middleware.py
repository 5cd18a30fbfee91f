"""A user given a temporary password by an administrator changes it before anything else."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from dangvien.accounts.channels import is_api

MUST_CHANGE_MESSAGE = "Bạn cần đổi mật khẩu tạm thời trước khi dùng hệ thống."
# Pages such a user may still open: the change itself and signing out, and the two-factor
# step that comes first (accounts/two_factor/middleware.py sends there before this runs).
_ALLOWED_NAMES = (
    "password_change",
    "password_change_done",
    "logout",
    "login",
    "two_factor_setup",
    "two_factor_verify",
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in _ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith("/static/"):
                if is_api(request):
                    return JsonResponse({"detail": MUST_CHANGE_MESSAGE}, status=403)
                return redirect("password_change")
        return self.get_response(request)
