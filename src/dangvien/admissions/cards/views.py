"""Pages of party cards: the waiting list and a member's card history, where officers issue,
replace and end cards, and undo an end recorded by mistake (domain-rules §2.6). Views parse
input and call one service; a refusal of scope is a 403, any other refusal an error on the form
(the page sent back with status 400)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.admissions.cards import selectors, services
from dangvien.admissions.cards.forms import CardEndForm, CardIssueForm
from dangvien.admissions.models import CardEnd
from dangvien.admissions.shared.selectors import get_member
from dangvien.admissions.shared.views import PAGE_SIZE, require_on_member
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.pages import require_any
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can

END_LABELS = dict(CardEnd.choices)
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
    issued = selectors.issued_cards(request.user, filters.org, filters.isort, filters.year)
    issued = Paginator(issued, 20)
    context = {
        "filters": filters,
        "choices": selectors.CARD_FILTERS.items(),
        "summary": selectors.card_summary(request.user, filters.org),
        # What the summary's links keep: the organisation and the orders.
        "kept": urlencode(
            [(k, v) for k, v in (("org", filters.org), ("sort", filters.sort)) if v]
            + ([("isort", filters.isort)] if filters.isort else [])
        ),
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


def _card_page(request, member, issue_form=None):
    """The member's card page; a form sent back with a refusal keeps its input (status 400)."""
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
        "can_end": can_issue and (in_use is not None or bool(unrecorded)),
        "undoable": selectors.undoable_end(member, history) if can_issue else None,
    }
    refused = issue_form is not None and issue_form.is_bound and bool(issue_form.errors)
    return render(request, "admissions/card_member.html", context, status=400 if refused else 200)


@login_required
def card_member(request, member_pk):
    member = get_member(request.user, member_pk)
    return _card_page(request, member)


def _record(request, member_pk, form_class, act, success, form_name: str):
    """Validate `form_class` on the POST, run `act(member, cleaned_data)` (one service) and say
    `success(card)`, or show the card page again with the form's errors under `form_name`
    (status 400)."""
    member = get_member(request.user, member_pk)
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


def _card_action(member, *, title: str, button: str, refused: str) -> FinalAction:
    card_url = reverse("admissions:card-member", args=[member.pk])
    return FinalAction(
        title=f"{title}: {member.full_name}",
        back_url=card_url,
        button=button,
        refused=refused,
        breadcrumb=[
            (reverse("admissions:cards"), "Thẻ đảng viên"),
            (card_url, member.full_name),
        ],
        form_id="card-action",
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_end(request, member_pk):
    """A card reported lost or damaged, or taken back: a page that says what the record loses
    and where the member goes, the date and the reason, then the end (undone from the card page
    while no new card is issued)."""
    member = get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_ORGS, member)
    history = selectors.card_history(member)
    number = getattr(selectors.card_in_use(history), "number", "") or selectors.unrecorded_card(
        member, history
    )
    if not number:
        messages.info(request, f"{member.full_name} không có thẻ đảng viên đang dùng.")
        return redirect("admissions:card-member", member_pk=member.pk)
    form = CardEndForm(request.POST if request.method == "POST" else None, user=request.user)
    page = _card_action(
        member,
        title=f"Báo mất, hỏng hoặc thu hồi thẻ số {number}",
        button="Xác nhận ghi nhận",
        refused="Chưa ghi nhận",
    )
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.end_card(
            request.user, member, on=data["ended_on"], reason=data["reason"], note=data["note"]
        ),
        done=f"Đã ghi: thẻ số {number} – {END_LABELS.get(request.POST.get('reason', ''), '')}.",
        consequences=lambda: _end_consequences(member, number),
    )


def _end_consequences(member, number: str) -> list[str]:
    return [
        f"Thẻ số {number} hết dùng từ ngày báo; số thẻ được xóa khỏi hồ sơ của "
        f"{member.full_name} và giữ lại trong lịch sử thẻ, cùng lý do.",
        "Mất thẻ, hỏng thẻ: đảng viên vào danh sách «Chờ cấp lại (mất, hỏng thẻ)». Thu hồi: "
        "thẻ không được cấp lại.",
        "Số thẻ này không cấp lại cho ai khác.",
        "Nếu ghi nhầm, có thể hủy ghi nhận (có lý do) trên trang thẻ của đảng viên, khi chưa "
        "cấp thẻ mới.",
    ]


@login_required
@require_http_methods(["GET", "POST"])
def card_end_undo(request, member_pk):
    """Undo a card end recorded by mistake: the card in use again, with a reason."""
    member = get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_ORGS, member)
    card = selectors.undoable_end(member, selectors.card_history(member))
    if card is None:
        messages.info(
            request, f"{member.full_name} không có thẻ nào được ghi mất, hỏng hoặc thu hồi để hủy."
        )
        return redirect("admissions:card-member", member_pk=member.pk)
    ended = f"{card.get_end_reason_display().lower()} ngày {card.ended_on:%d/%m/%Y}"
    page = _card_action(
        member,
        title=f"Hủy ghi nhận {ended} của thẻ số {card.number}",
        button="Xác nhận hủy ghi nhận",
        refused="Chưa hủy ghi nhận",
    )
    return confirm_final_action(
        request,
        page,
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: services.undo_card_end(request.user, member, reason=data["reason"]),
        done=f"Đã hủy ghi nhận {ended}: thẻ số {card.number} đang dùng trở lại.",
        consequences=lambda: [
            f"Thẻ số {card.number} (cấp ngày {card.issued_on:%d/%m/%Y}) trở lại «Đang dùng»; "
            f"số thẻ được ghi lại vào hồ sơ của {member.full_name}.",
            f"{member.full_name} ra khỏi danh sách chờ cấp thẻ.",
            f"Việc ghi {ended} và việc hủy, cùng lý do, được giữ trong lịch sử.",
        ],
        reason_required=lambda: True,
    )
