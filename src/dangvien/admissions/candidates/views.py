"""Pages of the candidate pool: the pipeline, the list, a candidate entered or edited, their page,
the awareness class, a move to another branch, the survey per unit; stopping consideration and
taking it up again, each confirmed on a page of its own. Views parse the form and call one
service; a refusal of scope is a 403, any other is shown on its form (or as a message)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.admissions.candidates import selectors, services
from dangvien.admissions.candidates.file_page import (
    REASON_KEPT,
    candidate_for,
    confirm_page,
    detail_page,
    gone_back,
    post_form,
    posted_data,
)
from dangvien.admissions.candidates.forms import (
    AwarenessClassForm,
    CandidateForm,
    MoveForm,
    NewCandidateForm,
    ReopenForm,
    WithdrawForm,
)
from dangvien.admissions.candidates.services import file_stage
from dangvien.admissions.models import OPEN_STAGES, Candidate, Stage
from dangvien.core import versions
from dangvien.core.confirm import confirm_final_action
from dangvien.core.forms import attempt
from dangvien.core.pages import require_any
from dangvien.core.queryparams import query_int
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.core.vntext import number
from dangvien.organizations.selectors import ancestors
from dangvien.reports.periods import FIRST_YEAR, LAST_YEAR

PAGE_SIZE = 50


@login_required
def index(request):
    """The pipeline of the user's scope: how many candidates stand at each stage."""
    require_any(request.user, Capability.VIEW)
    counts = selectors.stage_counts(request.user)
    context = {
        "counts": counts,
        "open_total": sum(n for stage, _label, n in counts if stage in OPEN_STAGES),
        "can_add": scope_of(request.user).any(Capability.MANAGE_MEMBERS),
    }
    return render(request, "admissions/index.html", context)


# The candidate list's columns and the order each heading sorts by (None: it does not sort).
CANDIDATE_COLUMNS = [
    ("Họ và tên", "name"),
    ("Ngày sinh", "birth"),
    ("Chi bộ", "branch"),
    ("Đơn vị công tác, học tập", None),
    ("Vào nguồn", "selected"),
    ("Lớp nhận thức", "class"),
    ("Giai đoạn", "stage"),
]


@login_required
def candidate_list(request):
    require_any(request.user, Capability.VIEW)
    filters = selectors.CandidateFilters.from_query(request.GET)
    queryset = selectors.filter_candidates(request.user, filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "headings": selectors.CANDIDATE_SORTING.headings(
            request.GET, filters.sort, CANDIDATE_COLUMNS
        ),
        "stage_filters": [(key, label) for key, (label, _q) in selectors.STAGE_FILTERS.items()],
        "class_filters": list(selectors.CLASS_FILTERS.items()),
        "can_add": scope_of(request.user).any(Capability.MANAGE_MEMBERS),
    }
    return render(request, "admissions/candidate_list.html", context)


def _status(form) -> int:
    """A refused save answers 400, as the candidate's page and the confirmations do."""
    return 400 if form.is_bound and form.errors else 200


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request):
    require_any(request.user, Capability.MANAGE_MEMBERS)
    choices = selectors.branch_choices(request.user)
    initial = {
        "branch_code": request.GET.get("branch") or (choices[0].code if len(choices) == 1 else "")
    }
    form = NewCandidateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidate = attempt(
            form,
            lambda: services.create_candidate(
                request.user,
                organization=data["organization"],
                values=form.values(),
                selected_on=data["selected_on"],
            ),
        )
        if candidate is not None:
            messages.success(request, f"Đã thêm {candidate.full_name} vào nguồn kết nạp.")
            return redirect("admissions:candidate", pk=candidate.pk)
    context = {
        "form": form,
        "title": "Thêm quần chúng vào nguồn kết nạp",
        "parent_choices": choices,
    }
    return render(request, "admissions/candidate_form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = selectors.get_candidate(request.user, pk, Capability.MANAGE_MEMBERS)
    form = CandidateForm(
        request.POST or None, instance=candidate, initial={"version": versions.token(candidate)}
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.update_candidate(
                request.user,
                candidate,
                form.values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(request, "Đã lưu thông tin quần chúng; thay đổi được ghi vào lịch sử.")
            return redirect("admissions:candidate", pk=candidate.pk)
    context = {
        "form": form,
        "title": f"Sửa thông tin: {candidate.full_name}",
        "candidate": candidate,
    }
    return render(request, "admissions/candidate_form.html", context, status=_status(form))


@login_required
def candidate_detail(request, pk):
    return detail_page(request, selectors.get_candidate(request.user, pk))


@login_required
@require_POST
def candidate_class(request, pk):
    return post_form(
        request,
        pk,
        AwarenessClassForm(request.POST),
        lambda candidate, form: services.record_awareness_class(
            request.user,
            candidate,
            attended_on=form.cleaned_data["attended_on"],
            certificate_number=form.cleaned_data["certificate_number"],
            organiser=form.cleaned_data["organiser"],
        ),
        "Đã ghi nhận giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng.",
        "class_form",
    )


@login_required
@require_POST
def candidate_move(request, pk):
    return post_form(
        request,
        pk,
        MoveForm(request.POST, user=request.user),
        lambda candidate, form: services.move_candidate(
            request.user, candidate, form.cleaned_data["organization"]
        ),
        lambda candidate, moved: f"Đã chuyển {candidate.full_name} sang {moved.organization.name}.",
        "move_form",
    )


@login_required
def survey(request):
    """The pool per unit: candidates, class, ready, admitted and quota of a year (`?year=`,
    this year by default)."""
    require_any(request.user, Capability.VIEW)
    year = query_int(request.GET, "year", label="Năm", low=FIRST_YEAR, high=LAST_YEAR)
    org = selectors.survey_org(request.user, request.GET.get("org", ""))
    context = {
        "org": org,
        "code": request.GET.get("org", ""),
        "year": year,
        "parent_choices": selectors.survey_org_choices(request.user),
    }
    if org is not None:
        context.update(
            survey=selectors.survey(request.user, org, year),
            breadcrumb=ancestors(request.user, org),
        )
    return render(request, "admissions/survey.html", context)


# Stop considering a candidate, and take them up again


@login_required
@require_http_methods(["GET", "POST"])
def candidate_withdraw(request, pk):
    candidate = candidate_for(request, pk, Capability.MANAGE_MEMBERS)
    name = candidate.full_name
    if gone := gone_back(request, candidate, lambda: _closed(candidate)):
        return gone
    page = confirm_page(
        candidate,
        f"Dừng xem xét kết nạp: {name}",
        "Xác nhận dừng xem xét",
        "Chưa dừng xem xét",
        "withdraw",
    )
    return confirm_final_action(
        request,
        page,
        WithdrawForm(posted_data(request)),
        perform=lambda data: services.withdraw_candidate(
            request.user, candidate, reason=data["reason"]
        ),
        done=f"Đã dừng xem xét kết nạp {name}.",
        consequences=lambda: _withdraw_consequences(candidate),
        reason_required=lambda: True,
    )


def _closed(candidate: Candidate) -> str | None:
    if candidate.is_open:
        return None
    return f"Hồ sơ của {candidate.full_name} đã khép lại ({candidate.get_stage_display()})."


def _withdraw_consequences(candidate: Candidate) -> list[str]:
    name, stage = candidate.full_name, candidate.get_stage_display()
    documents = candidate.steps.count()
    helpers = candidate.introducers.count()
    return [
        f"Hồ sơ kết nạp của {name} chuyển từ «{stage}» sang «{Stage.WITHDRAWN.label}»: không ghi "
        "nhận tiếp các bước, không phân công người giúp đỡ được nữa.",
        f"{name} ra khỏi danh sách nguồn kết nạp đang xem xét của "
        f"{candidate.organization.name} (vẫn xem được ở giai đoạn «{Stage.WITHDRAWN.label}»).",
        f"Giữ nguyên trong hồ sơ: {number(documents)} văn bản, biểu quyết đã ghi và "
        f"{number(helpers)} đảng viên giúp đỡ.",
        f"Hồ sơ có thể được tiếp tục xem xét, với lý do; khi đó trở lại giai đoạn «{stage}».",
    ]


@login_required
@require_http_methods(["GET", "POST"])
def candidate_reopen(request, pk):
    """«Tiếp tục xem xét»: a stopped file taken up again, at the stage it had."""
    candidate = candidate_for(request, pk, Capability.MANAGE_MEMBERS)
    name = candidate.full_name
    if gone := gone_back(request, candidate, lambda: _not_withdrawn(candidate)):
        return gone
    page = confirm_page(
        candidate,
        f"Tiếp tục xem xét kết nạp: {name}",
        "Xác nhận tiếp tục xem xét",
        "Chưa tiếp tục xem xét",
        "reopen",
    )
    return confirm_final_action(
        request,
        page,
        ReopenForm(posted_data(request)),
        perform=lambda data: services.reopen_candidate(
            request.user, candidate, reason=data["reason"]
        ),
        done=f"Đã tiếp tục xem xét kết nạp {name}.",
        consequences=lambda: _reopen_consequences(candidate),
        reason_required=lambda: True,
    )


def _not_withdrawn(candidate: Candidate) -> str | None:
    if candidate.stage == Stage.WITHDRAWN:
        return None
    return f"Hồ sơ của {candidate.full_name} đang ở giai đoạn «{candidate.get_stage_display()}»."


def _reopen_consequences(candidate: Candidate) -> list[str]:
    org = candidate.organization
    lines = [
        f"Hồ sơ của {candidate.full_name} trở lại giai đoạn «{Stage(file_stage(candidate)).label}»"
        f" tại {org.name}: ghi nhận tiếp các bước như trước khi dừng.",
        "Lý do dừng xem xét trước đây"
        + (f" («{candidate.withdrawn_reason}»)" if candidate.withdrawn_reason else "")
        + " vẫn được giữ trong lịch sử hồ sơ.",
    ]
    if not org.is_active:
        lines.append(
            f"{org.name} đã giải thể: hãy chuyển quần chúng sang chi bộ khác trước khi ghi tiếp."
        )
    return [*lines, REASON_KEPT]
