"""The conflicts across scopes page: values refused because a record outside the actor's scope
holds them, for the officers who hold both records, who settle them and mark them resolved."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from dangvien.core.forms import attempt
from dangvien.core.pages import require_any
from dangvien.core.paths import path_ids
from dangvien.core.roles import Capability
from dangvien.members import conflicts
from dangvien.members.models import ScopeConflict
from dangvien.organizations.models import Organization

# Where the existing record of a conflict opens (url name, the attribute of its key).
RECORD_PAGES = {
    "members.member": ("members:detail", "pk"),
    "admissions.candidate": ("admissions:candidate", "pk"),
}


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="Cách đã xử lý",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: đã sửa số CCCD nhập nhầm ở hồ sơ mới; hai hồ sơ là một người, đã "
        "chuyển sinh hoạt.",
    )


def _org_names(rows: list[ScopeConflict]) -> dict[str, str]:
    """The name of the organisation at each path the rows mention, in one query."""
    paths = {p for row in rows for p in (row.existing_path, row.attempted_path, row.common_path)}
    ids = {path: path_ids(path)[-1] for path in paths if path_ids(path)}
    names = dict(Organization.unscoped.filter(pk__in=set(ids.values())).values_list("pk", "name"))
    return {path: names.get(pk, "") for path, pk in ids.items()}


def _existing_urls(rows: list[ScopeConflict]) -> dict[int, str]:
    """Where each row's existing record opens, by row id; organisations' codes in one query."""
    org_ids = {r.existing_id for r in rows if r.existing_type == "organizations.organization"}
    codes = dict(Organization.unscoped.filter(pk__in=org_ids).values_list("pk", "code"))
    return {row.pk: _existing_url(row, codes) for row in rows}


def _existing_url(row: ScopeConflict, org_codes: dict[int, str]) -> str:
    if row.existing_type == "organizations.organization":
        if row.existing_id not in org_codes:
            return ""  # dissolved records stay; a deleted one has no page
        name, kwargs = "organizations:detail", {"code": org_codes[row.existing_id]}
    elif row.existing_type in RECORD_PAGES:
        name, attribute = RECORD_PAGES[row.existing_type]
        kwargs = {attribute: row.existing_id}
    else:
        return ""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # e.g. a legacy organisation code the URL pattern refuses
        return ""


def _annotate(rows: list[ScopeConflict]) -> list[ScopeConflict]:
    names = _org_names(rows)
    urls = _existing_urls(rows)
    for row in rows:
        row.existing_org = names.get(row.existing_path, "")
        row.attempted_org = names.get(row.attempted_path, "")
        row.common_org = names.get(row.common_path, "") or "toàn hệ thống"
        row.existing_url = urls[row.pk]
    return rows


@login_required
def conflict_list(request):
    require_any(request.user, Capability.MANAGE_MEMBERS)
    resolved = request.GET.get("resolved") == "1"
    rows = conflicts.visible_conflicts(request.user).filter(resolved_at__isnull=not resolved)
    context = {"rows": _annotate(list(rows[:500])), "resolved": resolved}
    return render(request, "members/conflicts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def conflict_detail(request, pk):
    row = conflicts.visible_conflicts(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form, lambda: conflicts.resolve_conflict(request.user, row, form.cleaned_data["note"])
        )
        if done is not None:
            messages.success(request, "Đã ghi nhận trường hợp trùng là đã xử lý.")
            return redirect("members:conflicts")
    return render(
        request, "members/conflict_detail.html", {"row": _annotate([row])[0], "form": form}
    )
