"""The awards report on screen (?org=CODE&year=Y) and as xlsx: the same AwardsReport as
`dangvien report awards` (reports.awards)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dangvien.core.routers import reads_from_replica
from dangvien.core.workbooks import XLSX_TYPE
from dangvien.reports import render_awards
from dangvien.reports.awards import awards_report
from dangvien.reports.views import YearQuery, _ancestors, _attachment, year_query


def _query(request) -> YearQuery:
    """By default the year before: its grades decided."""
    return year_query(request, "khen-thuong", timezone.localdate().year - 1)


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
