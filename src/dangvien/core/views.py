"""Cross-cutting pages: the change history, the access review, spreadsheet imports and their
templates, the rule sets and the holiday calendar."""

import logging
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dangvien.core import access_review as access_review_files
from dangvien.core import selectors, uploads, versions
from dangvien.core.audit import common_path, record_read
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.errors import DomainError
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.holiday_effects import MovedDeadlines, deadlines_moved_by
from dangvien.core.import_lock import import_lock
from dangvien.core.importing import IMPORT_KINDS
from dangvien.core.models import Holiday, ImportUpload, RuleSet
from dangvien.core.queryparams import parse_year, query_int
from dangvien.core.roles import Capability
from dangvien.core.rules import Family, default_values, display_value, family_keys
from dangvien.core.scope import scope_of
from dangvien.core.services import add_holiday, remove_holiday, save_rule_set
from dangvien.core.spreadsheets import UnreadableFile
from dangvien.core.versions import VersionField
from dangvien.core.vntext import number
from dangvien.core.workbooks import (
    XLSX_TYPE,
    annotated_workbook,
    template_name,
    template_workbook,
)

logger = logging.getLogger(__name__)


@login_required
def history(request):
    """Every change in the user's subtree, filtered by period, person, record and kind, paged."""
    if not scope_of(request.user).any(Capability.VIEW):
        raise PermissionDenied
    days = query_int(
        request.GET, "days", label="Số ngày", low=1, high=selectors.HISTORY_MAX_DAYS
    )  # a bad value is a 400 with the reason (BadQuery), never a silent default
    context = {"actions": selectors.change_actions(), "query": request.GET}
    try:
        filters = selectors.HistoryFilters.from_query(request.GET, days)
    except DomainError as exc:
        return render(request, "core/history.html", {**context, "error": exc.message}, status=400)
    entries = selectors.changes(request.user, filters)
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        page=page,
        entries=page.object_list,
        filters=filters,
        query=filters.as_query(),
    )
    return render(request, "core/history.html", context)


HISTORY_PAGE_SIZE = 50


ACCESS_PAGE_SIZE = 50


def _access_filters(request):
    """The review's filters, or a page answering 400 with the reason in Vietnamese."""
    if not selectors.may_review_access(request.user):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống và cán bộ kiểm tra được xem nhật ký truy cập."
        )
    try:
        return selectors.AccessFilters.from_query(request.GET), None
    except DomainError as exc:
        context = {"error": exc.message, "kinds": selectors.ACCESS_KINDS, "query": request.GET}
        return None, render(request, "core/access_review.html", context, status=400)


@login_required
@require_safe  # a read, recorded in the audit: never on a POST
def access_review(request):
    """Who viewed, printed or exported records, and who signed in: by person and period."""
    filters, refusal = _access_filters(request)
    if refusal is not None:
        return refusal
    entries = selectors.access_entries(request.user, filters)
    page = Paginator(entries, ACCESS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "kinds": selectors.ACCESS_KINDS,
        "query": filters.as_query(),
        "query_string": urlencode(filters.as_query()),
    }
    return render(request, "core/access_review.html", context)


@login_required
@require_safe  # a read, recorded in the audit: never on a POST
def access_review_export(request, extension):
    """The filtered review as csv or xlsx; the export itself is recorded."""
    if extension not in ("csv", "xlsx"):
        raise Http404
    filters, refusal = _access_filters(request)
    if refusal is not None:
        return refusal
    entries = selectors.access_entries(request.user, filters)
    where = ""
    if not scope_of(request.user).everything:
        where = common_path(list(selectors.inspector_paths(request.user)))
    details = {"rows": entries.count(), "filters": filters.as_query(), "format": extension}
    recorded = record_read(
        request.user, "access.export", org_path=where, label="Nhật ký truy cập", details=details
    )
    entries = entries.filter(pk__lt=recorded.pk)  # the rows counted, not this export itself
    filename = f"nhat-ky-truy-cap-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.{extension}"
    if extension == "csv":
        response = StreamingHttpResponse(
            access_review_files.csv_chunks(entries), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        access_review_files.xlsx_file(entries), as_attachment=True, filename=filename
    )


def _import_kind(user, kind: str):
    if kind not in IMPORT_KINDS:
        raise Http404
    import_kind = IMPORT_KINDS[kind]
    if not scope_of(user).any(import_kind.capability):
        raise PermissionDenied
    return import_kind


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp dữ liệu (.xlsx hoặc .csv)",
        required=False,  # a file cut off for its size arrives missing: said below, not "required"
        widget=forms.FileInput(attrs={"required": True, "accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].help_text = f"Tối đa {settings.UPLOAD_MAX_MB} MB."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.too_large or (upload and upload.size > uploads.max_upload_bytes()):
            raise forms.ValidationError(uploads.too_large_message())
        if not upload:
            raise forms.ValidationError("Hãy chọn tệp dữ liệu.")
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .csv.")
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    """Read the file once (within the size and reading limits), check it, keep the result."""
    import_kind = _import_kind(request.user, kind)
    # Bound on every POST: a file cut off for its size leaves the request with no field at all.
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    # Read after the body is parsed: the upload handler sets it while parsing.
    too_large = getattr(request, "upload_too_large", False)
    form = UploadForm(*bound, too_large=too_large)
    if request.method == "POST" and form.is_valid():
        try:
            saved = uploads.receive_upload(request.user, kind, form.cleaned_data["file"])
        except UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("core:import-preview", kind=kind, pk=saved.pk)
    return render(
        request,
        "core/import_upload.html",
        {"form": form, "import_kind": import_kind},
        status=400 if form.errors else 200,
    )


def _own_upload(request, kind, pk, *, rows: bool = False) -> ImportUpload:
    """The user's upload; its stored rows (megabytes) are loaded only when `rows` is asked."""
    mine = ImportUpload.objects.filter(pk=pk, kind=kind, uploaded_by=request.user)
    return get_object_or_404(mine if rows else mine.defer("parsed"))


NOT_WRITTEN = "Tệp có lỗi, không có dữ liệu nào được ghi."


@login_required
def import_preview(request, kind, pk):
    """What the file would do or what is wrong with it, as found when it was uploaded."""
    import_kind = _import_kind(request.user, kind)
    upload = _own_upload(request, kind, pk)
    report = uploads.saved_report(upload)
    context = {
        "import_kind": import_kind,
        "upload": upload,
        "report": report,
        "unreadable": "" if report else uploads.not_kept_message(),
    }
    return render(request, "core/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, kind, pk):
    """Write the kept rows after checking them against the database as it is now."""
    import_kind = _import_kind(request.user, kind)
    upload = _own_upload(request, kind, pk)
    if upload.status == ImportUpload.Status.IMPORTED:
        messages.info(request, "Tệp này đã được nhập trước đó.")
        return redirect("core:import-preview", kind=kind, pk=pk)
    if upload.report is None:  # purged, or uploaded before readings were kept
        messages.error(request, uploads.not_kept_message())
        return redirect("core:import-preview", kind=kind, pk=pk)
    if upload.status == ImportUpload.Status.REJECTED:
        # Fixed and uploaded again, never confirmed: a file is checked once per upload, so a
        # collision outside the user's scope counts once per attempt (members.conflicts).
        messages.error(request, f"{NOT_WRITTEN} Hãy sửa tệp rồi tải lên lại.")
        return redirect("core:import-preview", kind=kind, pk=pk)
    kept = uploads.stored(upload)  # loads the deferred rows
    if kept is None:
        messages.error(request, uploads.not_kept_message())
        return redirect("core:import-preview", kind=kind, pk=pk)
    table, _problems = kept
    try:
        # The scope's import lock, held from validation to commit (core.import_lock).
        with import_lock(request.user):
            report = import_kind.run(table, upload.filename, actor=request.user)
    except DomainError as exc:  # another import is running, or the database refused the write
        messages.error(request, exc.message)
        return redirect("core:import-preview", kind=kind, pk=pk)
    if not report.ok:
        uploads.keep_recheck(upload, table, report)
        messages.error(request, NOT_WRITTEN)
        return redirect("core:import-preview", kind=kind, pk=pk)
    try:  # the data is committed: failing to mark the upload must not report a failure
        uploads.mark_imported(upload, report)
    except DatabaseError:
        logger.exception("import %s committed; marking upload %s as imported failed", kind, pk)
    messages.success(request, f"Đã nhập {import_kind.label}: {upload.summary}.")
    return redirect("core:import-upload", kind=kind)


@login_required
def import_errors(request, kind, pk):
    """The kept rows annotated with their problems, as a workbook to fix and upload again."""
    _import_kind(request.user, kind)
    upload = _own_upload(request, kind, pk, rows=True)
    kept = uploads.stored(upload)
    if kept is None:
        messages.error(request, uploads.not_kept_message())
        return redirect("core:import-preview", kind=kind, pk=pk)
    response = HttpResponse(annotated_workbook(*kept), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="loi-{kind}-{pk}.xlsx"'
    return response


@login_required
def import_template(request, kind, extension):
    """The downloadable template of a spreadsheet kind (open to every signed-in user)."""
    if kind not in IMPORT_KINDS or extension not in ("xlsx", "csv"):
        raise Http404
    import_kind = IMPORT_KINDS[kind]
    content, content_type = template_workbook(import_kind, extension)
    response = HttpResponse(content, content_type=content_type)
    name = template_name(import_kind.label)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def _require_admin(user) -> None:
    if not scope_of(user).everything:
        raise PermissionDenied("Chỉ quản trị hệ thống được xem và sửa bộ quy định.")


@login_required
def rule_sets(request):
    _require_admin(request.user)
    families = []
    for family, title in Family.LABELS.items():
        sets = list(RuleSet.objects.filter(family=family).order_by("effective_from"))
        rows = [
            (label, [display_value(key, rule_set.values.get(key)) for rule_set in sets])
            for key, (label, _default) in family_keys(family).items()
        ]
        families.append({"family": family, "title": title, "sets": sets, "rows": rows})
    return render(request, "core/rule_sets.html", {"families": families})


class RuleSetForm(forms.Form):
    name = forms.CharField(label="Văn bản quy định", max_length=200)
    effective_from = forms.DateField(label="Có hiệu lực từ")
    note = forms.CharField(
        label="Ghi chú, căn cứ", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    version = VersionField()

    def __init__(self, *args, family: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = family_keys(family)
        for key, (label, _default) in self.keys.items():
            self.fields[key] = forms.IntegerField(label=label, min_value=0)

    def values(self) -> dict:
        return {key: self.cleaned_data[key] for key in self.keys}


@login_required
@require_http_methods(["GET", "POST"])
def rule_set_edit(request, pk=None):
    """Correct a rule set, or add one to a family (`?family=`, the Charter's by default) starting
    from the values of that family's latest set."""
    _require_admin(request.user)
    rule_set = get_object_or_404(RuleSet, pk=pk) if pk else None
    family = rule_set.family if rule_set else request.GET.get("family", Family.CHARTER)
    if family not in Family.LABELS:
        raise Http404
    latest = RuleSet.objects.filter(family=family).order_by("-effective_from").first()
    source = rule_set or latest
    initial = {**default_values(family), **(source.values if source else {})}
    if rule_set:
        initial |= {
            "name": rule_set.name,
            "effective_from": rule_set.effective_from,
            "note": rule_set.note,
            "version": versions.token(rule_set),
        }
    form = RuleSetForm(request.POST or None, initial=initial, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_rule_set(
                request.user,
                rule_set,
                family=family,
                name=data["name"],
                effective_from=data["effective_from"],
                values=form.values(),
                note=data["note"],
                expected_version=data["version"] if rule_set else None,
            )
        except DomainError as exc:
            versions.on_refusal(form, exc)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu bộ quy định.")
            return redirect("core:rules")
    title = (
        f"Sửa: {rule_set}" if rule_set else f"Thêm bộ quy định mới: {Family.LABELS[family].lower()}"
    )
    return render(
        request,
        "core/rule_set_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


class HolidayForm(forms.Form):
    day = forms.DateField(label="Ngày nghỉ")
    name = forms.CharField(label="Tên ngày lễ, lý do nghỉ", max_length=150)
    reason = forms.CharField(
        label="Căn cứ",
        max_length=500,
        required=False,
        help_text="Ví dụ: số thông báo của Chính phủ về ngày nghỉ bù.",
    )


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
        data = form.cleaned_data
        added = attempt(
            form,
            lambda: add_holiday(request.user, data["day"], data["name"], data["reason"]),
        )
        if added is not None:
            messages.success(request, f"Đã thêm ngày nghỉ {added.day:%d/%m/%Y}.")
            return redirect(f"{reverse('core:holidays')}?year={added.day.year}")
    context = {
        "form": form,
        "year": year,
        "days": Holiday.objects.filter(day__year=year),
        "years": (year - 1, year + 1),
    }
    return render(request, "core/holidays.html", context, status=400 if form.errors else 200)


def _holiday_consequences(user, holiday: Holiday) -> list[str]:
    """What working on `holiday.day` changes: the deadlines in working days over it."""
    day = holiday.day
    named = f"Ngày {day:%d/%m/%Y} ({WEEKDAYS[day.weekday()]}, «{holiday.name}») ra khỏi lịch nghỉ"
    if day.weekday() >= 5:
        return [
            f"{named}; ngày này vẫn không phải ngày làm việc (cuối tuần): không thời hạn nào "
            "thay đổi.",
            "Có thể thêm lại ngày nghỉ này ở mục «Thêm ngày nghỉ» trên trang lịch ngày nghỉ.",
        ]
    lines = [f"{named}: là ngày làm việc trong mọi thời hạn tính theo ngày làm việc."]
    lines += [_moved_line(moved) for moved in deadlines_moved_by(user, day)]
    lines += [
        "Lễ kết nạp đã ghi, kết quả xét công nhận và các ngoại lệ đã được đồng ý giữ nguyên.",
        "Có thể thêm lại ngày nghỉ này ở mục «Thêm ngày nghỉ» trên trang lịch ngày nghỉ, kèm "
        "căn cứ.",
    ]
    return lines


def _moved_line(moved: MovedDeadlines) -> str:
    name, start, files = moved.deadline.name, moved.deadline.started_by, moved.deadline.files
    if moved.starts is None:
        return f"{name}: không hồ sơ nào có thời hạn đi qua ngày này."
    first, last = moved.starts
    window = f"{start} từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"
    if not moved.count:
        return f"{name}: không có {files} nào ({window}); không hạn nào thay đổi."
    return f"{name} sớm lên một ngày làm việc với {number(moved.count)} {files} ({window})."


WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@login_required
@require_http_methods(["GET", "POST"])
def holiday_remove(request, pk):
    """Make a day off a working day: a page that says which deadlines move, a required reason,
    then the removal (the day can be added again)."""
    _require_admin(request.user)
    holiday = get_object_or_404(Holiday, pk=pk)
    calendar_url = f"{reverse('core:holidays')}?year={holiday.day.year}"
    page = FinalAction(
        title=f"Bỏ ngày nghỉ {holiday.day:%d/%m/%Y}: {holiday.name}",
        back_url=calendar_url,
        button="Xác nhận bỏ ngày nghỉ",
        refused="Chưa bỏ ngày nghỉ",
        breadcrumb=[
            (reverse("core:rules"), "Bộ quy định"),
            (calendar_url, f"Ngày nghỉ lễ năm {holiday.day.year}"),
        ],
        form_id="holiday-remove",
    )
    return confirm_final_action(
        request,
        page,
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: remove_holiday(request.user, holiday, data["reason"]),
        done=f"Đã bỏ ngày nghỉ {holiday.day:%d/%m/%Y}: ngày này là ngày làm việc.",
        consequences=lambda: _holiday_consequences(request.user, holiday),
        reason_required=lambda: True,
    )
