"""The reorganisation screen (issue 13, item 4): the organisations under one, what becomes of
each (move, absorb, end, rename) by one decision, a preview of the counts before and after
(nothing written), then the whole batch applied at once (organizations.reorganising)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.core.vntext import number
from dangvien.organizations import reorganising, selectors
from dangvien.organizations.forms import DECIDING_BODY_HELP
from dangvien.organizations.models import Organization, OrgEventKind
from dangvien.organizations.views.changes import org_to_manage

STALE = (
    "Cây tổ chức, đảng viên hoặc các lựa chọn đã thay đổi từ lần xem trước; chưa thực hiện gì. "
    "Hãy bấm «Xem trước» lại rồi xác nhận."
)
NOTHING_CHOSEN = (
    "Chưa chọn thay đổi nào: hãy chọn «Chuyển», «Sáp nhập», «Giải thể» hoặc ghi tên mới."
)


class BatchForm(forms.Form):
    """The decision of the whole batch, the rows posted and the preview's fingerprint."""

    effective_on = forms.DateField(label="Ngày hiệu lực")
    decision_number = forms.CharField(label="Số quyết định", max_length=100)
    decision_body = forms.CharField(
        label="Cơ quan quyết định", max_length=255, required=False, help_text=DECIDING_BODY_HELP
    )
    rows = forms.CharField(widget=forms.HiddenInput, required=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].widget.attrs["placeholder"] = "dd/mm/yyyy"

    def row_ids(self) -> list[int] | None:
        text = self.data.get("rows", "")
        parts = [part for part in text.split(",") if part]
        if not all(part.isdigit() for part in parts):
            return None
        return [int(part) for part in parts]

    def decision(self) -> reorganising.BatchDecision:
        data = self.cleaned_data
        return reorganising.BatchDecision(
            data["effective_on"], data["decision_number"].strip(), data["decision_body"].strip()
        )


def _read_choices(request, root: Organization, form: BatchForm) -> list[reorganising.Choice]:
    """The posted rows, each as the officer left it; a row outside the user's scope is a 404."""
    ids = form.row_ids()
    orgs = reorganising.posted_orgs(request.user, ids) if ids is not None else None
    if orgs is None:
        raise Http404("Không tìm thấy tổ chức trong phạm vi của bạn.")
    choices = []
    for org in orgs:
        action = request.POST.get(f"action-{org.pk}", "")
        choice = reorganising.Choice(
            org,
            level=max(org.depth - root.depth - 1, 0),
            action=action if action in reorganising.EVENT_OF_ACTION else "",
            target=request.POST.get(f"target-{org.pk}", "").strip(),
            new_name=" ".join(request.POST.get(f"name-{org.pk}", "").split()),
        )
        if action and not choice.action:
            choice.problems.append("Thay đổi không hợp lệ.")
        reorganising.check_choice(root, choice)
        choices.append(choice)
    return choices


def _page(request, root, choices, form, *, preview=None, status=200, query="", expand=()):
    context = {
        "org": root,
        "ancestors": selectors.ancestors(request.user, root),
        "choices": choices,
        "row_ids": ",".join(str(choice.org.pk) for choice in choices),
        "actions": reorganising.ACTION_CHOICES,
        "form": form,
        "preview": preview,
        "confirmable": preview is not None and preview.report.ok and preview.total is not None,
        "query": query,
        "expand": expand,
        "parent_choices": selectors.parent_choices(request.user),
        # Branches absorb branches: those of the page are offered with the parents.
        "receivers": [choice.org for choice in choices if choice.org.is_branch],
        "max_rows": reorganising.MAX_ROWS,
        "truncated": len(choices) >= reorganising.MAX_ROWS,
    }
    return render(request, "organizations/reorganise.html", context, status=status)


def _add_toggles(request, choices, query: str, expand: tuple) -> None:
    """The link that shows (or hides) the organisations under each one directly below."""
    for choice in choices:
        if choice.level or choice.org.is_branch or not choice.org.orgs_below:
            continue
        code = choice.org.code
        choice.expanded = code in expand
        shown = [c for c in expand if c != code] if choice.expanded else [*expand, code]
        params = ([("q", query)] if query else []) + [("expand", c) for c in shown]
        choice.toggle_url = f"{request.path}?{urlencode(params)}" if params else request.path


@login_required
@require_http_methods(["GET", "POST"])
def reorganise(request, code):
    """GET: the organisations under `code` to choose for; POST «Xem trước»: the batch
    rehearsed and rolled back; POST «Xác nhận thực hiện»: the batch written, if the tree is
    still the one previewed."""
    root = org_to_manage(request, code)
    if not root.is_active:
        messages.info(request, f"{root.name} đã thôi hoạt động từ {root.ended_on:%d/%m/%Y}.")
        return redirect("organizations:detail", code=root.code)
    if request.method == "GET":
        query = request.GET.get("q", "").strip()
        expand = tuple(request.GET.getlist("expand"))
        choices = reorganising.offered(root, query, expand)
        _add_toggles(request, choices, query, expand)
        return _page(request, root, choices, BatchForm(), query=query, expand=expand)
    form = BatchForm(request.POST)
    choices = _read_choices(request, root, form)
    refused = any(choice.problems for choice in choices)
    if not form.is_valid():
        return _page(request, root, choices, form, status=400)
    rows = reorganising.event_rows([c for c in choices if c.chosen], form.decision())
    if not rows:
        form.add_error(None, NOTHING_CHOSEN)
        return _page(request, root, choices, form, status=400)
    if "confirm" in request.POST:
        previewed = form.cleaned_data["fingerprint"]
        if previewed != reorganising.fingerprint(request.user, root, rows):
            return _stale(request, root, choices, form, rows)
        if not refused:
            return _confirm(request, root, choices, form, rows, previewed)
    if refused:
        return _page(request, root, choices, form, status=400)
    current = reorganising.fingerprint(request.user, root, rows)
    preview = reorganising.preview(request.user, root, rows)
    form = BatchForm({**request.POST.dict(), "fingerprint": current})
    form.is_valid()
    return _page(request, root, choices, form, preview=preview)


def _stale(request, root, choices, form, rows):
    """A confirmation whose preview no longer holds: the same batch confirmed before changes
    nothing; anything else is previewed again before it applies."""
    if reorganising.already_recorded(request.user, root, rows):
        messages.info(request, "Các thay đổi này đã được ghi trước đó; không có gì thay đổi.")
        return redirect("organizations:detail", code=root.code)
    form.add_error(None, STALE)
    return _page(request, root, choices, form, status=409)


def _confirm(request, root, choices, form, rows, previewed: str):
    try:
        report = reorganising.carry_out(request.user, root, rows, previewed)
    except reorganising.StalePreview:  # changed meanwhile, while the first check ran
        return _stale(request, root, choices, form, rows)
    except DomainError as exc:  # another import is running, or the database refused
        form.add_error(None, exc.message)
        return _page(request, root, choices, form, status=409)
    if not report.ok:
        form.add_error(None, "Có thay đổi không thực hiện được; không có thay đổi nào được ghi.")
        return _page(request, root, choices, form, status=400)
    messages.success(request, f"Đã sắp xếp lại tổ chức trực thuộc {root.name}: {_summary(rows)}.")
    return redirect("organizations:detail", code=root.code)


def _summary(rows) -> str:
    counts = reorganising.event_counts(rows)
    order = [OrgEventKind.MOVE, OrgEventKind.ABSORB, OrgEventKind.END, OrgEventKind.RENAME]
    return ", ".join(
        f"{kind.label.lower()} {number(counts[kind.label])}"
        for kind in order
        if counts.get(kind.label)
    )


@login_required
def reorganise_start(request):
    """The menu's entry: the screen of the organisation the user manages, or a choice when
    they manage several subtrees."""
    scope = scope_of(request.user)
    if not scope.any(Capability.MANAGE_ORGS):
        raise PermissionDenied("Tài khoản của bạn không được thay đổi tổ chức.")
    if scope.everything:
        roots = list(Organization.unscoped.filter(parent__isnull=True, ended_on__isnull=True))
    else:
        paths = scope.paths_for(Capability.MANAGE_ORGS)
        roots = list(Organization.unscoped.filter(path__in=paths, ended_on__isnull=True))
    roots = [org for org in roots if not org.is_branch]
    if len(roots) == 1:
        return redirect("organizations:reorganise", code=roots[0].code)
    return render(
        request,
        "organizations/reorganise_start.html",
        {"roots": roots, "tree_url": reverse("organizations:tree")},
    )
