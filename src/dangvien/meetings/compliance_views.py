"""Branch life seen from above: the compliance page of an organisation's subtree for a year."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dangvien.meetings.compliance import compliance
from dangvien.meetings.views import year_asked
from dangvien.organizations.selectors import get_org, scope_roots


@login_required
@require_safe
def index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("meetings:compliance", code=org.code)


@login_required
@require_safe
def org_compliance(request, code):
    org = get_org(request.user, code)
    today = timezone.localdate()
    year, error = year_asked(request)
    if not 1930 <= year <= today.year:
        year, error = today.year, f"Năm {year} không hợp lệ."
    result = compliance(org, year, today)
    context = {
        "org": org,
        "year": year,
        "error": error,
        "result": result,
        "page": Paginator(result.rows, 100).get_page(request.GET.get("page")),
    }
    return render(request, "meetings/compliance.html", context, status=400 if error else 200)
