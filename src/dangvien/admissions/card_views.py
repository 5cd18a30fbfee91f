"""Pages of party cards: the waiting list and a member's card history, where officers issue,
replace and end cards (domain-rules §2.6). Views parse input and call one service; a refusal of
scope is a 403, any other refusal an error on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvien.accounts.roles import Capability
from dangvien.admissions import card_selectors as selectors
from dangvien.admissions import services
from dangvien.admissions.probation_forms import CardEndForm, CardIssueForm
from dangvien.admissions.probation_views import (
    PAGE_SIZE,
    require_on_member,
)
from dangvien.core.forms import attempt
from dangvien.core.pages import require_any
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can

# The columns of the two lists and the order each heading sorts by (None: it does not sort).
WAITING_COLUMNS = [
    ("Họ và tên", "name"),
    ("Chi bộ", "branch"),
    ("Ngày chính thức", "official"),
    ("Chờ cấp", "kind"),
]
ISSUED_COLUMNS = [
    ("Số thẻ", "number"),
    ("Loại thẻ", None),
    ("Họ và tên", "name"),
    ("Chi bộ", "branch"),
    ("Ngày cấp", "issued"),
    ("Số quyết định", None),
    ("Tình trạng", "state"),
]


@login_required
def card_list(request):
    require_any(request.user, Capability.VIEW)
    filters = selectors.CardFilters.from_query(request.GET)
    waiting = Paginator(selectors.waiting_for_card(request.user, filters), PAGE_SIZE)
    issued = Paginator(selectors.issued_cards(request.user, filters.org, filters.isort), 20)
    context = {
        "filters": filters,
        "choices": selectors.CARD_FILTERS.items(),
        "summary": selectors.card_summary(request.user, filters.org),
        "waiting": waiting.get_page(request.GET.get("page")),
        "issued": issued.get_page(request.GET.get("ipage")),
        "waiting_headings": selectors.WAITING_SORTING.headings(
            request.GET, filters.sort, WAITING_COLUMNS
        ),
        "issued_headings": selectors.ISSUED_SORTING.headings(
            request.GET, filters.isort, ISSUED_COLUMNS, reset=("ipage",)
        ),
    }
    return render(request, "admissions/card_list.html", context)


def _card_page(request, member, issue_form=None, end_form=None):
    history = selectors.card_history(member)
    in_use = selectors.card_in_use(history)
    unrecorded = selectors.unrecorded_card(member, history)
    can_issue = can(request.user, Capability.MANAGE_ORGS, member.branch_path)
    holds = selectors.can_hold_card(member)
    if issue_form is None and can_issue:
        issue_form = CardIssueForm(user=request.user)
        if in_use is None and not unrecorded:
            del issue_form.fields["replaces"]  # nothing to replace
    context = {
        "member": member,
        "history": history,
        "in_use": in_use,
        "unrecorded": unrecorded,
        "can_issue": can_issue,
        "can_hold": holds,
        "issue_form": issue_form,
        "old_card_digits": RuleBook.load().value("old_card_digits"),
        "end_form": end_form
        or (
            CardEndForm(user=request.user)
            if can_issue and (in_use is not None or unrecorded)
            else None
        ),
    }
    return render(request, "admissions/card_member.html", context)


@login_required
def card_member(request, member_pk):
    member = selectors.get_member(request.user, member_pk)
    return _card_page(request, member)


def _record(request, member_pk, form_class, act, success, form_name: str):
    """Validate `form_class` on the POST, run `act(member, cleaned_data)` (one service) and say
    `success(card)`, or show the card page again with the form's errors under `form_name`."""
    member = selectors.get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_ORGS, member)
    form = form_class(request.POST, user=request.user)
    if form.is_valid():
        card = attempt(form, lambda: act(member, form.cleaned_data))
        if card is not None:
            messages.success(request, success(card))
            return redirect("admissions:card-member", member_pk=member.pk)
    return _card_page(request, member, **{form_name: form})


@login_required
@require_POST
def card_issue(request, member_pk):
    return _record(
        request,
        member_pk,
        CardIssueForm,
        lambda member, data: services.issue_card(
            request.user,
            member,
            number=data["number"],
            series=data["series"],
            issued_on=data["issued_on"],
            decision_number=data.get("decision_number", ""),
            replaces=data.get("replaces", ""),
        ),
        lambda card: f"Đã cấp thẻ đảng viên số {card.number}.",
        "issue_form",
    )


@login_required
@require_POST
def card_end(request, member_pk):
    return _record(
        request,
        member_pk,
        CardEndForm,
        lambda member, data: services.end_card(
            request.user,
            member,
            on=data["ended_on"],
            reason=data["reason"],
            note=data.get("note", ""),
        ),
        lambda card: f"Đã ghi: thẻ số {card.number} – {card.get_end_reason_display()}.",
        "end_form",
    )
