"""The register of residents' letters of an organisation (đơn thư, phản ánh, kiến nghị): the
letters it and the organisations below it handle (with the overdue ones), a new letter, one
letter with its forwarding, answer and reopening on confirmation pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm
from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.inspections import petitions
from dangvien.inspections.forms import AnswerForm, ForwardForm, PetitionForm
from dangvien.inspections.models import Petition, PetitionStatus
from dangvien.organizations.selectors import get_org

MANAGE = Capability.MANAGE_ORGS


@login_required
@require_safe
def register(request, code):
    org = get_org(request.user, code)
    today = timezone.localdate()
    letters = (
        visible(request.user, Petition)
        .filter(handling_path__startswith=org.path)
        .select_related("handling_org", "received_by")
    )
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        letters = letters.filter(status=PetitionStatus.RECEIVED, due_on__lt=today)
    context = {
        "org": org,
        "page": Paginator(letters, 50).get_page(request.GET.get("page")),
        "overdue": overdue,
        "today": today,
        "may_record": can(request.user, MANAGE, org.path),
    }
    return render(request, "inspections/petitions.html", context)


def _page(title: str, back: str, button: str, form_id: str) -> FinalAction:
    return FinalAction(
        title=title,
        back_url=back,
        button=button,
        refused="Chưa ghi",
        breadcrumb=[(back, "Đơn thư, phản ánh, kiến nghị")],
        form_id=form_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request, code):
    org = get_org(request.user, code, MANAGE)
    created: list[Petition] = []
    form = PetitionForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate()},
    )

    def perform(data):
        created.append(petitions.register(request.user, org, petitions.Letter(**data)))

    return confirm_final_action(
        request,
        _page(
            f"Tiếp nhận đơn thư: {org.name}",
            reverse("inspections:petitions", args=[org.code]),
            "Tiếp nhận",
            "petition-new",
        ),
        form,
        perform=perform,
        done="Đã tiếp nhận đơn.",
        consequences=lambda: [
            "Đơn được vào sổ với hạn trả lời theo bộ quy tắc (ngày làm việc kể từ ngày nhận).",
            "Đơn tố cáo không ghi ở sổ này: chuyển ủy ban kiểm tra để tiếp nhận ở sổ «Đơn tố cáo», "
            "nơi người tố cáo được giữ bí mật.",
        ],
        after=lambda: redirect("inspections:petition", pk=created[0].pk),
    )


def _letter(request, pk, capability: str = Capability.VIEW) -> Petition:
    letter = get_object_or_404(
        visible(request.user, Petition).select_related("handling_org", "received_by"), pk=pk
    )
    if capability != Capability.VIEW and not can(request.user, capability, letter.handling_path):
        raise PermissionDenied("Bạn chỉ được xem đơn này.")
    return letter


@login_required
@require_safe
def detail(request, pk):
    letter = _letter(request, pk)
    context = {
        "letter": letter,
        "may_change": can(request.user, MANAGE, letter.handling_path),
        "overdue": letter.status == PetitionStatus.RECEIVED
        and letter.due_on < timezone.localdate(),
    }
    return render(request, "inspections/petition.html", context)


def _back(letter: Petition) -> str:
    return reverse("inspections:petition", args=[letter.pk])


@login_required
@require_http_methods(["GET", "POST"])
def forward(request, pk):
    letter = _letter(request, pk, MANAGE)
    if letter.status != PetitionStatus.RECEIVED:
        return redirect(_back(letter))
    form = ForwardForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"on": timezone.localdate()},
    )
    return confirm_final_action(
        request,
        _page(f"Chuyển {letter}", _back(letter), "Xác nhận chuyển", "petition-forward"),
        form,
        perform=lambda data: petitions.forward(
            request.user, letter, form.to, on=data["on"], note=data["note"]
        ),
        done="Đã chuyển đơn.",
        consequences=lambda: [
            "Đơn chuyển sang tổ chức có thẩm quyền giải quyết: cán bộ của tổ chức đó (và cấp "
            "trên) thấy và trả lời; hạn trả lời giữ nguyên."
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    letter = _letter(request, pk, MANAGE)
    if letter.status != PetitionStatus.RECEIVED:
        return redirect(_back(letter))
    return confirm_final_action(
        request,
        _page(f"Trả lời {letter}", _back(letter), "Xác nhận", "petition-answer"),
        AnswerForm(
            request.POST if request.method == "POST" else None,
            initial={"on": timezone.localdate()},
        ),
        perform=lambda data: petitions.answer(request.user, letter, **data),
        done="Đã ghi kết quả giải quyết đơn.",
        consequences=lambda: [
            "Đơn thành «Đã trả lời» hoặc «Lưu, không giải quyết» với ngày và nội dung; ghi nhầm "
            "thì «Mở lại», có lý do."
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk):
    letter = _letter(request, pk, MANAGE)
    if letter.status == PetitionStatus.RECEIVED:
        return redirect(_back(letter))
    return confirm_final_action(
        request,
        _page(f"Mở lại {letter}", _back(letter), "Xác nhận mở lại", "petition-reopen"),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: petitions.reopen(request.user, letter, reason=data["reason"]),
        done="Đã mở lại đơn.",
        consequences=lambda: [
            "Đơn trở lại «Đang giải quyết»; nội dung trả lời cũ giữ trong lịch sử cùng lý do."
        ],
        reason_required=lambda: True,
    )
