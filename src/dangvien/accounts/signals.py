"""Sign-in events in the audit: logins, failed logins, logouts and lockouts (Django's auth
signals and django-axes' lockout signal), each with the client's address. Password changes and
resets are recorded by their services (accounts/services.py)."""

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from dangvien.core import audit
from dangvien.core.models import AuditEntry

# Account events are filed under no organisation: the access review finds them by person.
NO_ORG = ""


def client_address(request) -> str | None:
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None)
    return address or get_client_ip_address(request)


def _channel(request) -> str:
    path = getattr(request, "path", "") or ""
    return "api" if path.startswith("/api/") else "web"


def record_auth(action: str, user, request, *, actor=None, name: str = "", reason: str = ""):
    """One account event about `user` (or, for an unknown user name, about `name`)."""
    changes = {"ip_address": [None, client_address(request)]}
    if request is not None:
        changes["channel"] = [None, _channel(request)]
    if user is not None:
        return audit.record(actor, action, user, org_path=NO_ORG, changes=changes, reason=reason)
    return AuditEntry.unscoped.create(
        actor=None,
        action=action,
        target_type=get_user_model()._meta.label_lower,
        target_id=0,
        # What was typed, as text the history can hold: control and direction characters shown
        # as "�" (the model refuses them, and a refusal here would lose the failed attempt).
        target_label="".join(c if c.isprintable() else "\ufffd" for c in name)[:300],
        org_path=NO_ORG,
        changes=changes,
        reason=reason,
    )


def _user_named(name: str):
    return get_user_model().objects.filter(username=name).first() if name else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record_auth("auth.login", user, request, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_auth("auth.logout", user, request, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username") or "")
    user = _user_named(name)
    if (
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    ):
        reason = "Đăng nhập đang bị tạm khóa."
    elif user is not None and not user.is_active:
        reason = "Tài khoản đã bị vô hiệu hóa."
    elif user is None:
        reason = "Tên đăng nhập không tồn tại."
    else:
        reason = "Sai mật khẩu."
    record_auth("auth.login_failed", user, request, name=name, reason=reason)


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    # Sent again for each attempt refused during the lockout; keep only the one that started it.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    name = str(username or "")
    reason = f"Sai {request.axes_failures_since_start} lần liên tiếp."
    record_auth("auth.lockout", _user_named(name), request, name=name, reason=reason)
