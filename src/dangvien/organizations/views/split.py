"""The split screen (issue 13, item 2): the new organisations of a chia tách, which of the
organisation's own organisations and members each receives, the decision and whether the
original ends; a preview that rehearses the split and rolls it back, showing the counts before
and after; then «Xác nhận thực hiện», refused when the tree changed since the preview."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.import_lock import import_lock
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations import selectors, services
from dangvien.organizations.forms import OrgDecisionForm
from dangvien.organizations.models import ALLOWED_PARENTS, Organization, OrgKind
from dangvien.organizations.services.splitting import MAX_PARTS
from dangvien.organizations.views import split_preview
from dangvien.organizations.views.changes import org_to_manage

# Organisations and members one page assigns: one field each, under Django's 1,000 a request.
MAX_ROWS = 900
STALE = (
    "Cây tổ chức, đảng viên hoặc các lựa chọn đã thay đổi từ lần xem trước; chưa thực hiện gì. "
    "Hãy bấm «Xem trước» lại rồi xác nhận."
)
REFUSED = "Chưa chia tách"


class SplitForm(OrgDecisionForm):
    """The decision of the split, whether the original ends, and the preview's fingerprint."""

    end_original = forms.BooleanField(
        label="Tổ chức cũ kết thúc hoạt động (giải thể) sau khi chia tách",
        required=False,
        help_text="Bỏ chọn khi chỉ tách một phần: tổ chức cũ tiếp tục với những gì không chọn.",
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)
    field_order = ["effective_on", "decision_number", "decision_body", "reason", "end_original"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        day = self.fields["effective_on"]
        day.required, day.label = True, "Ngày chia tách"
        day.widget.attrs["placeholder"] = "dd/mm/yyyy"
        self.fields["decision_number"].required = True
        self.fields["reason"].required = True
        self.fields["reason"].label = "Lý do chia tách"


@dataclass
class PartRow:
    """One new organisation as the officer typed it."""

    number: int  # 1, 2 … as the selects name it
    code: str = ""
    name: str = ""
    kind: str = ""


@dataclass
class Row:
    """An organisation under the original, or a member of it, and the part chosen for it."""

    item: object  # Organization or Member
    part: int | None = None  # PartRow.number; None: stays (or not chosen yet)


@dataclass
class Page:
    org: Organization
    count: int
    parts: list[PartRow]
    children: list[Row]
    members: list[Row]
    kinds: list[tuple[str, str]] = field(default_factory=list)

    def split_parts(self) -> list[services.SplitPart]:
        return [
            services.SplitPart(
                part.code,
                part.name,
                part.kind,
                children=[row.item for row in self.children if row.part == part.number],
                members=[row.item for row in self.members if row.part == part.number],
            )
            for part in self.parts
        ]

    def choices(self) -> dict:
        """What the officer chose, for the fingerprint."""
        return {
            "parts": [[p.code, p.name, p.kind] for p in self.parts],
            "children": {row.item.pk: row.part for row in self.children},
            "members": {row.item.pk: row.part for row in self.members},
        }


def _kinds(org: Organization) -> list[tuple[str, str]]:
    """The kinds a new organisation may have under the original's parent."""
    parent_kind = org.parent.kind if org.parent else None
    return [
        (kind, OrgKind(kind).label) for kind, up in ALLOWED_PARENTS.items() if parent_kind in up
    ]


def _digits(value: str) -> int | None:
    """A small whole number typed in ASCII digits ("²" or 5,000 digits are not one)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else None


def _count(request) -> int:
    raw = _digits(request.POST.get("parts") or request.GET.get("parts") or "2")
    return 2 if raw is None else min(max(raw, 1), MAX_PARTS)


def _number(value: str, count: int) -> int | None:
    number = _digits(value)
    return number if number is not None and 1 <= number <= count else None


def _page_of(request, org: Organization) -> Page:
    """The parts and the rows of the page, as posted (or empty on GET)."""
    count, data = _count(request), request.POST
    kinds = _kinds(org)
    offered = [kind for kind, _label in kinds]
    usual = org.kind if org.kind in offered else (offered[0] if offered else "")
    parts = [
        PartRow(
            i,
            data.get(f"part-{i}-code", "").strip(),
            " ".join(data.get(f"part-{i}-name", "").split()),
            data.get(f"part-{i}-kind", usual),
        )
        for i in range(1, count + 1)
    ]
    children = org.children.filter(ended_on__isnull=True).order_by("sort_key")
    members = Member.unscoped.filter(branch=org, status__in=ACTIVE_STATUSES).order_by("sort_key")
    return Page(
        org,
        count,
        parts,
        [Row(child, _number(data.get(f"child-{child.pk}", ""), count)) for child in children],
        [Row(member, _number(data.get(f"member-{member.pk}", ""), count)) for member in members],
        kinds,
    )


def _render(request, page: Page, form: SplitForm, *, preview=None, status=200):
    too_many = len(page.children) + len(page.members) > MAX_ROWS
    context = {
        "org": page.org,
        "ancestors": selectors.ancestors(request.user, page.org),
        "page": page,
        "numbers": range(1, page.count + 1),
        "counts": range(1, MAX_PARTS + 1),
        "form": form,
        "preview": preview,
        "refused": REFUSED,
        "too_many": too_many,
        "max_rows": MAX_ROWS,
    }
    return render(request, "organizations/split.html", context, status=status)


def _require_parent(request, org: Organization) -> None:
    """A split establishes the new organisations under the parent: the officer manages it."""
    parent = org.parent
    allowed = (
        can(request.user, Capability.MANAGE_ORGS, parent.path)
        if parent
        else scope_of(request.user).everything
    )
    if not allowed:
        where = f"tổ chức cấp trên {parent.name}" if parent else "cấp cao nhất"
        raise PermissionDenied(f"Chia tách {org.name} cần quyền quản lý {where}.")


@login_required
@require_http_methods(["GET", "POST"])
def split(request, code):
    """GET: the parts to fill in (`?parts=` how many); POST «Xem trước»: the split rehearsed
    and rolled back; POST «Xác nhận thực hiện»: the split written, if the tree is still the
    one previewed."""
    org = org_to_manage(request, code)
    if not org.is_active:
        messages.info(request, f"{org.name} đã thôi hoạt động từ {org.ended_on:%d/%m/%Y}.")
        return redirect("organizations:detail", code=org.code)
    _require_parent(request, org)
    page = _page_of(request, org)
    if request.method == "GET":
        return _render(request, page, SplitForm(user=request.user, initial={"end_original": True}))
    form = SplitForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render(request, page, form, status=400)
    if "confirm" in request.POST:
        return _confirm(request, page, form, form.cleaned_data["fingerprint"])
    decision, end = form.decision(), form.cleaned_data["end_original"]
    current = split_preview.fingerprint(request.user, org, page.choices(), form.cleaned_data)
    try:
        preview = split_preview.rehearse(request.user, org, page.split_parts(), decision, end)
    except ScopeDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render(request, page, form, status=400)
    form = SplitForm({**request.POST.dict(), "fingerprint": current}, user=request.user)
    form.is_valid()
    return _render(request, page, form, preview=preview)


def _confirm(request, page: Page, form: SplitForm, previewed: str):
    """Write the split under the import lock of the officer's scope, in one transaction, only
    if the tree and the choices are still the ones previewed (their fingerprint, computed under
    the lock)."""
    org, data = page.org, form.cleaned_data
    try:
        with import_lock(request.user), transaction.atomic():
            Organization.unscoped.select_for_update().filter(pk=org.pk).first()
            if split_preview.fingerprint(request.user, org, page.choices(), data) != previewed:
                raise DomainError(STALE)
            created = services.split_organization(
                request.user,
                org,
                page.split_parts(),
                form.decision(),
                end_original=data["end_original"],
            )
    except ScopeDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render(request, page, form, status=409 if exc.message == STALE else 400)
    names = ", ".join(new.name for new in created)
    messages.success(request, f"Đã chia tách {org.name} thành {names}.")
    return redirect("organizations:detail", code=org.code)
