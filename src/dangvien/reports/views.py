"""Pages of the reports (structure, quality, admissions, inspection) on screen, and the same
reports as xlsx and PDF."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from dangvien.core.audit import record_read
from dangvien.core.errors import DomainError
from dangvien.core.queryparams import BadQuery, parse_year
from dangvien.core.roles import Capability
from dangvien.core.routers import reads_from_replica
from dangvien.core.scope import scope_of
from dangvien.core.spreadsheets import parse_date
from dangvien.core.workbooks import XLSX_TYPE
from dangvien.organizations import dated
from dangvien.organizations.models import WHOLE_PARTY_CODE, Organization, whole_party
from dangvien.organizations.selectors import ancestors, get_org, scope_roots
from dangvien.reports import render as renderers
from dangvien.reports import render_admissions as admissions_renderers
from dangvien.reports import render_inspection as inspection_renderers
from dangvien.reports import render_quality as quality_renderers
from dangvien.reports.admissions import admissions_report, report_period
from dangvien.reports.caching import cached_report
from dangvien.reports.inspection import inspection_report
from dangvien.reports.periods import year_end
from dangvien.reports.quality import latest_graded_year, quality_report
from dangvien.reports.structure import structure_report


@dataclass(frozen=True)
class ReportQuery:
    """The organisation and date asked for in the query string (?org=CODE&year=Y)."""

    org: Organization
    year: int | None
    as_of: datetime.date
    error: str = ""

    @property
    def download_query(self) -> str:
        params = {"org": self.org.code}
        if self.year is not None:
            params["year"] = self.year
        return urlencode(params)

    def filename(self, extension: str) -> str:
        code = _file_code(self.org)
        return f"co-cau-dang-vien-{code}-{self.as_of:%Y%m%d}.{extension}"


def _report_org(request) -> Organization:
    """The organisation asked for, through the user's scope (404 outside it); by default the
    top of the user's scope. Users without the view capability are refused (403)."""
    user = request.user
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn không được xem báo cáo thống kê.")
    code = request.GET.get("org", "").strip()
    if code == WHOLE_PARTY_CODE and scope_of(user).everything:
        return whole_party()
    if code:
        return get_org(user, code)
    org = scope_roots(user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return org


def _ancestors(user, org: Organization) -> list[Organization]:
    """The breadcrumb above `org`, the whole Party first for the users who see everything."""
    if org.pk is None:
        return []
    above = ancestors(user, org)
    return [whole_party(), *above] if scope_of(user).everything else above


def _file_code(org: Organization) -> str:
    """The organisation's code as it goes into a file name."""
    return "toan-dang" if org.pk is None else slugify(org.code) or "to-chuc"


def _report_query(request) -> ReportQuery:
    """The organisation and the report date (the end of the year asked for, or today)."""
    org = _report_org(request)
    today = timezone.localdate()
    try:
        year = parse_year(request.GET.get("year"))
        query = ReportQuery(org, year, year_end(year, today))
    except DomainError as error:
        query = ReportQuery(org, None, today, error.message)
    _require_existing(org, query.as_of, request.user)
    return query


def _require_existing(org: Organization, day: datetime.date, reader) -> None:
    """A report reads the tree as it stood on its date: an organisation not yet established
    or already ended then has none (400 saying when it began or ended, and what it became if
    the reader may see that)."""
    if message := dated.absence(org, min(day, timezone.localdate()), reader):
        raise BadQuery(message)


@login_required
@reads_from_replica
def structure(request):
    query = _report_query(request)  # the scope is checked here, before the cache is read
    report = cached_report(
        "structure", query.org, [query.as_of], lambda: structure_report(query.org, query.as_of)
    )
    tables = cached_report(
        "structure-tables",
        query.org,
        [query.as_of, query.year],
        lambda: render_to_string(
            "reports/_structure_tables.html",
            {**renderers.context(report), "links": True, "query_year": query.year},
        ),
    )
    context = {
        "report": report,
        "title": renderers.TITLE,
        "tables": mark_safe(tables),  # rendered from the report by the template
        "ancestors": _ancestors(request.user, query.org),
        "query_year": query.year,
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/structure.html", context)


def _attachment(
    query, extension: str, content_type: str, build, request=None, report: str = ""
) -> HttpResponse:
    """A report file to download (xlsx, PDF) named after the query, its download recorded in
    the audit; 400 with the reason when the query is refused."""
    if query.error:
        return HttpResponseBadRequest(query.error, content_type="text/plain; charset=utf-8")
    content = build()
    if request is not None:
        _record_download(request, query, report, extension)
    response = HttpResponse(content, content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=query.filename(extension)
    )
    return response


def _record_download(request, query, report: str, extension: str) -> None:
    """One audit entry per report file: which report, organisation, period and format."""
    if getattr(query, "year_from", None) is not None:
        year = str(query.year_from)
        if query.year_to != query.year_from:
            year += f"-{query.year_to}"
    else:
        year = query.year
    details = {"report": report, "org": query.org.code, "year": year, "format": extension}
    record_read(
        request.user,
        "report.download",
        org_path="" if query.org.pk is None else query.org.path,
        label=f"{report}: {query.org.name}",
        details=details,
    )


def _download(request, extension: str, content_type: str, make) -> HttpResponse:
    query = _report_query(request)
    return _attachment(
        query,
        extension,
        content_type,
        lambda: make(structure_report(query.org, query.as_of)),
        request,
        "Cơ cấu đảng viên",
    )


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def structure_xlsx(request):
    return _download(request, "xlsx", XLSX_TYPE, renderers.to_xlsx)


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def structure_pdf(request):
    return _download(request, "pdf", "application/pdf", renderers.to_pdf)


# -- Quality report -------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityQuery:
    """The organisation and year asked for (?org=CODE&year=Y); without a year, the last year
    with grades in the subtree."""

    org: Organization
    year: int
    error: str = ""

    @property
    def download_query(self) -> str:
        return urlencode({"org": self.org.code, "year": self.year})

    def filename(self, extension: str) -> str:
        code = _file_code(self.org)
        return f"xep-loai-chat-luong-{code}-{self.year}.{extension}"


def _quality_query(request) -> QualityQuery:
    org = _report_org(request)
    today = timezone.localdate()
    latest = cached_report(
        "latest-graded-year", org, [today.year], lambda: latest_graded_year(org, today.year)
    )
    default = latest or today.year - 1
    try:
        year = parse_year(request.GET.get("year"))
        if year is not None:
            year_end(year, today)
        query = QualityQuery(org, year or default)
    except DomainError as error:
        query = QualityQuery(org, default, error.message)
    _require_existing(org, year_end(query.year, today), request.user)
    return query


@login_required
@reads_from_replica
def quality(request):
    query = _quality_query(request)  # the scope is checked here, before the cache is read
    report = cached_report(
        "quality", query.org, [query.year], lambda: quality_report(query.org, query.year)
    )
    tables = cached_report(
        "quality-tables",
        query.org,
        [query.year],
        lambda: render_to_string(
            "reports/_quality_tables.html", {**quality_renderers.context(report), "links": True}
        ),
    )
    context = {
        **quality_renderers.context(report, with_charts=False),
        "tables": mark_safe(tables),  # rendered from the report by the template
        "ancestors": _ancestors(request.user, query.org),
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/quality.html", context)


def _quality_download(request, extension: str, content_type: str, make, **options):
    query = _quality_query(request)
    return _attachment(
        query,
        extension,
        content_type,
        lambda: make(quality_report(query.org, query.year, **options)),
        request,
        "Xếp loại chất lượng",
    )


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def quality_xlsx(request):
    """The workbook lists every member not graded; the page and the PDF only the first."""
    return _quality_download(
        request, "xlsx", XLSX_TYPE, quality_renderers.to_xlsx, not_graded_limit=None
    )


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def quality_pdf(request):
    return _quality_download(request, "pdf", "application/pdf", quality_renderers.to_pdf)


# -- Admissions report ----------------------------------------------------------------------


@dataclass(frozen=True)
class AdmissionsQuery:
    """The organisation and period asked for: ?org=CODE and ?year=Y or ?from=Y1&to=Y2, with
    an optional ?as_of=dd/mm/yyyy ("đến ngày"); by default the current year."""

    org: Organization
    year_from: int
    year_to: int
    as_of: datetime.date | None = None
    error: str = ""

    @property
    def period_query(self) -> str:
        """The period as a query string, kept by the drill-down links and the downloads."""
        if self.year_from == self.year_to:
            params = {"year": self.year_from}
        else:
            params = {"from": self.year_from, "to": self.year_to}
        if self.as_of is not None:
            params["as_of"] = f"{self.as_of:%d/%m/%Y}"
        return urlencode(params)

    @property
    def download_query(self) -> str:
        return f"{urlencode({'org': self.org.code})}&{self.period_query}"

    def filename(self, extension: str) -> str:
        code = _file_code(self.org)
        period = str(self.year_from)
        if self.year_to != self.year_from:
            period += f"-{self.year_to}"
        if self.as_of is not None:
            period += f"-den-{self.as_of:%Y%m%d}"
        return f"phat-trien-dang-vien-{code}-{period}.{extension}"


def _admissions_period(params, today: datetime.date) -> tuple[int, int, datetime.date | None]:
    """The years and the optional last day typed in the form, checked (DomainError)."""
    year_from, year_to = parse_year(params.get("from")), parse_year(params.get("to"))
    if params.get("year", "").strip() and (year_from is not None or year_to is not None):
        raise DomainError(
            "Ghi một năm hoặc một nhiệm kỳ, không ghi cả hai: xóa năm đầu và năm cuối để xem "
            "một năm, hoặc xóa ô «Năm» để xem nhiệm kỳ.",
            field="year",
        )
    if year_from is None and year_to is None:
        year_from = year_to = parse_year(params.get("year")) or today.year
    elif year_from is None or year_to is None:
        raise DomainError(
            "Ghi cả năm đầu và năm cuối của nhiệm kỳ (ví dụ 2020 và 2025).", field="from"
        )
    as_of = None
    text = params.get("as_of", "").strip()
    if text:
        try:
            as_of = parse_date(text)
        except ValueError as error:
            raise DomainError(f"Ngày tính đến: {error}", field="as_of") from None
    report_period(year_from, year_to, today, as_of)
    return year_from, year_to, as_of


def _admissions_query(request) -> AdmissionsQuery:
    """The query, and a 400 when the organisation did not exist at the period's end (the
    report reads the tree as it stood then)."""
    org = _report_org(request)
    today = timezone.localdate()
    try:
        query = AdmissionsQuery(org, *_admissions_period(request.GET, today))
    except DomainError as error:
        query = AdmissionsQuery(org, today.year, today.year, error=error.message)
    end = report_period(query.year_from, query.year_to, today, query.as_of)[1]
    _require_existing(org, end, request.user)
    return query


@login_required
@reads_from_replica
def admissions(request):
    query = _admissions_query(request)
    report = admissions_report(query.org, query.year_from, query.year_to, query.as_of)
    context = {
        **admissions_renderers.context(report),
        "ancestors": _ancestors(request.user, query.org),
        "query": query,
        "period_query": query.period_query,
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/admissions.html", context)


def _admissions_download(request, extension: str, content_type: str, make) -> HttpResponse:
    query = _admissions_query(request)
    return _attachment(
        query,
        extension,
        content_type,
        lambda: make(admissions_report(query.org, query.year_from, query.year_to, query.as_of)),
        request,
        "Kết nạp so với chỉ tiêu",
    )


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def admissions_xlsx(request):
    return _admissions_download(request, "xlsx", XLSX_TYPE, admissions_renderers.to_xlsx)


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def admissions_pdf(request):
    return _admissions_download(request, "pdf", "application/pdf", admissions_renderers.to_pdf)


# -- Inspection report ----------------------------------------------------------------------


@dataclass(frozen=True)
class YearQuery:
    """The organisation and year asked for (?org=CODE&year=Y) of a yearly report, and the start
    of its files' names."""

    org: Organization
    year: int
    prefix: str
    error: str = ""

    @property
    def download_query(self) -> str:
        return urlencode({"org": self.org.code, "year": self.year})

    def filename(self, extension: str) -> str:
        return f"{self.prefix}-{_file_code(self.org)}-{self.year}.{extension}"


def year_query(request, prefix: str, default_year: int) -> YearQuery:
    """The year asked for, `default_year` when none is or when it is refused (the error said)."""
    org = _report_org(request)
    today = timezone.localdate()
    try:
        year = parse_year(request.GET.get("year")) or default_year
        year_end(year, today)
        query = YearQuery(org, year, prefix)
    except DomainError as error:
        query = YearQuery(org, default_year, prefix, error.message)
    _require_existing(org, year_end(query.year, today), request.user)
    return query


def _inspection_query(request) -> YearQuery:
    """By default the current year."""
    return year_query(request, "kiem-tra-giam-sat", timezone.localdate().year)


@login_required
@reads_from_replica
def inspection(request):
    query = _inspection_query(request)
    report = inspection_report(query.org, query.year)
    context = {
        **inspection_renderers.context(report),
        "ancestors": _ancestors(request.user, query.org),
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/inspection.html", context)


def _inspection_download(request, extension: str, content_type: str, make) -> HttpResponse:
    query = _inspection_query(request)
    return _attachment(
        query,
        extension,
        content_type,
        lambda: make(inspection_report(query.org, query.year)),
        request,
        "Kiểm tra, giám sát và kỷ luật",
    )


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def inspection_xlsx(request):
    return _inspection_download(request, "xlsx", XLSX_TYPE, inspection_renderers.to_xlsx)


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def inspection_pdf(request):
    return _inspection_download(request, "pdf", "application/pdf", inspection_renderers.to_pdf)
