"""The denunciation pages of an inspection committee: its register (with the overdue ones), a
new letter, one letter and its decision. Every page needs `Capability.HANDLE_DENUNCIATIONS` on
the organisation (core.roles.CONFIDENTIAL): anyone else gets the 404 of something that is not
there, so not even the existence of a letter shows."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of, visible
from dangvien.inspections import denunciations as services
from dangvien.inspections.forms import DenunciationDecisionForm, DenunciationForm
from dangvien.inspections.models import Denunciation, DenunciationStatus
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import visible_orgs

HANDLE = Capability.HANDLE_DENUNCIATIONS


def _handling_org(request, code) -> Organization:
    org = visible_orgs(request.user, HANDLE).filter(code=code).first()
    if org is None:
        raise Http404("Không tìm thấy.")
    return org


@login_required
@require_safe
def index(request):
    paths = scope_of(request.user).paths_for(HANDLE)
    org = Organization.unscoped.filter(path__in=paths).order_by("sort_key").first()
    if org is None:
        raise Http404("Không tìm thấy.")
    return redirect("inspections:denunciations", code=org.code)


@login_required
@require_safe
def register(request, code):
    org = _handling_org(request, code)
    today = timezone.localdate()
    letters = (
        visible(request.user, Denunciation)
        .filter(handling_path__startswith=org.path)
        .select_related("handling_org", "member", "organization")
    )
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        letters = letters.filter(status=DenunciationStatus.RECEIVED, due_on__lt=today)
    context = {
        "org": org,
        "page": Paginator(letters, 50).get_page(request.GET.get("page")),
        "overdue": overdue,
        "today": today,
    }
    return render(request, "inspections/denunciations.html", context)


def _page(title: str, back_url: str, button: str, refused: str, form_id: str) -> FinalAction:
    return FinalAction(
        title=title,
        back_url=back_url,
        button=button,
        refused=refused,
        breadcrumb=[(back_url, "Đơn tố cáo")],
        form_id=form_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request, code):
    org = _handling_org(request, code)
    form = DenunciationForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"received_on": timezone.localdate()},
    )
    created: list[Denunciation] = []

    def perform(data):
        letter = services.Received(
            received_on=data["received_on"],
            content=data["content"],
            denouncer_name=data["denouncer_name"],
            denouncer_contact=data["denouncer_contact"],
        )
        created.append(services.record_denunciation(request.user, org, form.subject, letter))

    return confirm_final_action(
        request,
        _page(
            f"Tiếp nhận đơn tố cáo: Ủy ban kiểm tra {org.name}",
            reverse("inspections:denunciations", args=[org.code]),
            "Tiếp nhận",
            "Chưa ghi",
            "denunciation-new",
        ),
        form,
        perform=perform,
        done="Đã tiếp nhận đơn tố cáo.",
        consequences=lambda: [
            "Người tố cáo được giữ bí mật: chỉ cán bộ ủy ban kiểm tra giải quyết đơn thấy tên, "
            "địa chỉ; lịch sử thay đổi chỉ ghi số đơn và tình trạng.",
            "Hạn giải quyết tính theo bộ quy tắc (số ngày làm việc kể từ ngày nhận đơn).",
        ],
        after=lambda: redirect("inspections:denunciation", pk=created[0].pk),
    )


def _letter(request, pk) -> Denunciation:
    return get_object_or_404(
        visible(request.user, Denunciation).select_related(
            "handling_org", "member", "organization"
        ),
        pk=pk,
    )


@login_required
@require_safe
def detail(request, pk):
    letter = _letter(request, pk)
    overdue = letter.status == DenunciationStatus.RECEIVED and letter.due_on < timezone.localdate()
    # Who opened a letter showing a denouncer is kept for the access review (by number only).
    record_read(request.user, "denunciation.view", org_path=letter.handling_path, target=letter)
    return render(request, "inspections/denunciation.html", {"letter": letter, "overdue": overdue})


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    letter = _letter(request, pk)
    back = reverse("inspections:denunciation", args=[letter.pk])
    if letter.status != DenunciationStatus.RECEIVED:
        return redirect(back)
    return confirm_final_action(
        request,
        _page(f"Giải quyết {letter}", back, "Xác nhận", "Chưa ghi", "denunciation-decide"),
        DenunciationDecisionForm(
            request.POST if request.method == "POST" else None,
            initial={"decided_on": timezone.localdate()},
        ),
        perform=lambda data: services.decide(request.user, letter, **data),
        done="Đã ghi kết quả giải quyết đơn.",
        consequences=lambda: [
            "Kết luận (tố cáo đúng, đúng một phần, sai) hoặc không thụ lý, với ngày và nội dung; "
            "ghi nhầm thì «Mở lại», có lý do.",
            "Tố cáo đúng cần xử lý: ghi cuộc kiểm tra hoặc quyết định kỷ luật trên trang tương "
            "ứng.",
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk):
    letter = _letter(request, pk)
    back = reverse("inspections:denunciation", args=[letter.pk])
    if letter.status == DenunciationStatus.RECEIVED:
        return redirect(back)
    return confirm_final_action(
        request,
        _page(f"Mở lại {letter}", back, "Xác nhận mở lại", "Chưa mở lại", "denunciation-reopen"),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: services.reopen(request.user, letter, reason=data["reason"]),
        done="Đã mở lại đơn.",
        consequences=lambda: [
            f"Đơn trở lại «{DenunciationStatus.RECEIVED.label}»; kết luận cũ giữ trong nội dung "
            "kết luận cùng lý do mở lại."
        ],
        reason_required=lambda: True,
    )
