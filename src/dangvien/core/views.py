"""Cross-cutting pages: the dashboard, the change history, spreadsheet imports and templates."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.accounts.roles import Capability
from dangvien.core import selectors
from dangvien.core.errors import DomainError
from dangvien.core.importing import IMPORT_KINDS
from dangvien.core.models import Holiday, ImportUpload, RuleSet
from dangvien.core.rules import RULE_KEYS, default_values
from dangvien.core.scope import scope_of
from dangvien.core.services import add_holiday, remove_holiday, save_rule_set
from dangvien.core.spreadsheets import UnreadableFile
from dangvien.core.workbooks import XLSX_TYPE, annotated_workbook, template_workbook
from dangvien.organizations.selectors import scope_roots, subtree_summary
from dangvien.reports.periods import parse_year


@login_required
def home(request):
    roots = list(scope_roots(request.user)) if scope_of(request.user).any(Capability.VIEW) else []
    summaries = [(root, subtree_summary(root)) for root in roots[:20]]
    bindings = request.user.role_bindings.filter(active=True).select_related("organization")
    return render(request, "core/home.html", {"summaries": summaries, "bindings": bindings})


@login_required
def history(request):
    if not scope_of(request.user).any(Capability.VIEW):
        raise PermissionDenied
    entries = selectors.recent_changes(request.user, request.GET.get("days"))
    return render(request, "core/history.html", {"entries": entries})


def _import_kind(user, kind: str):
    if kind not in IMPORT_KINDS:
        raise Http404
    import_kind = IMPORT_KINDS[kind]
    if not scope_of(user).any(import_kind.capability):
        raise PermissionDenied
    return import_kind


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp dữ liệu (.xlsx hoặc .csv)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    import_kind = _import_kind(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        saved = ImportUpload.objects.create(
            uploaded_by=request.user, kind=kind, filename=upload.name, content=upload.read()
        )
        return redirect("core:import-preview", kind=kind, pk=saved.pk)
    return render(request, "core/import_upload.html", {"form": form, "import_kind": import_kind})


def _own_upload(request, kind, pk) -> ImportUpload:
    return get_object_or_404(ImportUpload, pk=pk, kind=kind, uploaded_by=request.user)


@login_required
def import_preview(request, kind, pk):
    """Validate the uploaded file without writing, and show what it would do or what is wrong."""
    import_kind = _import_kind(request.user, kind)
    upload = _own_upload(request, kind, pk)
    try:
        report = import_kind.run(
            bytes(upload.content), upload.filename, actor=request.user, dry_run=True
        )
    except UnreadableFile as exc:
        report, unreadable = None, str(exc)
    else:
        unreadable = ""
    context = {
        "import_kind": import_kind,
        "upload": upload,
        "report": report,
        "unreadable": unreadable,
    }
    return render(request, "core/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, kind, pk):
    import_kind = _import_kind(request.user, kind)
    upload = _own_upload(request, kind, pk)
    if upload.status == ImportUpload.Status.IMPORTED:
        messages.info(request, "Tệp này đã được nhập trước đó.")
        return redirect("core:import-preview", kind=kind, pk=pk)
    report = import_kind.run(bytes(upload.content), upload.filename, actor=request.user)
    if not report.ok:
        messages.error(request, "Tệp có lỗi, không có dữ liệu nào được ghi.")
        return redirect("core:import-preview", kind=kind, pk=pk)
    upload.status = ImportUpload.Status.IMPORTED
    upload.summary = (
        f"tạo mới {report.created}, cập nhật {report.updated}, không thay đổi {report.unchanged}"
    )
    upload.save(update_fields=["status", "summary"])
    messages.success(request, f"Đã nhập {import_kind.label}: {upload.summary}.")
    return redirect("core:import-upload", kind=kind)


@login_required
def import_errors(request, kind, pk):
    """The uploaded file annotated with its problems, as a workbook to fix and upload again."""
    import_kind = _import_kind(request.user, kind)
    upload = _own_upload(request, kind, pk)
    try:
        report = import_kind.run(
            bytes(upload.content), upload.filename, actor=request.user, dry_run=True
        )
        content = annotated_workbook(bytes(upload.content), upload.filename, report.problems)
    except UnreadableFile as exc:
        messages.error(request, str(exc))
        return redirect("core:import-preview", kind=kind, pk=pk)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="loi-{kind}-{pk}.xlsx"'
    return response


def import_template(request, kind, extension):
    """The downloadable template of a spreadsheet kind (open to every signed-in user)."""
    if kind not in IMPORT_KINDS or extension not in ("xlsx", "csv"):
        raise Http404
    import_kind = IMPORT_KINDS[kind]
    content, content_type = template_workbook(import_kind, extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.{extension}"'
    return response


def _require_admin(user) -> None:
    if not scope_of(user).everything:
        raise PermissionDenied("Chỉ quản trị hệ thống được xem và sửa bộ quy định.")


@login_required
def rule_sets(request):
    _require_admin(request.user)
    sets = list(RuleSet.objects.order_by("effective_from"))
    rows = [
        (label, [rule_set.values.get(key, "—") for rule_set in sets])
        for key, (label, _default) in RULE_KEYS.items()
    ]
    return render(request, "core/rule_sets.html", {"sets": sets, "rows": rows})


class RuleSetForm(forms.Form):
    name = forms.CharField(label="Văn bản quy định", max_length=200)
    effective_from = forms.DateField(label="Có hiệu lực từ")
    note = forms.CharField(
        label="Ghi chú, căn cứ", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, _default) in RULE_KEYS.items():
            self.fields[key] = forms.IntegerField(label=label, min_value=0)

    def values(self) -> dict:
        return {key: self.cleaned_data[key] for key in RULE_KEYS}


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_edit(request, pk=None):
    _require_admin(request.user)
    rule_set = get_object_or_404(RuleSet, pk=pk) if pk else None
    latest = RuleSet.objects.order_by("-effective_from").first()
    source = rule_set or latest
    initial = {**default_values(), **(source.values if source else {})}
    if rule_set:
        initial |= {
            "name": rule_set.name,
            "effective_from": rule_set.effective_from,
            "note": rule_set.note,
        }
    form = RuleSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_rule_set(
                request.user,
                rule_set,
                name=data["name"],
                effective_from=data["effective_from"],
                values=form.values(),
                note=data["note"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu bộ quy định.")
            return redirect("core:rules")
    title = f"Sửa: {rule_set}" if rule_set else "Thêm bộ quy định mới"
    return render(request, "core/rule_set_form.html", {"form": form, "title": title})


class HolidayForm(forms.Form):
    day = forms.DateField(label="Ngày nghỉ")
    name = forms.CharField(label="Tên ngày lễ, lý do nghỉ", max_length=150)


@login_required
@require_http_methods(["GET", "POST"])
def holidays(request):
    """The working-day calendar: the public holidays of a year, which the administrator edits."""
    _require_admin(request.user)
    try:
        year = parse_year(request.GET.get("year")) or timezone.localdate().year
    except DomainError as exc:
        messages.error(request, exc.message)
        year = timezone.localdate().year
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = add_holiday(request.user, form.cleaned_data["day"], form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Đã thêm ngày nghỉ {added.day:%d/%m/%Y}.")
            return redirect(f"{reverse('core:holidays')}?year={added.day.year}")
    context = {
        "form": form,
        "year": year,
        "days": Holiday.objects.filter(day__year=year),
        "years": (year - 1, year + 1),
    }
    return render(request, "core/holidays.html", context)


@login_required
@require_POST
def holiday_remove(request, pk):
    _require_admin(request.user)
    holiday = get_object_or_404(Holiday, pk=pk)
    remove_holiday(request.user, holiday)
    messages.success(request, f"Đã bỏ ngày nghỉ {holiday.day:%d/%m/%Y}: ngày này là ngày làm việc.")
    return redirect(f"{reverse('core:holidays')}?year={holiday.day.year}")
