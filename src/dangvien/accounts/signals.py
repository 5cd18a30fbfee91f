"""Account events in the audit: logins, failed logins, logouts and lockouts (Django's auth
signals and django-axes' lockout signal), each with the client's address; a password saved
outside the services that record their own event (Django's `changepassword` command, the
shell); and the access version that tells the two-factor check a user's roles or devices
changed (accounts/two_factor/middleware.py)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvien.accounts.events import record_account_event
from dangvien.accounts.models import RoleBinding, User

# Set on a user by a service or view that records the password change itself (with the
# address, or as a reset), so the receiver below does not record it twice.
PASSWORD_EVENT_RECORDED = "_dangvien_password_event_recorded"
# The reason of a sign-in refused during a lockout (the lockout itself does not count it).
LOCKED_REASON = "Đăng nhập đang bị tạm khóa."


def _user_named(name: str):
    return User.objects.filter(username=name).first() if name else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record_account_event(user, "auth.login", user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_account_event(user, "auth.logout", user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username") or "")
    user = _user_named(name)
    if (
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    ):
        reason = LOCKED_REASON
    elif user is not None and not user.is_active:
        reason = "Tài khoản đã bị vô hiệu hóa."
    elif user is None:
        reason = "Tên đăng nhập không tồn tại."
    else:
        reason = "Sai mật khẩu."
    record_account_event(None, "auth.login_failed", user, request=request, name=name, reason=reason)


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    # Sent again for each attempt refused during the lockout; keep only the one that started it.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    name = str(username or "")
    reason = f"Sai {request.axes_failures_since_start} lần liên tiếp."
    record_account_event(
        None, "auth.lockout", _user_named(name), request=request, name=name, reason=reason
    )


@receiver(pre_save, sender=User, dispatch_uid="audit_password_replacing")
def _password_replacing(sender, instance, **kwargs):
    """Note a new password about to replace an existing one (Django keeps the raw password in
    `_password` until save() is done; a hash upgrade at sign-in clears it first) when no
    service records the change itself: the operator's `dangvien changepassword`, the shell.
    An account's first password (it had none) is no change."""
    if instance.pk is None or getattr(instance, "_password", None) is None:
        return
    if getattr(instance, PASSWORD_EVENT_RECORDED, False):
        return
    previous = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._dangvien_password_replaced = bool(previous)


@receiver(post_save, sender=User, dispatch_uid="audit_password_replaced")
def _password_replaced(sender, instance, **kwargs):
    if getattr(instance, "_dangvien_password_replaced", False):
        instance._dangvien_password_replaced = False
        record_account_event(
            None, "auth.password_change", instance, changes={"channel": [None, "console"]}
        )


def _access_changed(user_id) -> None:
    User.objects.filter(pk=user_id).update(access_version=F("access_version") + 1)


@receiver(post_save, sender=RoleBinding, dispatch_uid="access_version_role_saved")
@receiver(post_delete, sender=RoleBinding, dispatch_uid="access_version_role_deleted")
def _roles_changed(sender, instance, **kwargs):
    _access_changed(instance.user_id)


@receiver(post_save, sender=TOTPDevice, dispatch_uid="access_version_device_saved")
@receiver(post_delete, sender=TOTPDevice, dispatch_uid="access_version_device_deleted")
def _device_changed(sender, instance, created=False, **kwargs):
    # Each verified code saves its device too (the last step used): not a change of devices.
    if created or kwargs["signal"] is post_delete:
        _access_changed(instance.user_id)
