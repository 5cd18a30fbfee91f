"""The programme pages: the programmes of an organisation's subtree and a new one, one
programme with its targets measured live, its chart and its reviews (the report page, with the
xlsx and PDF of the report), a target and its hand-recorded results, a review recorded and a
review's figure corrected on confirmation pages (core.confirm)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action, succeeded
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.core.workbooks import XLSX_TYPE
from dangvien.organizations.selectors import get_org, scope_roots
from dangvien.programmes import reviews, selectors, services
from dangvien.programmes.forms import (
    CorrectionForm,
    ProgrammeEditForm,
    ProgrammeForm,
    ResultForm,
    ReviewForm,
    TargetEditForm,
    TargetForm,
)
from dangvien.programmes.models import ActionProgramme, ReviewKind
from dangvien.reports import render_programme
from dangvien.reports.programme import programme_report


def _may_change(user, programme: ActionProgramme) -> bool:
    return can(user, Capability.MANAGE_ORGS, programme.owner_path)


def _require_change(user, programme: ActionProgramme) -> None:
    if not _may_change(user, programme):
        raise PermissionDenied("Chỉ cấp ủy (cán bộ quản lý tổ chức) được sửa chương trình này.")


@login_required
@require_safe
def index(request):
    """The programmes of the top of the user's scope."""
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("programmes:org", code=org.code)


@login_required
@require_http_methods(["GET", "POST"])
def org_programmes(request, code):
    """GET: the programmes of `code`'s subtree. POST: a new programme of `code`, for those who
    manage it."""
    org = get_org(request.user, code)
    may_create = can(request.user, Capability.MANAGE_ORGS, org.path)
    form = ProgrammeForm()
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied("Bạn chỉ được xem chương trình hành động của tổ chức này.")
        form = ProgrammeForm(request.POST)
        made = []
        if form.is_valid() and succeeded(
            form,
            lambda: made.append(services.create_programme(request.user, org, **form.values())),
        ):
            messages.success(request, "Đã lập chương trình hành động.")
            return redirect("programmes:detail", pk=made[0].pk)
    context = {
        "org": org,
        "programmes": selectors.programmes_below(request.user, org),
        "form": form,
        "may_create": may_create,
    }
    return render(request, "programmes/org.html", context, status=400 if form.errors else 200)


def _report(programme: ActionProgramme):
    """The programme's report, or the reason there is none yet (a year not begun, an owner that
    did not exist at the period's end)."""
    try:
        return programme_report(programme.owner, programme.first_year, programme.last_year), ""
    except DomainError as error:
        return None, error.message


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """The programme measured live: each target's actual against it, met or not, the chart,
    the reviews as recorded. POST: its title, number and date (edit form) or a new target."""
    programme = selectors.get_programme(request.user, pk)
    may_change = _may_change(request.user, programme)
    edit_form = ProgrammeEditForm(
        initial={
            "version": versions.token(programme, actions="programme.update"),
            "title": programme.title,
            "number": programme.number,
            "adopted_on": programme.adopted_on,
        }
    )
    target_form = TargetForm()
    if request.method == "POST":
        _require_change(request.user, programme)
        if "comparator" in request.POST:
            target_form = TargetForm(request.POST)
            if target_form.is_valid() and succeeded(
                target_form,
                lambda: services.set_target(
                    request.user,
                    programme,
                    services.TargetInput(
                        target_form.text,
                        target_form.cleaned_data["comparator"],
                        target_form.cleaned_data["value"],
                    ),
                ),
            ):
                messages.success(request, "Đã ghi chỉ tiêu.")
                return redirect("programmes:detail", pk=programme.pk)
        else:
            edit_form = ProgrammeEditForm(request.POST)
            if edit_form.is_valid() and succeeded(
                edit_form,
                lambda: services.update_programme(
                    request.user,
                    programme,
                    title=edit_form.cleaned_data["title"],
                    number=edit_form.cleaned_data["number"],
                    adopted_on=edit_form.cleaned_data["adopted_on"],
                    expected_version=edit_form.cleaned_data["version"],
                ),
            ):
                messages.success(request, "Đã lưu chương trình.")
                return redirect("programmes:detail", pk=programme.pk)
    report, error = _report(programme)
    figures = {row.target_id: row for row in report.targets} if report else {}
    context = {
        **(render_programme.context(report) if report else {"title": render_programme.TITLE}),
        "programme": programme,
        "rows": [(target, figures.get(target.pk)) for target in programme.targets.all()],
        "error": error,
        "may_change": may_change,
        "edit_form": edit_form,
        "target_form": target_form,
        "met_labels": render_programme.MET_LABELS,
    }
    errors = edit_form.errors or target_form.errors
    return render(request, "programmes/detail.html", context, status=400 if errors else 200)


def _download(request, pk, extension: str, content_type: str, make) -> HttpResponse:
    programme = selectors.get_programme(request.user, pk)
    report, error = _report(programme)
    if report is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    content = make(report)
    record_read(
        request.user,
        "report.download",
        org_path=programme.owner_path,
        label=f"Chương trình hành động: {programme.owner.name}",
        details={
            "report": "Chương trình hành động",
            "org": programme.owner.code,
            "year": programme.period_key,
            "format": extension,
        },
    )
    response = HttpResponse(content, content_type)
    name = f"chuong-trinh-hanh-dong-{programme.owner.code}-{programme.period_key}.{extension}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@require_safe
def download_xlsx(request, pk):
    return _download(request, pk, "xlsx", XLSX_TYPE, render_programme.to_xlsx)


@login_required
@require_safe
def download_pdf(request, pk):
    return _download(request, pk, "pdf", "application/pdf", render_programme.to_pdf)


@login_required
@require_http_methods(["GET", "POST"])
def target(request, pk):
    """A target: its comparator and value (editable), and for a hand-tracked one every result
    recorded with its evidence, who and when, and a new result."""
    found = selectors.get_target(request.user, pk)
    programme = found.programme
    may_change = _may_change(request.user, programme)
    edit_form = TargetEditForm(
        initial={
            "version": versions.token(found, actions="programme_target.update"),
            "comparator": found.comparator,
            "value": f"{found.value.normalize():f}".replace(".", ","),
        }
    )
    if request.method == "POST":
        _require_change(request.user, programme)
        edit_form = TargetEditForm(request.POST)
        if edit_form.is_valid() and succeeded(
            edit_form,
            lambda: services.update_target(
                request.user,
                found,
                comparator=edit_form.cleaned_data["comparator"],
                value=edit_form.cleaned_data["value"],
                expected_version=edit_form.cleaned_data["version"],
            ),
        ):
            messages.success(request, "Đã lưu chỉ tiêu.")
            return redirect("programmes:target", pk=found.pk)
    context = {
        "target": found,
        "programme": programme,
        "results": found.results.select_related("recorded_by"),
        "edit_form": edit_form,
        "result_form": ResultForm(initial={"result_on": timezone.localdate()}),
        "may_change": may_change,
    }
    return render(
        request, "programmes/target.html", context, status=400 if edit_form.errors else 200
    )


@login_required
@require_POST
def record_result(request, pk):
    """A new result of a hand-tracked target, with its evidence (kept with the earlier ones)."""
    found = selectors.get_target(request.user, pk)
    _require_change(request.user, found.programme)
    form = ResultForm(request.POST)
    if form.is_valid() and succeeded(
        form, lambda: services.record_result(request.user, found, **form.cleaned_data)
    ):
        messages.success(request, "Đã ghi kết quả.")
        return redirect("programmes:target", pk=found.pk)
    context = {
        "target": found,
        "programme": found.programme,
        "results": found.results.select_related("recorded_by"),
        "edit_form": None,
        "result_form": form,
        "may_change": True,
    }
    return render(request, "programmes/target.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def record_review(request, pk):
    """A review on its confirmation page: what it freezes, then the review."""
    programme = selectors.get_programme(request.user, pk)
    _require_change(request.user, programme)
    back = reverse("programmes:detail", args=[programme.pk])
    today = timezone.localdate()
    default_kind = ReviewKind.MID_YEAR if today.month <= 9 else ReviewKind.YEAR_END
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial={
            "kind": default_kind,
            "year": min(max(today.year, programme.first_year), programme.last_year),
            "reviewed_on": today,
        },
    )
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Sơ kết, tổng kết: {programme} của {programme.owner.name}",
            back_url=back,
            button="Xác nhận ghi sơ kết, tổng kết",
            refused="Chưa ghi sơ kết, tổng kết",
            breadcrumb=[(back, str(programme))],
            form_id="programme-review",
        ),
        form,
        perform=lambda data: reviews.record_review(request.user, programme, **data),
        done="Đã ghi sơ kết, tổng kết: số liệu của từng chỉ tiêu được lưu như ngày đó.",
        consequences=lambda: [
            "Kết quả và đạt / không đạt của từng chỉ tiêu được tính đến ngày sơ kết, tổng kết "
            "(chỉ tiêu tính từ dữ liệu: số liệu từ đầu kỳ đến ngày đó; chỉ tiêu theo dõi thủ "
            "công: kết quả ghi nhận gần nhất đến ngày đó) và được lưu lại, không tính lại về "
            "sau.",
            "Số liệu đã lưu chỉ được đính chính từng chỉ tiêu, có ghi lý do.",
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_figure(request, pk):
    """A review's figure corrected with its reason, on a confirmation page."""
    figure = selectors.get_figure(request.user, pk)
    programme = figure.review.programme
    _require_change(request.user, programme)
    back = reverse("programmes:detail", args=[programme.pk])
    form = CorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": versions.token(figure, actions="programme_review.correct"),
            "actual": "" if figure.actual is None else f"{figure.actual.normalize():f}",
        },
    )
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Đính chính: {figure.label} ({figure.review})",
            back_url=back,
            button="Xác nhận đính chính",
            refused="Chưa đính chính",
            breadcrumb=[(back, str(programme))],
            form_id="figure-correct",
        ),
        form,
        perform=lambda data: reviews.correct_figure(
            request.user,
            figure,
            actual=data["actual"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="Đã đính chính số liệu sơ kết, tổng kết.",
        consequences=lambda: [
            f"Kết quả đang lưu: {figure.actual if figure.actual is not None else 'chưa có'}; "
            "đạt / không đạt được so sánh lại với chỉ tiêu đã lưu.",
            "Giá trị cũ và lý do được ghi vào lịch sử thay đổi.",
        ],
    )
