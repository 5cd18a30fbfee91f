"""Pages of the reports (structure, quality) on screen, and the same reports as xlsx and PDF."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from dangvien.accounts.roles import Capability
from dangvien.core.errors import DomainError
from dangvien.core.scope import scope_of
from dangvien.core.workbooks import XLSX_TYPE
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import ancestors, get_org, scope_roots
from dangvien.reports import render as renderers
from dangvien.reports import render_quality as quality_renderers
from dangvien.reports.periods import parse_year, year_end
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
        code = slugify(self.org.code) or "to-chuc"
        return f"co-cau-dang-vien-{code}-{self.as_of:%Y%m%d}.{extension}"


def _report_org(request) -> Organization:
    """The organisation asked for, through the user's scope (404 outside it); by default the
    top of the user's scope. Users without the view capability are refused (403)."""
    user = request.user
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn không được xem báo cáo thống kê.")
    code = request.GET.get("org", "").strip()
    if code:
        return get_org(user, code)
    org = scope_roots(user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return org


def _report_query(request) -> ReportQuery:
    """The organisation and the report date (the end of the year asked for, or today)."""
    org = _report_org(request)
    today = timezone.localdate()
    try:
        year = parse_year(request.GET.get("year"))
        return ReportQuery(org, year, year_end(year, today))
    except DomainError as error:
        return ReportQuery(org, None, today, error.message)


@login_required
def structure(request):
    query = _report_query(request)
    report = structure_report(query.org, query.as_of)
    context = {
        **renderers.context(report),
        "ancestors": ancestors(request.user, query.org),
        "query_year": query.year,
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/structure.html", context)


def _download(request, extension: str, content_type: str, make) -> HttpResponse:
    query = _report_query(request)
    if query.error:
        return HttpResponseBadRequest(query.error, content_type="text/plain; charset=utf-8")
    response = HttpResponse(make(structure_report(query.org, query.as_of)), content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=query.filename(extension)
    )
    return response


@login_required
def structure_xlsx(request):
    return _download(request, "xlsx", XLSX_TYPE, renderers.to_xlsx)


@login_required
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
        code = slugify(self.org.code) or "to-chuc"
        return f"xep-loai-chat-luong-{code}-{self.year}.{extension}"


def _quality_query(request) -> QualityQuery:
    org = _report_org(request)
    today = timezone.localdate()
    default = latest_graded_year(org, today.year) or today.year - 1
    try:
        year = parse_year(request.GET.get("year"))
        if year is not None:
            year_end(year, today)
        return QualityQuery(org, year or default)
    except DomainError as error:
        return QualityQuery(org, default, error.message)


@login_required
def quality(request):
    query = _quality_query(request)
    report = quality_report(query.org, query.year)
    context = {
        **quality_renderers.context(report),
        "ancestors": ancestors(request.user, query.org),
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/quality.html", context)


def _quality_download(request, extension: str, content_type: str, make, **options):
    query = _quality_query(request)
    if query.error:
        return HttpResponseBadRequest(query.error, content_type="text/plain; charset=utf-8")
    response = HttpResponse(make(quality_report(query.org, query.year, **options)), content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=query.filename(extension)
    )
    return response


@login_required
def quality_xlsx(request):
    """The workbook lists every member not graded; the page and the PDF only the first."""
    return _quality_download(
        request, "xlsx", XLSX_TYPE, quality_renderers.to_xlsx, not_graded_limit=None
    )


@login_required
def quality_pdf(request):
    return _quality_download(request, "pdf", "application/pdf", quality_renderers.to_pdf)
