"""What every app's pages share: who may open a section, and where to go back after a form."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from dangvien.core.scope import scope_of


def require_any(user, capability: str) -> None:
    """A section of the site opens for users who hold `capability` somewhere, else 403."""
    if not scope_of(user).any(capability):
        raise PermissionDenied("Tài khoản của bạn không có quyền xem mục này.")


def back(request, fallback):
    """Back to the page the form was sent from (its `next`, on this site only), else
    `fallback` (a URL or a URL name)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
