"""Recording a discipline decision by hand and annulling one: each a confirmation page saying
what it will change (core.confirm), the refusal at the top with the input kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action, succeeded
from dangvien.core.documents import to_pdf
from dangvien.core.forms import ReasonForm
from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.discipline import complaints, services, steps, suspensions
from dangvien.discipline.documents import decision_document
from dangvien.discipline.forms import (
    AnnulForm,
    ComplaintAnswerForm,
    ComplaintForm,
    DecisionEntryForm,
    ReceiptForm,
    StepForm,
    SuspensionEndForm,
    SuspensionForm,
)
from dangvien.discipline.models import (
    OFFICIAL_FORMS,
    ORGANIZATION_FORMS,
    PROBATIONARY_FORMS,
    Complaint,
    Discipline,
    DisciplineForm,
    DisciplineStep,
    Suspension,
)
from dangvien.members.models import Member, Status
from dangvien.members.selectors import get_member
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.organizations.selectors import ancestors, get_org

_CONSEQUENCES = {
    DisciplineForm.EXPULSION: "Khai trừ: đảng viên ra khỏi Đảng từ ngày quyết định (tình trạng "
    "«Khai trừ»), không còn trong danh sách, số liệu, báo cáo về đảng viên từ ngày đó; thẻ "
    "đảng viên đang dùng bị thu hồi.",
    DisciplineForm.DISBANDMENT: "Giải tán: tổ chức chấm dứt hoạt động từ ngày quyết định như "
    "khi giải thể; tổ chức phải không còn đảng viên, tổ chức trực thuộc vào ngày đó.",
}


def _page(subject, back_url: str, title: str, button: str, refused: str) -> FinalAction:
    name = subject.full_name if isinstance(subject, Member) else subject.name
    return FinalAction(
        title=f"{title}: {name}",
        back_url=back_url,
        button=button,
        refused=refused,
        breadcrumb=[(back_url, name)],
        form_id="discipline-decision",
    )


def _record(request, subject, bodies: list[Organization], forms_allowed, back_url: str):
    form = DecisionEntryForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        forms_allowed=forms_allowed,
        bodies=bodies,
    )
    lines = [
        "Quyết định được ghi vào mục «Kỷ luật» của hồ sơ, với hạn khiếu nại (số ngày làm việc "
        "theo bộ quy tắc, tính từ ngày quyết định; ghi ngày đối tượng nhận quyết định ở trang "
        "«Khiếu nại» thì tính từ ngày đó); khiếu nại không làm dừng quyết định.",
        *(_CONSEQUENCES[f] for f in forms_allowed if f in _CONSEQUENCES),
        "Nếu ghi nhầm hoặc quyết định bị hủy bỏ, hủy được trên trang này («Hủy quyết định»), "
        "với lý do ghi vào lịch sử; việc khai trừ, giải tán do quyết định gây ra được hoàn lại.",
    ]
    if isinstance(subject, Member):
        lines.insert(
            1,
            "Đảng viên bị kỷ luật trong năm chỉ được xếp loại chất lượng năm đó đến mức bộ quy "
            "tắc cho phép (QĐ 124-QĐ/TW).",
        )
    return confirm_final_action(
        request,
        _page(subject, back_url, "Ghi quyết định kỷ luật", "Xác nhận ghi", "Chưa ghi"),
        form,
        perform=lambda data: services.record_discipline(request.user, subject, form.decision()),
        done="Đã ghi quyết định kỷ luật.",
        consequences=lambda: lines,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_for_member(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    back_url = reverse("members:detail", args=[member.pk])
    if not member.is_active:
        messages.info(
            request, f"{member.full_name} không còn sinh hoạt đảng ({member.get_status_display()})."
        )
        return redirect(back_url)
    bodies = [member.branch, *reversed(ancestors(request.user, member.branch))]
    allowed = PROBATIONARY_FORMS if member.status == Status.PROBATIONARY else OFFICIAL_FORMS
    return _record(request, member, bodies, allowed, back_url)


@login_required
@require_http_methods(["GET", "POST"])
def record_for_org(request, code):
    org = get_org(request.user, code, Capability.MANAGE_ORGS)
    back_url = reverse("organizations:detail", args=[org.code])
    if not org.is_active:
        messages.info(request, f"{org.name} đã chấm dứt hoạt động từ {org.ended_on:%d/%m/%Y}.")
        return redirect(back_url)
    bodies = [org, *reversed(ancestors(request.user, org))]
    return _record(request, org, bodies, ORGANIZATION_FORMS, back_url)


@login_required
@require_http_methods(["GET", "POST"])
def annul(request, pk):
    """Annul a decision (QĐ 117-QĐ/TW), with the reason; its effects undone where they stand."""
    discipline = get_object_or_404(visible(request.user, Discipline), pk=pk)
    subject = discipline.subject
    if not can(request.user, services.managing(subject), discipline.subject_path):
        raise PermissionDenied("Bạn chỉ được xem quyết định này, không được thay đổi.")
    if isinstance(subject, Member):
        back_url = reverse("members:detail", args=[subject.pk])
    else:
        back_url = reverse("organizations:detail", args=[subject.code])
    if discipline.annulled_at is not None:
        messages.info(request, f"Quyết định {discipline.decision_number} đã được hủy.")
        return redirect(back_url)
    lines = [
        f"Quyết định {discipline.decision_number} ({discipline.get_form_display()}, "
        f"{discipline.decided_on:%d/%m/%Y}) được đánh dấu đã hủy, vẫn giữ trong hồ sơ cùng lý "
        "do; không còn tính khi xếp loại chất lượng năm đó.",
    ]
    returns = (
        discipline.form == DisciplineForm.EXPULSION
        and subject.status == Status.EXPELLED
        and subject.left_on == discipline.decided_on
    )
    if returns:
        lines.append(
            f"Đảng viên trở lại sinh hoạt đảng tại {subject.branch.name} từ ngày ghi dưới đây: "
            f"từ chính ngày ra khỏi Đảng ({subject.left_on:%d/%m/%Y}) thì như chưa từng ra, báo "
            "cáo của các ngày từ đó tính cả đảng viên; từ một ngày sau thì báo cáo của những ngày "
            "trước giữ nguyên như đã lập. Dù trở lại ngày nào, tuổi đảng liên tục (QĐ 117-QĐ/TW); "
            "thẻ đảng viên đã thu hồi được cấp lại trên trang «Thẻ đảng viên»."
        )
    if discipline.form == DisciplineForm.DISBANDMENT:
        lines.append("Tổ chức hoạt động trở lại, như khi khôi phục một tổ chức đã giải thể.")
    return confirm_final_action(
        request,
        _page(subject, back_url, "Hủy quyết định kỷ luật", "Xác nhận hủy", "Chưa hủy"),
        AnnulForm(
            request.POST if request.method == "POST" else None,
            returns=returns,
            initial={"return_on": discipline.decided_on},
        ),
        perform=lambda data: services.annul_discipline(
            request.user, discipline, reason=data["reason"], return_on=data.get("return_on")
        ),
        done=f"Đã hủy quyết định kỷ luật {discipline.decision_number}.",
        consequences=lambda: lines,
        reason_required=lambda: True,
    )


# -- Suspension of party activity ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def suspend(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    back_url = reverse("members:detail", args=[member.pk])
    if not member.is_active:
        messages.info(request, f"{member.full_name} không còn sinh hoạt đảng.")
        return redirect(back_url)
    bodies = [
        org
        for org in reversed(ancestors(request.user, member.branch))
        if org.kind not in BRANCH_KINDS
    ]
    if not bodies:
        messages.info(
            request,
            "Quyết định đình chỉ sinh hoạt đảng do cấp ủy cấp trên của chi bộ ghi: tài khoản "
            "của bạn không quản lý cấp ủy nào như vậy.",
        )
        return redirect(back_url)
    form = SuspensionForm(
        request.POST if request.method == "POST" else None, user=request.user, bodies=bodies
    )
    return confirm_final_action(
        request,
        _page(member, back_url, "Đình chỉ sinh hoạt đảng", "Xác nhận đình chỉ", "Chưa ghi"),
        form,
        perform=lambda data: suspensions.suspend(request.user, member, form.decision()),
        done="Đã ghi quyết định đình chỉ sinh hoạt đảng.",
        consequences=lambda: [
            "Trong thời gian bị đình chỉ, đảng viên không được xếp loại chất lượng (ghi «Không "
            "xếp loại: Đình chỉ sinh hoạt đảng», HD 21-HD/BTCTW) và không được cấp giấy giới "
            "thiệu chuyển sinh hoạt đảng.",
            "Kết thúc đình chỉ (hết thời hạn, được phục hồi) hoặc hủy khi ghi nhầm trên trang hồ "
            "sơ, có lý do.",
        ],
    )


def _suspension(request, pk) -> Suspension:
    suspension = get_object_or_404(
        visible(request.user, Suspension).select_related("member"), pk=pk
    )
    if not can(request.user, Capability.MANAGE_MEMBERS, suspension.branch_path):
        raise PermissionDenied("Bạn chỉ được xem quyết định này, không được thay đổi.")
    return suspension


@login_required
@require_http_methods(["GET", "POST"])
def end_suspension(request, pk):
    suspension = _suspension(request, pk)
    member = suspension.member
    back_url = reverse("members:detail", args=[member.pk])
    form = SuspensionEndForm(
        request.POST if request.method == "POST" else None,
        initial={"ends_on": suspension.ends_on},
    )
    return confirm_final_action(
        request,
        _page(member, back_url, "Kết thúc đình chỉ sinh hoạt đảng", "Xác nhận", "Chưa ghi"),
        form,
        perform=lambda data: suspensions.end_suspension(
            request.user, suspension, ends_on=data["ends_on"], reason=data["reason"]
        ),
        done="Đã ghi ngày sinh hoạt trở lại.",
        consequences=lambda: [
            f"Đình chỉ theo quyết định {suspension.decision_number} (từ "
            f"{suspension.starts_on:%d/%m/%Y}) kết thúc: đảng viên sinh hoạt trở lại từ ngày ghi "
            "dưới đây."
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annul_suspension(request, pk):
    suspension = _suspension(request, pk)
    member = suspension.member
    back_url = reverse("members:detail", args=[member.pk])
    if suspension.annulled_at is not None:
        return redirect(back_url)
    return confirm_final_action(
        request,
        _page(member, back_url, "Hủy quyết định đình chỉ", "Xác nhận hủy", "Chưa hủy"),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: suspensions.annul_suspension(
            request.user, suspension, reason=data["reason"]
        ),
        done="Đã hủy quyết định đình chỉ.",
        consequences=lambda: [
            f"Quyết định {suspension.decision_number} được đánh dấu đã hủy, vẫn giữ cùng lý do; "
            "đảng viên không còn bị coi là đình chỉ trong thời gian đó."
        ],
        reason_required=lambda: True,
    )


# -- Complaints against a decision ------------------------------------------------------------


def _subject_url(subject) -> str:
    if isinstance(subject, Member):
        return reverse("members:detail", args=[subject.pk])
    return reverse("organizations:detail", args=[subject.code])


@login_required
@require_http_methods(["GET", "POST"])
def complaints_page(request, pk):
    """The complaints against one decision; for those who manage its subject, the day the
    subject received it (the complaint period runs from it) and, for the officers of a committee
    above, the form receiving the next complaint. A POST names its form (`action`)."""
    discipline = get_object_or_404(
        visible(request.user, Discipline).select_related("deciding_org"), pk=pk
    )
    subject = discipline.subject
    may_change = can(request.user, services.managing(subject), discipline.subject_path)
    found = list(discipline.complaints.select_related("handling_org"))
    for complaint in found:
        complaint.can_answer = may_change and can(
            request.user, Capability.MANAGE_ORGS, complaint.handling_org.path
        )
    last = next((c for c in reversed(found) if c.result), None)
    below = last.handling_org if last is not None else discipline.deciding_org
    bodies = [
        org
        for org in reversed(ancestors(request.user, below))
        if can(request.user, Capability.MANAGE_ORGS, org.path)
    ]
    open_now = any(not c.result for c in found)
    action = request.POST.get("action", "complaint") if request.method == "POST" else ""
    form = receipt = None
    if may_change and discipline.annulled_at is None:
        receipt = ReceiptForm(
            request.POST if action == "receipt" else None,
            initial={"received_on": discipline.received_on or discipline.decided_on},
            prefix="receipt",  # the complaint form on the page has its own day received
        )
        if bodies and not open_now:
            form = ComplaintForm(
                request.POST if action == "complaint" else None,
                bodies=bodies,
                initial={"received_on": timezone.localdate()},
            )
    if action == "receipt" and receipt is not None:
        if receipt.is_valid() and succeeded(
            receipt,
            lambda: complaints.record_receipt(
                request.user,
                discipline,
                received_on=receipt.cleaned_data["received_on"],
                reason=receipt.cleaned_data["reason"],
            ),
        ):
            messages.success(request, "Đã ghi ngày nhận quyết định; hạn khiếu nại tính lại.")
            return redirect("discipline:complaints", pk=discipline.pk)
    elif action == "complaint" and form is not None:
        if form.is_valid():
            data = form.cleaned_data
            done = succeeded(
                form,
                lambda: complaints.receive_complaint(
                    request.user,
                    discipline,
                    handling_org=form.bodies[data["handling_org"]],
                    received_on=data["received_on"],
                    content=data["content"],
                ),
            )
            if done:
                messages.success(request, "Đã ghi đơn khiếu nại.")
                return redirect("discipline:complaints", pk=discipline.pk)
    elif action:
        raise PermissionDenied("Không ghi được khiếu nại về quyết định này.")
    context = {
        "discipline": discipline,
        "receipt": receipt,
        "subject_name": subject.full_name if isinstance(subject, Member) else subject.name,
        "subject_url": _subject_url(subject),
        "complaints": found,
        "form": form,
        "may_change": may_change,
    }
    refused = any(f is not None and f.errors for f in (form, receipt))
    return render(request, "discipline/complaints.html", context, status=400 if refused else 200)


@login_required
@require_http_methods(["GET", "POST"])
def resolve_complaint(request, pk):
    complaint = get_object_or_404(
        visible(request.user, Complaint).select_related("discipline", "handling_org"), pk=pk
    )
    discipline = complaint.discipline
    if not can(
        request.user, services.managing(discipline.subject), complaint.subject_path
    ) or not can(request.user, Capability.MANAGE_ORGS, complaint.handling_org.path):
        raise PermissionDenied("Khiếu nại này do cán bộ của cấp giải quyết ghi kết quả.")
    back_url = reverse("discipline:complaints", args=[discipline.pk])
    if complaint.result:
        return redirect(back_url)
    lines = [
        f"Kết quả giải quyết của {complaint.handling_org.name} được ghi với ngày và nội dung.",
        "«Xóa bỏ quyết định kỷ luật»: quyết định được hủy như «Hủy quyết định» (QĐ 117-QĐ/TW), "
        "hệ quả của nó được hoàn lại. «Thay đổi hình thức»: ghi quyết định mới trên trang của "
        "đối tượng sau khi hủy quyết định cũ.",
        "Chưa đồng ý với kết quả: ghi khiếu nại tiếp lên cấp trên trên trang này.",
    ]
    if not complaint.in_time:
        lines.insert(0, "Đơn nhận sau hạn khiếu nại: chỉ «Không thụ lý».")
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Giải quyết khiếu nại quyết định {discipline.decision_number}",
            back_url=back_url,
            button="Xác nhận",
            refused="Chưa ghi",
            breadcrumb=[(back_url, "Khiếu nại")],
            form_id="complaint-resolve",
        ),
        ComplaintAnswerForm(
            request.POST if request.method == "POST" else None,
            initial={"resolved_on": timezone.localdate()},
        ),
        perform=lambda data: complaints.resolve_complaint(request.user, complaint, **data),
        done="Đã ghi kết quả giải quyết khiếu nại.",
        consequences=lambda: lines,
    )


@login_required
@require_safe
def decision_pdf(request, pk):
    """The decision as a party document (?place=… prints the place before the date)."""
    discipline = get_object_or_404(
        visible(request.user, Discipline).select_related("deciding_org", "member", "organization"),
        pk=pk,
    )
    content = to_pdf(decision_document(discipline, request.GET.get("place", "").strip()[:60]))
    record_read(
        request.user,
        "discipline.print",
        org_path=discipline.subject_path,
        target=discipline,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"quyet-dinh-ky-luat-{discipline.pk}.pdf"
    )
    return response


# -- Steps before a decision -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_steps(request, pk):
    """A member's steps before discipline; the form records the next for those who manage the
    member."""
    member = get_member(request.user, pk)
    may_change = can(request.user, Capability.MANAGE_MEMBERS, member.branch_path)
    form = StepForm(
        request.POST if request.method == "POST" else None,
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Bạn chỉ được xem hồ sơ này.")
        if form.is_valid() and succeeded(
            form, lambda: steps.record_step(request.user, member, form.step())
        ):
            messages.success(request, "Đã ghi bước xử lý.")
            return redirect("discipline:steps", pk=member.pk)
    context = {
        "member": member,
        "steps": list(member.discipline_steps.select_related("discipline")),
        "form": form if may_change and member.is_active else None,
    }
    return render(request, "discipline/steps.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def annul_step(request, pk):
    step = get_object_or_404(visible(request.user, DisciplineStep).select_related("member"), pk=pk)
    if not can(request.user, Capability.MANAGE_MEMBERS, step.branch_path):
        raise PermissionDenied("Bạn chỉ được xem hồ sơ này.")
    back_url = reverse("discipline:steps", args=[step.member_id])
    if step.annulled_at is not None:
        return redirect(back_url)
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Hủy bước xử lý: {step}",
            back_url=back_url,
            button="Xác nhận hủy",
            refused="Chưa hủy",
            breadcrumb=[(back_url, "Các bước xử lý trước kỷ luật")],
            form_id="discipline-step-annul",
        ),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: steps.annul_step(request.user, step, reason=data["reason"]),
        done="Đã hủy bước xử lý.",
        consequences=lambda: [
            f"«{step.get_kind_display()}» ngày {step.on:%d/%m/%Y} được đánh dấu đã hủy, vẫn giữ "
            "cùng lý do; không còn gắn với quyết định kỷ luật nào."
        ],
        reason_required=lambda: True,
    )
