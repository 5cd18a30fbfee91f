"""The committee pages: an organisation's committee by term (the current one and those before),
the forms to open a term and to record, correct, end or annul a seat, and the congress
schedule of a subtree (the last congress of each organisation and when the next is due)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.committees import selectors, services, terms
from dangvien.committees.forms import (
    EndForm,
    SeatCorrectionForm,
    SeatForm,
    TermCorrectionForm,
    TermForm,
    seat_initial,
    term_initial,
)
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.members.selectors import visible_members
from dangvien.organizations.selectors import get_org, scope_roots

PAGE_SIZE = 50


@login_required
@require_safe
def index(request):
    """The congress schedule of the top of the user's scope."""
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("committees:schedule", code=org.code)


@login_required
@require_safe
def org_committee(request, code):
    org = get_org(request.user, code)
    context = {
        "org": org,
        "terms": selectors.terms_of(request.user, org),
        "can_manage": can(request.user, Capability.MANAGE_ORGS, org.path),
        "today": timezone.localdate(),
    }
    return render(request, "committees/org.html", context)


def _form_page(request, org, form, title, back):
    context = {"org": org, "form": form, "title": title, "back": back}
    return render(request, "committees/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def term_new(request, code):
    org = get_org(request.user, code, Capability.MANAGE_ORGS)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = attempt(form, lambda: terms.open_term(request.user, org, form.plan()))
        if term is not None:
            messages.success(
                request,
                f"Đã mở nhiệm kỳ {term.label}. Đại hội nhiệm kỳ sau đến hạn ngày "
                f"{term.congress_due_on:%d/%m/%Y}.",
            )
            return redirect("committees:org", code=org.code)
    back = reverse("committees:org", args=[org.code])
    return _form_page(request, org, form, f"Mở nhiệm kỳ mới: {org.name}", back)


@login_required
@require_http_methods(["GET", "POST"])
def term_correct(request, pk):
    term = selectors.get_term(request.user, pk, Capability.MANAGE_ORGS)
    org = term.organization
    form = TermCorrectionForm(request.POST or None, initial=term_initial(term))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: terms.correct_term(
                request.user, term, form.plan(), data["reason"], expected_version=data["version"]
            ),
        )
        if done is not None:
            messages.success(request, "Đã sửa thông tin nhiệm kỳ.")
            return redirect("committees:org", code=org.code)
    back = reverse("committees:org", args=[org.code])
    return _form_page(request, org, form, f"Sửa nhiệm kỳ {term.label}: {org.name}", back)


@login_required
@require_http_methods(["GET", "POST"])
def seat_new(request, pk):
    term = selectors.get_term(request.user, pk, Capability.MANAGE_ORGS)
    org = term.organization
    form = SeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["member_code"].strip()
        member = visible_members(request.user).filter(code=code).first()
        if member is None:
            form.add_error("member_code", "Không tìm thấy đảng viên có mã này trong phạm vi.")
        else:
            seat = attempt(form, lambda: services.add_seat(request.user, term, member, form.plan()))
            if seat is not None:
                messages.success(request, f"Đã ghi {member.full_name}: {seat}.")
                return redirect("committees:org", code=org.code)
    back = reverse("committees:org", args=[org.code])
    return _form_page(request, org, form, f"Ghi chức vụ, nhiệm kỳ {term.label}: {org.name}", back)


@login_required
@require_http_methods(["GET", "POST"])
def seat_correct(request, pk):
    seat = selectors.get_seat(request.user, pk, Capability.MANAGE_ORGS)
    org = seat.organization
    form = SeatCorrectionForm(request.POST or None, initial=seat_initial(seat))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.correct_seat(
                request.user, seat, form.plan(), data["reason"], expected_version=data["version"]
            ),
        )
        if done is not None:
            messages.success(request, "Đã sửa thông tin chức vụ.")
            return redirect("committees:org", code=org.code)
    back = reverse("committees:org", args=[org.code])
    title = f"Sửa chức vụ của {seat.member.full_name}: {org.name}"
    return _form_page(request, org, form, title, back)


def _final(seat, title: str, button: str, refused: str, form_id: str) -> FinalAction:
    back = reverse("committees:org", args=[seat.organization.code])
    return FinalAction(
        title=f"{title}: {seat.member.full_name}, {seat}",
        back_url=back,
        button=button,
        refused=refused,
        breadcrumb=[(back, f"Cấp ủy: {seat.organization.name}")],
        form_id=form_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_end(request, pk):
    seat = selectors.get_seat(request.user, pk, Capability.MANAGE_ORGS)
    return confirm_final_action(
        request,
        _final(seat, "Thôi giữ chức vụ", "Xác nhận thôi giữ chức vụ", "Chưa ghi thôi", "end"),
        EndForm(request.POST or None, initial={"ended_on": timezone.localdate()}),
        perform=lambda data: services.end_seat(
            request.user, seat, data["ended_on"], data["reason"]
        ),
        done="Đã ghi thôi giữ chức vụ.",
        consequences=lambda: [
            f"{seat.member.full_name} giữ chức vụ {seat} từ ngày {seat.elected_on:%d/%m/%Y} "
            "đến trước ngày thôi; từ ngày thôi không còn giữ chức vụ này (các báo cáo, đánh giá "
            "người đứng đầu tính theo ngày).",
            "Chức vụ được giữ lại trong lịch sử nhiệm kỳ cùng ngày thôi, lý do, người ghi.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_annul(request, pk):
    seat = selectors.get_seat(request.user, pk, Capability.MANAGE_ORGS)
    return confirm_final_action(
        request,
        _final(seat, "Hủy chức vụ ghi nhầm", "Xác nhận hủy", "Chưa hủy", "annul"),
        ReasonForm(request.POST or None),
        perform=lambda data: services.annul_seat(request.user, seat, data["reason"]),
        done="Đã hủy chức vụ ghi nhầm.",
        consequences=lambda: [
            "Chức vụ ghi nhầm không còn được tính ở đâu (bí thư, người đứng đầu của tổ chức); "
            "vẫn được giữ lại cùng lý do hủy, người hủy và thời điểm.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_safe
def schedule(request, code):
    """The organisations of a subtree with their last and next congress, late ones marked."""
    org = get_org(request.user, code)
    today = timezone.localdate()
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.congress_schedule(request.user, org, today, overdue_only=overdue_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"org": org, "page": page, "today": today, "overdue_only": overdue_only}
    return render(request, "committees/schedule.html", context)
