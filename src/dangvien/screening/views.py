"""The screening pages: a subtree's flags and cases of a year, a case with its steps and
confirmations, and the exit statistics (HTML and xlsx)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.badges.selectors import badges_to_return
from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.errors import DomainError
from dangvien.core.forms import attempt
from dangvien.core.queryparams import parse_year, query_int
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.members.selectors import get_member
from dangvien.organizations.selectors import get_org, scope_roots
from dangvien.screening import flags, selectors, services
from dangvien.screening.forms import (
    AnswerForm,
    CaseForm,
    CloseForm,
    ComplaintForm,
    DecisionForm,
    ReviewStepForm,
    VoteForm,
)
from dangvien.screening.models import CaseKind, CaseStatus, VoteLevel
from dangvien.screening.statistics import exit_statistics

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> tuple[int, str]:
    this_year = timezone.localdate().year
    try:
        year = parse_year(request.GET.get("year")) or this_year
    except DomainError as exc:
        return this_year, exc.message
    if not 1930 <= year <= this_year:
        return this_year, f"Năm {year} không hợp lệ: chọn từ 1930 đến {this_year}."
    return year, ""


@login_required
@require_safe
def index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("screening:org", code=org.code)


@login_required
@require_safe
def org_page(request, code):
    """The members flagged in the year (Điều lệ Đảng Điều 8) and the cases of the subtree."""
    org = get_org(request.user, code)
    year, error = _year(request)
    rows, cut = flags.screening_flags(request.user, org, year)
    under_way = selectors.open_cases_by_member(row.member.pk for row in rows)
    manage = lambda path: can(request.user, Capability.MANAGE_MEMBERS, path)  # noqa: E731
    context = {
        "org": org,
        "year": year,
        "error": error,
        "rows": [
            (row, under_way.get(row.member.pk), manage(row.member.branch_path)) for row in rows
        ],
        "cut": [flags.ground_labels(year)[ground] for ground in cut],
        "cases": selectors.cases_below(request.user, org, year),
        "thresholds": flags.thresholds(year),
    }
    return render(request, "screening/org.html", context, status=400 if error else 200)


def _form_page(request, form, title: str, back: str, note: str = ""):
    context = {"form": form, "title": title, "back": back, "note": note}
    return render(request, "screening/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    initial = {
        "kind": request.GET.get("kind", CaseKind.STRIKE_OFF),
        "opened_on": timezone.localdate(),
        "grounds": request.GET.getlist("ground"),
    }
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = attempt(
            form,
            lambda: services.open_case(
                request.user,
                member,
                kind=data["kind"],
                opened_on=data["opened_on"],
                grounds=set(data["grounds"]),
                facts=data["facts"],
                warrants_expulsion=data["warrants_expulsion"] == "co",
                application_on=data["application_on"],
            ),
        )
        if case is not None:
            messages.success(request, f"Đã mở hồ sơ {case.get_kind_display().lower()}.")
            return redirect("screening:case", pk=case.pk)
    back = reverse("members:detail", args=[member.pk])
    note = (
        f"{member.full_name} ({member.code}), {member.branch.name}. Chọn căn cứ và ghi sự việc; "
        "đơn xin ra khỏi Đảng ghi ngày làm đơn và lý do."
    )
    return _form_page(
        request, form, f"Mở hồ sơ xóa tên, xin ra khỏi Đảng: {member.full_name}", back, note
    )


@login_required
@require_safe
def case_page(request, pk):
    case = selectors.get_case(request.user, pk)
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, case.branch_path)
    requests_, refusals, reviewed = services.review_state(case)
    passed = services.passed_votes(case)
    context = {
        "case": case,
        "steps": case.steps.select_related("created_by"),
        "can_manage": can_manage,
        "review": {"requests": requests_, "refusals": refusals, "done": reviewed},
        "review_refusal": services.review_refusal(case) if case.status == CaseStatus.OPEN else "",
        "levels": [
            (VoteLevel(level).label, passed.get(level)) for level in services.levels_needed(case)
        ],
        "decision_refusal": services.decision_refusal(case),
        "badges": list(badges_to_return(case.member)) if case.decided_on else [],
        "today": timezone.localdate(),
        "history": case_history(case),
    }
    return render(request, "screening/case.html", context)


def case_history(case):
    from dangvien.core.models import AuditEntry

    return AuditEntry.unscoped.filter(target_type="screening.case", target_id=case.pk).order_by(
        "-at", "-id"
    )


def _case_form(request, pk, form_class, perform, title: str, done: str):
    case = selectors.get_case(request.user, pk, Capability.MANAGE_MEMBERS)
    initial = {"on": timezone.localdate(), "version": versions.token(case)}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = attempt(form, lambda: perform(case, form.cleaned_data))
        if result is not None:
            message = done(result) if callable(done) else done
            if getattr(result, "passed", None) is False:
                messages.warning(request, message)
            else:
                messages.success(request, message)
            return redirect("screening:case", pk=case.pk)
    back = reverse("screening:case", args=[case.pk])
    return _form_page(request, form, f"{title}: {case.member.full_name}", back)


@login_required
@require_http_methods(["GET", "POST"])
def review_step(request, pk):
    return _case_form(
        request,
        pk,
        ReviewStepForm,
        lambda case, data: services.record_review_step(
            request.user,
            case,
            kind=data["kind"],
            on=data["on"],
            note=data["note"],
            expected_version=data["version"],
        ),
        "Tự kiểm điểm",
        lambda step: f"Đã ghi: {step}.",
    )


def _vote_done(step) -> str:
    if step.passed:
        return f"Đã ghi biểu quyết của {step.get_level_display().lower()}: đạt ({step.threshold})."
    return (
        f"Biểu quyết của {step.get_level_display().lower()} không đạt tỷ lệ ({step.votes_for} "
        f"tán thành, cần {step.threshold}): đã ghi, hồ sơ chưa được chuyển bước."
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    return _case_form(
        request,
        pk,
        VoteForm,
        lambda case, data: services.record_vote(
            request.user,
            case,
            level=data["level"],
            on=data["on"],
            body_size=data["body_size"],
            present=data["present"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            note=data["note"],
            expected_version=data["version"],
        ),
        "Ghi biểu quyết",
        _vote_done,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint(request, pk):
    return _case_form(
        request,
        pk,
        ComplaintForm,
        lambda case, data: services.receive_complaint(
            request.user,
            case,
            received_on=data["on"],
            content=data["content"],
            expected_version=data["version"],
        ),
        "Nhận đơn khiếu nại",
        "Đã ghi đơn khiếu nại: hồ sơ được mở lại để giải quyết.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    return _case_form(
        request,
        pk,
        AnswerForm,
        lambda case, data: services.answer_complaint(
            request.user,
            case,
            answered_on=data["on"],
            answer=data["content"],
            expected_version=data["version"],
        ),
        "Giải quyết khiếu nại",
        "Đã ghi: giữ nguyên quyết định.",
    )


def _page(case, title: str, button: str, refused: str) -> FinalAction:
    back = reverse("screening:case", args=[case.pk])
    return FinalAction(
        title=f"{title}: {case.member.full_name}", back_url=back, button=button, refused=refused
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    """The decision: a final action, confirmed, saying what it changes."""
    case = selectors.get_case(request.user, pk, Capability.MANAGE_MEMBERS)
    form = DecisionForm(request.POST or None, case=case, initial={"version": versions.token(case)})
    status = "xóa tên" if case.kind == CaseKind.STRIKE_OFF else "ra khỏi Đảng (xin ra)"

    def perform(data):
        return services.decide_case(
            request.user,
            case,
            number=data["decision_number"],
            decided_on=data["decided_on"],
            deciding_org=form.orgs.get(data["deciding_org"]),
            expected_version=data["version"],
        )

    def consequences() -> list[str]:
        member = case.member
        said = [
            f"{member.full_name} ra khỏi danh sách đảng viên từ ngày quyết định, tình trạng "
            f"«{status}»; không còn trong các danh sách và số liệu đảng viên từ ngày đó.",
            "Quá trình trong Đảng của đảng viên ghi sự kiện này với số quyết định.",
        ]
        if member.card_number:
            said.append(f"Thẻ đảng viên số {member.card_number} bị thu hồi.")
        for badge in badges_to_return(member):
            said.append(
                f"Huy hiệu {badge.milestone} năm tuổi Đảng số {badge.badge_number or '(chưa ghi)'} "
                "phải thu hồi; ngày thu hồi ghi ở trang của huy hiệu."
            )
        said.append("Đảng viên được khiếu nại trong thời hạn tính từ ngày quyết định.")
        if problem := services.decision_refusal(case):
            said.insert(0, f"Chưa quyết định được: {problem}")
        return said

    page = _page(
        case,
        "Quyết định " + case.get_kind_display().lower(),
        "Xác nhận quyết định",
        "Chưa ghi quyết định",
    )
    return confirm_final_action(
        request,
        page,
        form,
        perform=perform,
        done=f"Đã ghi quyết định: {case.member.full_name} {status}.",
        consequences=consequences,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    case = selectors.get_case(request.user, pk, Capability.MANAGE_MEMBERS)
    form = CloseForm(request.POST or None, initial={"version": versions.token(case)})
    return confirm_final_action(
        request,
        _page(case, "Dừng xem xét hồ sơ", "Xác nhận dừng", "Chưa dừng hồ sơ"),
        form,
        perform=lambda data: services.withdraw_case(
            request.user, case, reason=data["reason"], expected_version=data["version"]
        ),
        done="Đã dừng xem xét hồ sơ.",
        consequences=lambda: [
            "Hồ sơ kết thúc, không có quyết định; các bước đã ghi được giữ lại.",
            f"{case.member.full_name} vẫn sinh hoạt đảng như trước.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annul(request, pk):
    case = selectors.get_case(request.user, pk, Capability.MANAGE_MEMBERS)
    form = CloseForm(request.POST or None, initial={"version": versions.token(case)})

    def consequences() -> list[str]:
        said = ["Hồ sơ được đánh dấu đã hủy, có lý do; các bước đã ghi được giữ lại."]
        if case.decided_on:
            said.append(
                f"{case.member.full_name} trở lại sinh hoạt đảng từ ngày "
                f"{case.decided_on:%d/%m/%Y} (tuổi đảng liên tục); thẻ đã thu hồi không tự cấp lại."
            )
        return said

    return confirm_final_action(
        request,
        _page(case, "Hủy hồ sơ, quyết định", "Xác nhận hủy", "Chưa hủy"),
        form,
        perform=lambda data: services.annul_case(
            request.user, case, reason=data["reason"], expected_version=data["version"]
        ),
        done="Đã hủy hồ sơ.",
        consequences=consequences,
        reason_required=lambda: True,
    )


def _period(request, year: int) -> tuple[datetime.date, datetime.date]:
    first = query_int(request.GET, "from_month", label="Từ tháng", low=1, high=12) or 1
    last = query_int(request.GET, "to_month", label="Đến tháng", low=1, high=12) or 12
    if last < first:
        first, last = last, first
    start = datetime.date(year, first, 1)
    end = datetime.date(year + (last == 12), last % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


@login_required
@require_safe
def exits(request, code):
    """The exit statistics of the subtree and period; `?format=xlsx` downloads them."""
    org = get_org(request.user, code)
    year, error = _year(request)
    start, end = _period(request, year)
    report = exit_statistics(org, start, end)
    if request.GET.get("format") == "xlsx":
        from dangvien.screening.render import to_xlsx

        response = HttpResponse(to_xlsx(report), content_type=XLSX_TYPE)
        name = f"thong-ke-ra-khoi-dang-{org.code}-{year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {"org": org, "year": year, "error": error, "report": report, "months": range(1, 13)}
    return render(request, "screening/exits.html", context, status=400 if error else 200)
