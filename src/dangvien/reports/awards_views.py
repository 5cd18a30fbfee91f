"""The awards report on screen (?org=CODE&year=Y) and as xlsx: the same AwardsReport as
`dangvien report awards` (reports.awards)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dangvien.core.errors import DomainError
from dangvien.core.queryparams import parse_year
from dangvien.core.routers import reads_from_replica
from dangvien.core.workbooks import XLSX_TYPE
from dangvien.organizations.models import Organization
from dangvien.reports import render_awards
from dangvien.reports.awards import awards_report
from dangvien.reports.periods import year_end
from dangvien.reports.views import (
    _ancestors,
    _attachment,
    _file_code,
    _report_org,
    _require_existing,
)


@dataclass(frozen=True)
class AwardsQuery:
    """The organisation and year asked for; by default the year before (its grades decided)."""

    org: Organization
    year: int
    error: str = ""

    @property
    def download_query(self) -> str:
        return urlencode({"org": self.org.code, "year": self.year})

    def filename(self, extension: str) -> str:
        return f"khen-thuong-{_file_code(self.org)}-{self.year}.{extension}"


def _query(request) -> AwardsQuery:
    org = _report_org(request)
    today = timezone.localdate()
    try:
        year = parse_year(request.GET.get("year")) or today.year - 1
        year_end(year, today)
        query = AwardsQuery(org, year)
    except DomainError as error:
        query = AwardsQuery(org, today.year - 1, error.message)
    _require_existing(org, year_end(query.year, today), request.user)
    return query


@login_required
@reads_from_replica
def awards(request):
    query = _query(request)
    report = awards_report(query.org, query.year)
    context = {
        "report": report,
        "title": render_awards.TITLE,
        "ancestors": _ancestors(request.user, query.org),
        "download_query": query.download_query,
        "error": query.error,
    }
    return render(request, "reports/awards.html", context)


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
@reads_from_replica
def awards_xlsx(request):
    query = _query(request)
    return _attachment(
        query,
        "xlsx",
        XLSX_TYPE,
        lambda: render_awards.to_xlsx(awards_report(query.org, query.year)),
        request,
        "Khen thưởng và Huy hiệu Đảng",
    )
