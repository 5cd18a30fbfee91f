"""The page of a final action (lock, end, remove, reopen …): what it will change, the reason,
then the action; refused, the page says so at the top and keeps what the user typed.

    page = FinalAction(title=…, back_url=…, button="Xác nhận khóa đợt", refused="Chưa khóa đợt")
    return confirm_final_action(
        request, page, ReasonForm(request.POST or None),
        perform=lambda data: services.close_round(request.user, round_, reason=data["reason"]),
        done="Đã khóa đợt …",
        consequences=lambda: [...],  # computed when the page is shown, after a refusal too
    )
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from dangvien.core.forms import attempt


@dataclass(frozen=True)
class FinalAction:
    """What the confirmation page (templates/confirm.html) shows around the form."""

    title: str
    back_url: str  # where «Hủy» goes, and where a done action returns
    button: str  # «Xác nhận khóa đợt»
    refused: str  # the banner's words for an action not done: «Chưa khóa đợt»
    breadcrumb: list[tuple[str, str]] = field(default_factory=list)
    form_id: str = "confirm-action"


def succeeded(form: forms.Form, action: Callable[[], object]) -> bool:
    """Run one service through `attempt`: True when it was done (whatever it returns, None
    included), False when it was refused (the refusal is then on the form)."""

    def run() -> bool:
        action()
        return True

    return attempt(form, run) is True


def confirm_final_action(
    request,
    page: FinalAction,
    form: forms.Form,
    *,
    perform: Callable[[dict], object],
    done: str,
    consequences: Callable[[], list[str]],
    reason_required: Callable[[], bool] | None = None,
    after: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """On a valid POST run `perform(cleaned_data)` (one service) and go back with `done`;
    otherwise, or refused, show the page: the consequences, the form marked required where the
    service will require it, and the refusal at the top (status 400)."""
    posted = request.method == "POST" and form.is_valid()
    if posted and succeeded(form, lambda: perform(form.cleaned_data)):
        messages.success(request, done)
        return after() if after else redirect(page.back_url)
    if reason_required is not None and "reason" in form.fields:
        form.fields["reason"].required = reason_required()
    context = {
        "title": page.title,
        "breadcrumb": page.breadcrumb,
        "consequences": consequences(),
        "form": form,
        "form_id": page.form_id,
        "button": page.button,
        "cancel_url": page.back_url,
        "refused": page.refused,
        "own_banner": True,
    }
    return render(request, "confirm.html", context, status=400 if form.errors else 200)
