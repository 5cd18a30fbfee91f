"""Pages of the candidate pool and the admission file: parse the form, call one service, render.

A refusal of scope is a 403; any other refusal of a service is shown on its form (or as a
message). A vote short of two thirds is kept and reported as a warning. The final actions on
the file and their undoing are confirmed on pages of their own (file_views.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.admissions import selectors, services
from dangvien.admissions.forms import (
    AwarenessClassForm,
    CandidateForm,
    CeremonyForm,
    IntroducerForm,
    IntroductionForm,
    MoveForm,
    NewCandidateForm,
    StepForm,
)
from dangvien.admissions.models import OPEN_STAGES, AdmissionStepKind, Stage, StepOutcome
from dangvien.admissions.services.annulment import annulment_problem
from dangvien.admissions.services.common import step_version
from dangvien.admissions.services.introducers import INTRODUCERS_PER_CANDIDATE
from dangvien.admissions.services.procedure import COMMITTEE_STEPS, failed_vote_message
from dangvien.core import versions
from dangvien.core.forms import attempt
from dangvien.core.pages import require_any
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.organizations.selectors import ancestors

PAGE_SIZE = 50
Kind = AdmissionStepKind


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


# The candidate's page: data, class, introducers, the checklist and the decision


def _step_form_allowed(user, candidate, checklist, row) -> bool:
    """Whether the page offers a form for this step (the services decide in the end)."""
    if not candidate.is_open or row.kind in (Kind.DECISION, Kind.CEREMONY) or not row.applies:
        return False
    if row.kind in COMMITTEE_STEPS:
        return (
            can(user, Capability.MANAGE_ORGS, candidate.org_path)
            and checklist.branch_vote_done
            and not checklist.committee_vote_done
        )
    return not checklist.branch_vote_done


def _detail(request, candidate, status: int = 200, **bound):
    """Render the candidate's page with the forms the user may use; `bound` holds the form the
    user sent, shown with its errors in place of the blank one (even where the page would no
    longer offer it, so the refusal is read where it was made)."""
    user = request.user
    checklist = selectors.checklist(candidate)
    introducers = selectors.introducers_of(candidate)
    manage = can(user, Capability.MANAGE_MEMBERS, candidate.org_path)
    step_forms = bound.pop("step_forms", {})
    rows = []
    for row in checklist.rows:
        form = step_forms.get(row.kind)
        if form is None and manage and _step_form_allowed(user, candidate, checklist, row):
            form = StepForm(
                kind=row.kind,
                initial={"version": step_version(candidate, "candidate.step", row.kind)},
            )
        rows.append((row, form))
    context = {
        "candidate": candidate,
        "checklist": checklist,
        "rows": rows,
        "introducers": introducers,
        "can_manage": manage,
        "history": selectors.history(candidate),
        "org_chain": [*ancestors(user, candidate.organization), candidate.organization],
        "introduction_forms": _introduction_forms(
            introducers if manage and candidate.is_open else [], bound.pop("introduction", None)
        ),
        # Helpers replaced or removed and letters corrected: only before the branch votes.
        "can_change_introducers": manage and candidate.is_open and not checklist.branch_vote_done,
    }
    decides = can(user, Capability.MANAGE_ORGS, candidate.org_path)
    if manage and candidate.is_open:
        context["class_form"] = AwarenessClassForm()
        context["can_withdraw"] = True
        if not checklist.branch_vote_done:
            context["move_form"] = MoveForm(user=user)
        if len(introducers) < INTRODUCERS_PER_CANDIDATE:
            context["introducer_form"] = IntroducerForm(user=user)
        context["can_admit"] = checklist.ready_for_decision and decides
    context["can_reopen"] = manage and candidate.stage == Stage.WITHDRAWN
    if manage and candidate.stage == Stage.ADMITTED and checklist.ceremony is None:
        context["ceremony_form"] = CeremonyForm()
        context["can_annul"] = decides and annulment_problem(candidate) is None
    context.update(bound)
    if "introducer_form" in context:
        context["introducer_choices"] = selectors.introducer_choices(user, candidate)
    return render(request, "admissions/candidate_detail.html", context, status=status)


def _introduction_forms(introducers, sent) -> list[tuple[int, IntroductionForm]]:
    """One letter form per introducer without a letter yet, as (introducer pk, form) pairs (a
    list, which the «Chưa lưu» banner walks); the one sent keeps its errors."""
    forms = {
        introducer.pk: IntroductionForm(auto_id=f"id_intro{introducer.pk}_%s")
        for introducer in introducers
        if introducer.introduced_on is None
    }
    if sent is not None:
        forms[sent[0]] = sent[1]
    return list(forms.items())


@login_required
def candidate_detail(request, pk):
    return _detail(request, selectors.get_candidate(request.user, pk))


def _post(request, pk, form, action, success, bound_name):
    """The shared shape of the candidate page's small forms: validate, call one service, go
    back to the page with a message, or show the page again with the form's errors."""
    candidate = selectors.get_candidate(request.user, pk)
    if form.is_valid():
        result = attempt(form, lambda: action(candidate, form))
        if result is not None:
            message = success(candidate, result) if callable(success) else success
            if message:
                messages.success(request, message)
            return redirect("admissions:candidate", pk=candidate.pk)
    candidate.refresh_from_db()
    return _detail(request, candidate, status=400, **{bound_name: form})


@login_required
@require_POST
def candidate_class(request, pk):
    return _post(
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
def candidate_introducer(request, pk):
    return _post(
        request,
        pk,
        IntroducerForm(request.POST, user=request.user),
        lambda candidate, form: services.assign_introducer(
            request.user,
            candidate,
            form.cleaned_data["member"],
            assigned_on=form.cleaned_data["assigned_on"],
            together_since=form.cleaned_data["together_since"],
        ),
        lambda candidate, introducer: (
            f"Đã phân công {introducer.member.full_name} giúp đỡ {candidate.full_name}."
        ),
        "introducer_form",
    )


@login_required
@require_POST
def introduction(request, pk):
    """The introducer's letter (3-KNĐ): official member, 12 months beside the applicant."""
    introducer = selectors.get_introducer(request.user, pk)
    candidate = introducer.candidate
    form = IntroductionForm(request.POST, auto_id=f"id_intro{introducer.pk}_%s")
    if form.is_valid():
        done = attempt(
            form,
            lambda: services.record_introduction(
                request.user, introducer, on=form.cleaned_data["introduced_on"]
            ),
        )
        if done is not None:
            messages.success(
                request, f"Đã ghi nhận giấy giới thiệu của {introducer.member.full_name}."
            )
            return redirect("admissions:candidate", pk=candidate.pk)
    candidate = selectors.get_candidate(request.user, candidate.pk)
    return _detail(request, candidate, status=400, introduction=(introducer.pk, form))


@login_required
@require_POST
def candidate_step(request, pk):
    candidate = selectors.get_candidate(request.user, pk)
    kind = request.POST.get("kind", "")
    if kind not in Kind.values:
        raise Http404("Không có bước này trong hồ sơ kết nạp.")
    form = StepForm(request.POST, kind=kind)
    if form.is_valid():
        step = attempt(
            form,
            lambda: services.record_admission_step(
                request.user, candidate, kind, **form.step_values()
            ),
        )
        if step is not None:
            if step.outcome == StepOutcome.FAILED:
                messages.warning(request, failed_vote_message(candidate.full_name, step))
            else:
                messages.success(request, f"Đã ghi nhận: {Kind(kind).label}.")
            return redirect("admissions:candidate", pk=candidate.pk)
    candidate.refresh_from_db()
    return _detail(request, candidate, status=400, step_forms={kind: form})


@login_required
@require_POST
def candidate_ceremony(request, pk):
    return _post(
        request,
        pk,
        CeremonyForm(request.POST),
        lambda candidate, form: services.record_ceremony(
            request.user,
            candidate,
            on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
            exception_reason=form.cleaned_data["exception_reason"],
            exception_document=form.cleaned_data["exception_document"],
        ),
        "Đã ghi nhận lễ kết nạp.",
        "ceremony_form",
    )


@login_required
@require_POST
def candidate_move(request, pk):
    return _post(
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
    """The pool per unit: candidates, class, ready, admitted and quota of this year."""
    require_any(request.user, Capability.VIEW)
    org = selectors.survey_org(request.user, request.GET.get("org", ""))
    context = {
        "org": org,
        "code": request.GET.get("org", ""),
        "parent_choices": selectors.survey_org_choices(request.user),
    }
    if org is not None:
        context.update(
            survey=selectors.survey(request.user, org),
            breadcrumb=ancestors(request.user, org),
        )
    return render(request, "admissions/survey.html", context)
