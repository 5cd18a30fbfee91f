"""Multi-year pages: organisations excellent N years in a row, and members not completed two
years in a row (screening). Both read-only, for anyone who may view a subtree."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dangvien.assessments import history
from dangvien.assessments import streaks as streak_reading
from dangvien.assessments.grading import YearRules
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import ancestors, get_org, scope_roots

FIRST_YEAR = 1930
MIN_STREAK, MAX_STREAK = 2, 30


def _org(request) -> Organization:
    """The organisation of `?org=CODE` through the scope (404 outside), else the user's first
    subtree; a user who may view no subtree (a member-only account) is refused."""
    user = request.user
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn không được xem kết quả đánh giá của tổ chức.")
    code = request.GET.get("org", "").strip()
    if code:
        return get_org(user, code)
    org = scope_roots(user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return org


def _int_param(request, name: str, default: int, low: int, high: int, label: str):
    """(value, error): the integer of `?name=`, or `default` with a Vietnamese error message."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default, ""
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        return default, f"{label} phải là số từ {low} đến {high}."
    return value, ""


@login_required
def streaks(request):
    org = _org(request)
    last = history.last_completed_year(timezone.localdate())
    until, until_error = _int_param(request, "until", last, FIRST_YEAR, last + 1, "Năm cuối")
    # By default the length that earns the award, from the rule set of the last year.
    default = streak_reading.streak_years(until)
    years, years_error = _int_param(
        request, "years", default, MIN_STREAK, MAX_STREAK, "Số năm liền"
    )
    context = {
        "org": org,
        "ancestors": ancestors(request.user, org),
        "years": years,
        "until": until,
        "since": until - years + 1,
        "streaks": streak_reading.streaks_below(request.user, org, until, years),
        "errors": [e for e in (years_error, until_error) if e],
    }
    return render(request, "assessments/history_streaks.html", context)


@login_required
def screening(request):
    org = _org(request)
    last = history.last_completed_year(timezone.localdate())
    year, error = _int_param(request, "year", last, FIRST_YEAR + 1, last + 1, "Năm")
    context = {
        "org": org,
        "ancestors": ancestors(request.user, org),
        "year": year,
        "cases": history.not_completed_twice(request.user, org, year),
        "flag_years": YearRules.of(year).not_completed_years_flag,
        "errors": [error] if error else [],
    }
    return render(request, "assessments/history_screening.html", context)
