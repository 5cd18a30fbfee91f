"""A session left idle for settings.DANGVIEN_IDLE_MINUTES ends: the next request signs out and
goes to the login page with a message. The time of the last request is written to the session
at most once a minute, so reading pages does not write the session table on every request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

from dangvien.accounts.channels import is_api

LAST_SEEN = "dangvien_last_seen"
WRITE_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.DANGVIEN_IDLE_MINUTES * 60:
                return self._end(request)
            if last_seen is None or now - last_seen >= WRITE_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    def _end(self, request):
        logout(request)
        if is_api(request):
            # The API answers as to anyone without a session (401/403 from the view).
            return self.get_response(request)
        messages.info(
            request,
            f"Phiên làm việc đã kết thúc vì không thao tác trong "
            f"{settings.DANGVIEN_IDLE_MINUTES} phút. Vui lòng đăng nhập lại.",
        )
        return redirect_to_login(request.get_full_path())
