"""Pages of party dues: the branch's monthly collection sheet (made for a phone), a member's
basis and valid reasons, the report by unit (xlsx too), what each level keeps and remits, and
the member's own dues."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import attempt
from dangvien.core.roles import Capability
from dangvien.core.rules import Family, set_in_force
from dangvien.core.scope import can, scope_of, visible
from dangvien.core.workbooks import XLSX_TYPE
from dangvien.dues import remittances, selectors, services
from dangvien.dues import report as unit_report
from dangvien.dues.export import report_workbook
from dangvien.dues.forms import (
    AnnulForm,
    BasisForm,
    CollectForm,
    CorrectPaymentForm,
    ExcuseForm,
    RemittanceForm,
)
from dangvien.dues.models import DuesBasis, DuesPayment, DuesRemittance, UnpaidExcuse
from dangvien.dues.rates import DuesRules, basis_on, month_start
from dangvien.meetings.views import year_asked
from dangvien.members.selectors import get_member, own_record
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.organizations.selectors import get_org, scope_roots


def _month(year: int, month: int) -> datetime.date:
    today = timezone.localdate()
    if not 1 <= month <= 12 or not 1930 <= year <= today.year + 1:
        raise Http404("Tháng không hợp lệ.")
    return datetime.date(year, month, 1)


def _sheet_url(branch: Organization, month: datetime.date) -> str:
    return reverse("dues:sheet", args=[branch.code, month.year, month.month])


def _member_url(member) -> str:
    return reverse("dues:member", args=[member.pk])


@login_required
@require_safe
def index(request):
    """The collector's branch this month; an officer's subtree report."""
    today = timezone.localdate().replace(day=1)
    scope = scope_of(request.user)
    collecting = scope.paths_for(Capability.COLLECT_DUES)
    branch = (
        Organization.unscoped.filter(path__in=collecting, kind__in=BRANCH_KINDS).first()
        if not scope.everything
        else None
    )
    if branch is not None:
        return redirect(_sheet_url(branch, today))
    return redirect("dues:report-index")


@login_required
@require_safe
def report_index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("dues:report", code=org.code)


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, code, year, month):
    """The branch's collection sheet for a month: one card a member, a form on each unpaid
    one (POST records it), the paid ones with their correction."""
    month_day = _month(year, month)
    branch = get_org(
        request.user, code, Capability.COLLECT_DUES if request.method == "POST" else Capability.VIEW
    )
    if branch.kind not in BRANCH_KINDS:
        return redirect("dues:report", code=branch.code)
    posted_form = None
    if request.method == "POST":
        posted_form = CollectForm(request.POST, prefix=f"m{request.POST.get('row', '')}")
        if posted_form.is_valid():
            member = (
                selectors.sheet_members(branch, month_day)
                .filter(pk=posted_form.cleaned_data["member"])
                .first()
            )
            if member is None:
                raise Http404("Đảng viên không có trong sổ thu của chi bộ tháng này.")
            done = attempt(
                posted_form,
                lambda: services.collect(
                    request.user, branch, member, posted_form.collection(month_day)
                ),
            )
            if done:
                months = ", ".join(f"{p.month:%m/%Y}" for p in done)
                messages.success(
                    request, f"Đã ghi: {member.full_name} nộp đảng phí tháng {months}."
                )
                return redirect(_sheet_url(branch, month_day) + f"#row-{member.pk}")
    data = selectors.sheet(branch, month_day)
    today = timezone.localdate()
    may_collect = can(request.user, Capability.COLLECT_DUES, branch.path)
    rows = []
    for row in data.rows:
        form = None
        posted_here = posted_form is not None and posted_form.data.get(
            f"m{row.member.pk}-member"
        ) == str(row.member.pk)
        if posted_here:
            form = posted_form  # refused: shown with what was typed and why
        elif row.payment is None and may_collect:
            form = CollectForm(
                prefix=f"m{row.member.pk}",
                initial={"member": row.member.pk, "amount": row.due, "months": 1, "paid_on": today},
            )
        rows.append((row, form))
    previous = (month_day - datetime.timedelta(days=1)).replace(day=1)
    following = (month_day + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "branch": branch,
        "month": month_day,
        "sheet": data,
        "rows": rows,
        "may_collect": may_collect,
        "rule_set": set_in_force(Family.DUES, month_day),
        "may_manage": can(request.user, Capability.MANAGE_MEMBERS, branch.path),
        "previous_url": _sheet_url(branch, previous),
        "next_url": _sheet_url(branch, following) if following.year <= today.year + 1 else "",
    }
    status = 400 if posted_form is not None and posted_form.errors else 200
    return render(request, "dues/sheet.html", context, status=status)


def _payment(request, pk) -> DuesPayment:
    return get_object_or_404(
        visible(request.user, DuesPayment, Capability.COLLECT_DUES).select_related(
            "member", "branch"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_correct(request, pk):
    payment = _payment(request, pk)
    back = _sheet_url(payment.branch, payment.month)
    if payment.annulled_at is not None:
        messages.info(request, "Khoản thu này đã được hủy.")
        return redirect(back)
    form = CorrectPaymentForm(
        request.POST if request.method == "POST" else None,
        initial={
            "amount": payment.amount,
            "channel": payment.channel,
            "reference": payment.reference,
            "paid_on": payment.paid_on,
            "version": versions.token(payment),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.correct_payment(
                request.user,
                payment,
                amount=data["amount"],
                channel=data["channel"],
                reference=data.get("reference", ""),
                paid_on=data["paid_on"],
                reason=data.get("reason", ""),
                expected_version=data["version"],
            ),
        )
        if done is not None:
            messages.success(request, f"Đã sửa khoản thu tháng {done.month:%m/%Y}.")
            return redirect(back + f"#row-{payment.member_id}")
    form.fields["reason"].required = True
    context = {
        "title": f"Sửa khoản thu đảng phí tháng {payment.month:%m/%Y}",
        "subject": payment.member.full_name,
        "back": back,
        "form": form,
        "button": "Lưu",
    }
    return render(request, "dues/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def payment_annul(request, pk):
    payment = _payment(request, pk)
    back = _sheet_url(payment.branch, payment.month)
    if payment.annulled_at is not None:
        messages.info(request, "Khoản thu này đã được hủy.")
        return redirect(back)
    form = AnnulForm(
        request.POST if request.method == "POST" else None,
        initial={"version": versions.token(payment)},
    )
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Hủy khoản thu tháng {payment.month:%m/%Y}: {payment.member.full_name}",
            back_url=back,
            button="Xác nhận hủy",
            refused="Chưa hủy",
            breadcrumb=[(back, payment.branch.name)],
            form_id="payment-annul",
        ),
        form,
        perform=lambda data: services.annul_payment(
            request.user, payment, reason=data["reason"], expected_version=data["version"]
        ),
        done=f"Đã hủy khoản thu tháng {payment.month:%m/%Y}.",
        consequences=lambda: [
            f"{payment} được đánh dấu đã hủy, vẫn giữ trong sổ cùng lý do; không còn tính vào số "
            "đã thu.",
            f"Tháng {payment.month:%m/%Y} của {payment.member.full_name} trở lại chưa nộp (tính "
            "vào cảnh báo Điều 8 nếu không có lý do chính đáng).",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_page(request, pk):
    """A member's dues: the basis history with a form to declare a new one, the year's months,
    and the valid reasons for months unpaid."""
    member = get_member(request.user, pk)
    may_manage = can(request.user, Capability.MANAGE_MEMBERS, member.branch_path)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied("Bạn chỉ được xem hồ sơ này, không được thay đổi.")
    today = timezone.localdate()
    action = request.POST.get("action", "basis")
    basis_form = BasisForm(
        request.POST if request.method == "POST" and action == "basis" else None,
        initial={"from_month": today.replace(day=1)},
    )
    excuse_form = ExcuseForm(
        request.POST if request.method == "POST" and action == "excuse" else None,
        prefix="excuse",
    )
    if request.method == "POST" and action == "basis" and basis_form.is_valid():
        done = attempt(
            basis_form, lambda: services.declare_basis(request.user, member, basis_form.basis())
        )
        if done is not None:
            messages.success(request, f"Đã khai báo: {done}.")
            return redirect(_member_url(member))
    if request.method == "POST" and action == "excuse" and excuse_form.is_valid():
        data = excuse_form.cleaned_data
        done = attempt(
            excuse_form,
            lambda: services.excuse_month(request.user, member, data["month"], data["reason"]),
        )
        if done is not None:
            messages.success(request, f"Đã ghi lý do tháng {done.month:%m/%Y}.")
            return redirect(_member_url(member))
    year, error = year_asked(request)
    context = {
        "member": member,
        "may_manage": may_manage,
        "bases": selectors.bases_of(member),
        "excuses": selectors.excuses_of(member),
        "year": year,
        "error": error,
        "months": selectors.member_year(member, year),
        "unpaid": selectors.member_unpaid_months(member, year),
        "threshold": selectors.flag_threshold(year),
        "basis_form": basis_form,
        "excuse_form": excuse_form,
    }
    failed = basis_form.errors or excuse_form.errors
    return render(request, "dues/member.html", context, status=400 if failed else 200)


def _annul_page(request, row, *, back: str, crumb: str, title: str, form_id: str, perform, said):
    """The confirmation page of an annulment (a reason required): `perform(reason)` annuls,
    `said` is what it changes; a row annulled already goes back with a note."""
    if row.annulled_at is not None:
        messages.info(request, "Mục này đã được hủy.")
        return redirect(back)
    form = AnnulForm(request.POST if request.method == "POST" else None)
    return confirm_final_action(
        request,
        FinalAction(
            title=title,
            back_url=back,
            button="Xác nhận hủy",
            refused="Chưa hủy",
            breadcrumb=[(back, crumb)],
            form_id=form_id,
        ),
        form,
        perform=lambda data: perform(data["reason"]),
        done="Đã hủy.",
        consequences=lambda: [said],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def basis_annul(request, pk):
    row = get_object_or_404(
        visible(request.user, DuesBasis, Capability.MANAGE_MEMBERS).select_related("member"),
        pk=pk,
    )
    return _annul_page(
        request,
        row,
        back=_member_url(row.member),
        crumb=row.member.full_name,
        title=f"Hủy khai báo đảng phí {row}: {row.member.full_name}",
        form_id="basis-annul",
        perform=lambda reason: services.annul_basis(request.user, row, reason=reason),
        said="Khai báo vẫn giữ trong lịch sử cùng lý do hủy; từ tháng đó mức phải đóng tính theo "
        "khai báo trước (nếu có). Các khoản đã thu không thay đổi.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def excuse_annul(request, pk):
    row = get_object_or_404(
        visible(request.user, UnpaidExcuse, Capability.MANAGE_MEMBERS).select_related("member"),
        pk=pk,
    )
    return _annul_page(
        request,
        row,
        back=_member_url(row.member),
        crumb=row.member.full_name,
        title=f"Hủy lý do chưa đóng đảng phí tháng {row.month:%m/%Y}: {row.member.full_name}",
        form_id="excuse-annul",
        perform=lambda reason: services.annul_excuse(request.user, row, reason=reason),
        said=f"Lý do «{row.reason}» vẫn giữ trong lịch sử cùng lý do hủy; tháng {row.month:%m/%Y} "
        "nếu chưa nộp lại tính là tháng chưa nộp không có lý do chính đáng, kể cả khi xét cảnh báo "
        "theo Điều 8 Điều lệ Đảng.",
    )


@login_required
@require_safe
def report(request, code):
    """Due and collected by unit for a month or a year; ?format=xlsx downloads it."""
    org = get_org(request.user, code)
    year, error = year_asked(request)
    today = timezone.localdate()
    if not 1930 <= year <= today.year:
        year, error = today.year, f"Năm {year} không hợp lệ."
    month = request.GET.get("month", "")
    month = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    data = unit_report.dues_report(org, year, month)
    if request.GET.get("format") == "xlsx":
        record_read(
            request.user,
            "dues.export",
            org_path=org.path,
            target=org,
            details={"year": year, "month": month or "", "format": "xlsx"},
        )
        response = HttpResponse(report_workbook(data), content_type=XLSX_TYPE)
        name = f"dang-phi-{org.code}-{year}" + (f"-{month:02d}" if month else "") + ".xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    flags = selectors.unpaid_flags(org, year, limit=100)
    context = {
        "org": org,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "error": error,
        "report": data,
        "flags": flags,
        "threshold": selectors.flag_threshold(year),
        "branch_sheet": org.kind in BRANCH_KINDS,
        "this_month": today.replace(day=1),
    }
    return render(request, "dues/report.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def remit(request, code):
    """What the organisation collected or received, keeps, must remit upward and remitted, by
    month of the year (R5.5); POST records a remittance."""
    org = get_org(
        request.user, code, Capability.COLLECT_DUES if request.method == "POST" else Capability.VIEW
    )
    year, error = year_asked(request)
    form = RemittanceForm(
        request.POST if request.method == "POST" else None,
        initial={"remitted_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.record_remittance(
                request.user,
                org,
                month=data["month"],
                amount=data["amount"],
                remitted_on=data["remitted_on"],
                reference=data.get("reference", ""),
            ),
        )
        if done is not None:
            messages.success(request, f"Đã ghi: {done}.")
            return redirect(reverse("dues:remit", args=[org.code]) + f"?year={done.month.year}")
    rows = remittances.remittances(org, year)
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("collected", "received", "to_remit", "remitted")
    }
    context = {
        "org": org,
        "year": year,
        "error": error,
        "rows": rows,
        "totals": totals,
        "records": remittances.remittance_records(org, year),
        "form": form,
        "may_collect": can(request.user, Capability.COLLECT_DUES, org.path),
    }
    return render(request, "dues/remit.html", context, status=400 if form.errors or error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def remittance_annul(request, pk):
    row = get_object_or_404(
        visible(request.user, DuesRemittance, Capability.COLLECT_DUES).select_related(
            "organization"
        ),
        pk=pk,
    )
    return _annul_page(
        request,
        row,
        back=reverse("dues:remit", args=[row.organization.code]) + f"?year={row.month.year}",
        crumb=row.organization.name,
        title=f"Hủy khoản nộp cấp trên: {row}",
        form_id="remittance-annul",
        perform=lambda reason: services.annul_remittance(request.user, row, reason=reason),
        said=f"{row} được đánh dấu đã hủy, vẫn giữ cùng lý do; không còn tính vào số đã nộp.",
    )


@login_required
@require_safe
def my(request):
    """The member's own dues: category, each month's due and payment, what is owed."""
    member = own_record(request.user)
    if member is None:
        raise Http404("Tài khoản của bạn không gắn với hồ sơ đảng viên nào.")
    year, error = year_asked(request)
    months = selectors.member_year(member, year)
    basis = basis_on(member, month_start(timezone.localdate()))  # in force now
    context = {
        "member": member,
        "year": year,
        "error": error,
        "months": months,
        "basis": basis,
        "owed": sum(row.owed for row in months if row.payment is not None or not row.excused),
        "paid": sum(row.payment.amount for row in months if row.payment),
        "unpaid": selectors.member_unpaid_months(member, year),
        "threshold": selectors.flag_threshold(year),
        "rules": DuesRules.on(timezone.localdate().replace(day=1)),
    }
    return render(request, "dues/my.html", context)
