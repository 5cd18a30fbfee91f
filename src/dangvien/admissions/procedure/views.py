"""Pages of the admission file: a document or vote of its checklist and the ceremony, recorded
on the candidate's page (a vote short of two thirds is kept and reported as a warning); the
admission decision and its annulment, each confirmed on a page of its own (core/confirm.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.admissions.candidates.file_page import (
    candidate_for,
    confirm_page,
    detail_page,
    gone_back,
    post_form,
    posted_data,
    refusal_of,
)
from dangvien.admissions.candidates.selectors import get_candidate
from dangvien.admissions.candidates.services import require_open
from dangvien.admissions.models import AdmissionStepKind, Candidate, Stage, StepOutcome
from dangvien.admissions.procedure import selectors, services
from dangvien.admissions.procedure.annulment import (
    annul_admission,
    annulment_problem,
    stage_before_decision,
)
from dangvien.admissions.procedure.forms import (
    AdmitForm,
    AnnulAdmissionForm,
    CeremonyForm,
    StepForm,
)
from dangvien.admissions.procedure.services import failed_vote_message
from dangvien.core.confirm import confirm_final_action
from dangvien.core.forms import attempt
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.vntext import number

Kind = AdmissionStepKind


@login_required
@require_POST
def candidate_step(request, pk):
    candidate = get_candidate(request.user, pk)
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
    return detail_page(request, candidate, status=400, step_forms={kind: form})


@login_required
@require_POST
def candidate_ceremony(request, pk):
    return post_form(
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


# The admission decision, and its annulment


@login_required
@require_http_methods(["GET", "POST"])
def candidate_admit(request, pk):
    """The admission decision (9-KNĐ), confirmed: it creates the member record."""
    candidate = candidate_for(request, pk, Capability.MANAGE_ORGS)
    if gone := gone_back(request, candidate, lambda: _not_ready(candidate)):
        return gone
    name = candidate.full_name
    page = confirm_page(
        candidate, f"Quyết định kết nạp: {name}", "Xác nhận kết nạp", "Chưa kết nạp", "admit"
    )
    form = AdmitForm(
        posted_data(request),
        initial={"code": selectors.suggested_member_code(request.user, candidate)},
    )
    code = request.POST.get("code", "").strip()
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.admit_candidate(
            request.user, candidate, code=data["code"], decision=form.decision()
        ),
        done=f"Đã kết nạp {name}: hồ sơ đảng viên {code} đã được tạo.",
        consequences=lambda: _admit_consequences(candidate),
    )


def _not_ready(candidate: Candidate) -> str | None:
    if refusal := refusal_of(lambda: require_open(candidate)):
        return refusal
    if not selectors.checklist(candidate).ready_for_decision:
        return "Hồ sơ chưa có đủ nghị quyết đề nghị kết nạp để ra quyết định."
    return None


def _admit_consequences(candidate: Candidate) -> list[str]:
    name = candidate.full_name
    days = RuleBook.load().value("ceremony_deadline_working_days", timezone.localdate())
    return [
        f"Hồ sơ đảng viên dự bị của {name} được tạo từ thông tin quần chúng, sinh hoạt tại "
        f"{candidate.organization.name}; ngày vào Đảng là ngày ký quyết định.",
        f"Hồ sơ kết nạp chuyển sang «{Stage.ADMITTED.label}»: các bước của hồ sơ không sửa được "
        "nữa.",
        f"Lễ kết nạp tổ chức trong {number(days)} ngày làm việc kể từ ngày quyết định; 12 tháng "
        "dự bị tính từ ngày lễ kết nạp (Điều lệ Đảng, Điều 5).",
        "Quyết định có thể được hủy, với lý do, khi chưa ghi nhận lễ kết nạp và hồ sơ đảng viên "
        "chưa có thay đổi nào.",
    ]


@login_required
@require_http_methods(["GET", "POST"])
def candidate_annul(request, pk):
    """Annul an admission decision taken by mistake, while nothing follows it."""
    candidate = candidate_for(request, pk, Capability.MANAGE_ORGS)
    if gone := gone_back(request, candidate, lambda: annulment_problem(candidate)):
        return gone
    name = candidate.full_name
    page = confirm_page(
        candidate,
        f"Hủy quyết định kết nạp: {name}",
        "Xác nhận hủy quyết định",
        "Chưa hủy quyết định kết nạp",
        "annul-admission",
    )
    return confirm_final_action(
        request,
        page,
        AnnulAdmissionForm(posted_data(request)),
        perform=lambda data: annul_admission(request.user, candidate, reason=data["reason"]),
        done=f"Đã hủy quyết định kết nạp {name}; hồ sơ kết nạp trở lại bước trước quyết định.",
        consequences=lambda: _annul_consequences(candidate),
        reason_required=lambda: True,
    )


def _annul_consequences(candidate: Candidate) -> list[str]:
    name = candidate.full_name
    decision = selectors.checklist(candidate).decision
    stage = Stage(stage_before_decision(candidate)).label
    lines = []
    if decision is not None:
        number_text = f" số {decision.document_number}" if decision.document_number else ""
        lines.append(
            f"Quyết định kết nạp{number_text} ngày {decision.done_on:%d/%m/%Y} bị hủy; hồ sơ "
            f"kết nạp của {name} trở lại giai đoạn «{stage}»."
        )
    member = candidate.member
    if member is not None:
        lines.append(
            f"Hồ sơ đảng viên {member.code} do quyết định này tạo bị xóa: {name} không còn "
            f"trong danh sách đảng viên dự bị và số đảng viên của {member.branch.name}."
        )
    return [
        *lines,
        "Lịch sử giữ lại quyết định, hồ sơ đảng viên đã tạo và việc hủy cùng lý do; có thể ra "
        "quyết định kết nạp mới.",
    ]
