"""The two-factor pages: set up the phone app, and enter the code after the password."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from dangvien.accounts.events import client_address
from dangvien.accounts.two_factor import services
from dangvien.core.forms import attempt

PENDING_KEY = "two_factor_pending_key"


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Mã xác thực (6 chữ số)",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "pattern": r"[0-9 ]*",
            }
        ),
    )


def step_url(name: str, next_url: str) -> str:
    """The address of a two-factor page that returns to `next_url` afterwards."""
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _verified(request, device) -> None:
    """Mark the session as having passed the second step, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Show the QR code and secret of a new device, and keep it once a code confirms it."""
    user = request.user
    if services.has_device(user):
        if not user.is_verified():
            return redirect(step_url("two_factor_verify", _next_url(request)))
        context = {"required": services.is_required(user)}
        return render(request, "accounts/two_factor_on.html", context)
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = services.new_secret()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = attempt(
            form,
            lambda: services.enable_two_factor(
                user, key, form.cleaned_data["token"], address=client_address(request)
            ),
        )
        if device is not None:
            del request.session[PENDING_KEY]
            _verified(request, device)
            messages.success(request, "Đã bật xác thực hai lớp cho tài khoản của bạn.")
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr": services.qr_data_uri(user, key),
        "secret": services.secret_for_people(key),
        "required": services.is_required(user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: the code the user's app shows now."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not services.has_device(user):
        return redirect(step_url("two_factor_setup", _next_url(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = attempt(form, lambda: services.verify_code(user, form.cleaned_data["token"]))
        if device is not None:
            _verified(request, device)
            return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )
