"""Cross-cutting pages: the dashboard, the change history, spreadsheet imports and templates."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.accounts.roles import Capability
from dangvien.core import selectors
from dangvien.core.importing import IMPORT_KINDS
from dangvien.core.models import ImportUpload
from dangvien.core.scope import scope_of
from dangvien.core.spreadsheets import UnreadableFile
from dangvien.core.workbooks import XLSX_TYPE, annotated_workbook, template_workbook
from dangvien.organizations.selectors import scope_roots, subtree_summary


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
    if kind not in IMPORT_KINDS:
        raise Http404
    import_kind = IMPORT_KINDS[kind]
    content, content_type = template_workbook(import_kind, extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.{extension}"'
    return response
