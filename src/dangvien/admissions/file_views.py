"""The final actions on an admission file and their undoing, each on a confirmation page that
says what it will change (core/confirm.py): stop considering a candidate and take them up
again, the admission decision and its annulment (the helpers' changes: introducer_views.py).
A GET of an action that can no longer be done goes back to the file with the reason; a refused
POST says why at the top (400)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvien.admissions import selectors, services
from dangvien.admissions.forms import (
    AdmitForm,
    AnnulAdmissionForm,
    ReopenForm,
    WithdrawForm,
)
from dangvien.admissions.models import Candidate, Stage
from dangvien.admissions.services.annulment import annulment_problem, stage_before_decision
from dangvien.admissions.services.candidates import file_stage, require_open
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can
from dangvien.core.vntext import number

REASON_KEPT = "Lý do được ghi vào lịch sử hồ sơ cùng người thực hiện và thời điểm."


def _candidate(request, pk: int, capability: str) -> Candidate:
    """The candidate, 404 outside the user's scope, 403 where the user only reads it."""
    candidate = selectors.get_candidate(request.user, pk)
    if not can(request.user, capability, candidate.org_path):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với hồ sơ kết nạp.")
    return candidate


def confirm_page(candidate: Candidate, title: str, button: str, refused: str, form_id: str):
    """The confirmation page of an action on `candidate`'s file, which goes back to the file."""
    url = reverse("admissions:candidate", args=[candidate.pk])
    return FinalAction(
        title=title,
        back_url=url,
        button=button,
        refused=refused,
        breadcrumb=[
            (reverse("admissions:candidates"), "Nguồn kết nạp"),
            (url, candidate.full_name),
        ],
        form_id=form_id,
    )


def refusal_of(check) -> str | None:
    """The service's own refusal of an action that can no longer be done (None: it can)."""
    try:
        check()
    except DomainError as exc:
        return exc.message
    return None


def gone_back(request, candidate: Candidate, refusal: Callable[[], str | None]):
    """A GET of an action no longer possible: back to the file, saying why (a POST is refused
    by the service itself, on the confirmation page)."""
    if request.method != "GET":
        return None
    if reason := refusal():
        messages.warning(request, reason)
        return redirect("admissions:candidate", pk=candidate.pk)
    return None


def posted_data(request):
    """What a confirmation form is bound to: the POST, or nothing for the page's GET."""
    return request.POST if request.method == "POST" else None


# Stop considering a candidate, and take them up again


@login_required
@require_http_methods(["GET", "POST"])
def candidate_withdraw(request, pk):
    candidate = _candidate(request, pk, Capability.MANAGE_MEMBERS)
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
    candidate = _candidate(request, pk, Capability.MANAGE_MEMBERS)
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


# The admission decision, and its annulment


@login_required
@require_http_methods(["GET", "POST"])
def candidate_admit(request, pk):
    """The admission decision (9-KNĐ), confirmed: it creates the member record."""
    candidate = _candidate(request, pk, Capability.MANAGE_ORGS)
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
    candidate = _candidate(request, pk, Capability.MANAGE_ORGS)
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
        perform=lambda data: services.annul_admission(
            request.user, candidate, reason=data["reason"]
        ),
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
