"""The lockout after repeated failed sign-ins (django-axes): how long it lasts, what users read."""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind PROXY_COUNT trusted reverse proxies the
    address the outermost one appended to X-Forwarded-For (the entries left of it are whatever
    the client sent, so they are never trusted)."""
    remote = request.META.get("REMOTE_ADDR")
    if settings.PROXY_COUNT <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    return forwarded[-settings.PROXY_COUNT]


def remaining_minutes(request, credentials: dict | None) -> int:
    """Whole minutes until the failures counted against this account or address expire."""
    cool_off = get_cool_off(request)
    handler = AxesProxyHandler.get_implementation()
    latest = [
        attempts.aggregate(latest=Max("attempt_time"))["latest"]
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    latest = [at for at in latest if at is not None]
    if not latest or cool_off is None:
        return math.ceil(settings.LOCKOUT_MINUTES)
    seconds = (max(latest) + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


def lockout_message(request, credentials: dict | None) -> str:
    limit = get_failure_limit(request, credentials)
    minutes = remaining_minutes(request, credentials)
    return (
        f"Đăng nhập tạm thời bị khóa vì đã nhập sai {limit} lần. "
        f"Vui lòng thử lại sau {minutes} phút, hoặc nhờ quản trị hệ thống mở khóa."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page of a refused sign-in (AXES_LOCKOUT_CALLABLE), with HTTP 429."""
    context = {
        "message": lockout_message(request, credentials),
        "minutes": remaining_minutes(request, credentials),
    }
    return render(request, "accounts/locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
