"""The quotas page (chỉ tiêu kết nạp): quotas of the organisations in the user's scope with the
members admitted in their period (a past period in the tree as it stood at its end,
targets.selectors); officers set, change and remove them. The members admitted by a unit in a
year or term (the list behind the quotas' and the survey's counts)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets import selectors, services
from dangvien.admissions.targets.forms import TargetFilterForm, TargetForm
from dangvien.admissions.targets.selectors import QuotaProgress
from dangvien.core.confirm import succeeded
from dangvien.core.forms import ReasonForm
from dangvien.core.pages import back, require_any
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.core.versions import VersionField

ROWS_PER_PAGE = 50
ADMITTED_COLUMNS = [
    ("Họ và tên", "name"),
    ("Mã đảng viên", "code"),
    ("Chi bộ hiện nay", "branch"),
    ("Ngày vào Đảng", "admitted"),
    ("Tình trạng", None),
]


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    require_any(request.user, Capability.VIEW)
    scope = scope_of(request.user)
    can_manage = scope.any(Capability.MANAGE_ORGS)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Chỉ cán bộ quản lý tổ chức được đặt chỉ tiêu kết nạp.")
    form = None
    # The version of the quotas this page shows, read once for the form and every row's button.
    token = selectors.page_token(request.user) if can_manage else ""
    if can_manage:
        form = TargetForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            initial={"version": token},
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = form.apply(
            lambda: services.set_target(
                request.user,
                data["organization"],
                quota=data["quota"],
                year=data["year"],
                term=data["term_years"],
                stretch_quota=data["stretch_quota"],
                decision=form.decision(),
                expected_version=data["version"],
            )
        )
        if target is not None:
            messages.success(
                request,
                f"Đã đặt chỉ tiêu kết nạp {target.period_label.lower()} của "
                f"{data['organization'].name}: {target.quota}.",
            )
            return back(request, "admissions:targets")
    filters = TargetFilterForm(request.GET, user=request.user)
    rows, absence = None, None
    if filters.is_valid():
        data = filters.cleaned_data
        period = {"year": data["year"], "term": data["term"]}
        rows = selectors.quota_rows(request.user, org=data["organization"], **period)
        absence = selectors.absence(request.user, data["organization"], **period)
    page = Paginator(rows if rows is not None else AdmissionTarget.unscoped.none(), ROWS_PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    table = [
        {
            "target": target,
            "name": target.name,  # as it stood at the end of a past period
            "progress": QuotaProgress(target.quota, target.admitted),
            "stretch": QuotaProgress(target.stretch_quota, target.admitted),
            "can_remove": scope.allows(Capability.MANAGE_ORGS, target.org_path),
        }
        for target in page
    ]
    context = {
        "filters": filters,
        "form": form,
        "page": page,
        "table": table,
        "absence": absence,
        "parent_choices": selectors.org_choices(request.user),
        "version": token,
    }
    refused = form is not None and form.is_bound and bool(form.errors)  # kept, said at the top
    return render(request, "admissions/targets.html", context, status=400 if refused else 200)


class RemoveTargetForm(ReasonForm):
    version = VersionField()  # the quotas as the confirmation showed them
    next = forms.CharField(required=False, widget=forms.HiddenInput)  # the list to go back to


@login_required
@require_http_methods(["GET", "POST"])
def remove_target(request, pk):
    """Remove a quota set by mistake: a page that says what goes and asks for the reason,
    then the removal (the value stays in the history; a quota can be set again)."""
    try:
        target = selectors.get_target(request.user, pk)
    except AdmissionTarget.DoesNotExist:
        raise Http404("Không tìm thấy chỉ tiêu trong phạm vi quản lý của bạn.") from None
    if not scope_of(request.user).allows(Capability.MANAGE_ORGS, target.org_path):
        raise PermissionDenied("Chỉ cán bộ quản lý tổ chức được xóa chỉ tiêu kết nạp.")
    label = f"{target.period_label.lower()} của {target.organization.name}"
    form = RemoveTargetForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": selectors.page_token(request.user),
            "next": request.GET.get("next", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        removed = succeeded(
            form,
            lambda: services.clear_target(
                request.user, target, expected_version=data["version"], reason=data["reason"]
            ),
        )
        if removed:
            messages.success(request, f"Đã xóa chỉ tiêu kết nạp {label}.")
            return back(request, "admissions:targets")
        try:  # refused: a quota changed since is shown as it is now
            target = selectors.get_target(request.user, pk)
        except AdmissionTarget.DoesNotExist:
            return back(request, "admissions:targets")
    targets_url = reverse("admissions:targets")
    context = {
        "title": f"Xóa chỉ tiêu kết nạp {label}",
        "breadcrumb": [(targets_url, "Chỉ tiêu kết nạp đảng viên")],
        "consequences": [
            f"Chỉ tiêu kết nạp {label} ({target.quota}) không còn được tính trong các báo cáo "
            "kết nạp so với chỉ tiêu.",
            "Giá trị đã đặt vẫn được giữ trong lịch sử của tổ chức; có thể đặt lại chỉ tiêu "
            "bất cứ lúc nào.",
        ],
        "form": form,
        "form_id": "remove-target",
        "button": "Xác nhận xóa chỉ tiêu",
        "cancel_url": targets_url,
        "refused": "Chưa xóa chỉ tiêu",
        "own_banner": True,
    }
    return render(request, "confirm.html", context, status=400 if form.errors else 200)


@login_required
def admitted(request):
    """Members admitted in a year or term by the branches below an organisation, wherever they
    are now: each counted member listed, those who moved out of the user's scope counted only."""
    require_any(request.user, Capability.VIEW)
    query = selectors.AdmittedQuery.from_query(request.GET)
    listing = selectors.admitted_list(request.user, query)
    page = Paginator(listing.members, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "org": listing.org,
        "name": listing.name,
        "absence": listing.absence,
        "total": listing.total,
        "outside": listing.total - page.paginator.count,
        "page": page,
        "headings": selectors.ADMITTED_SORTING.headings(request.GET, query.sort, ADMITTED_COLUMNS),
    }
    return render(request, "admissions/admitted.html", context)
