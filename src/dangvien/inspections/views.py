"""The inspection pages: the activities of an organisation's bodies and of those below it (with
the overdue ones), a new activity, one activity with its progress, and its conclusion, reopening
and annulment on confirmation pages (core.confirm)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action, succeeded
from dangvien.core.documents import to_pdf
from dangvien.core.errors import DomainError
from dangvien.core.forms import ReasonForm
from dangvien.core.queryparams import parse_year
from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.inspections import plans, services
from dangvien.inspections.documents import conclusion_document
from dangvien.inspections.forms import ActivityForm, ConcludeForm, ProgressForm
from dangvien.inspections.models import Conclusion, Inspection
from dangvien.organizations.selectors import get_org, scope_roots

PAGE_SIZE = 50


@login_required
@require_safe
def index(request):
    """The activities of the top of the user's scope."""
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("inspections:org", code=org.code)


@login_required
@require_safe
def org_activities(request, code):
    """The activities of the bodies of `code`'s subtree, latest first: of a year, or those not
    concluded by their end of period (?overdue=1)."""
    org = get_org(request.user, code)
    today = timezone.localdate()
    activities = (
        visible(request.user, Inspection)
        .filter(body_path__startswith=org.path)
        .select_related("body", "member", "organization")
    )
    try:
        year = parse_year(request.GET.get("year"))
    except DomainError as error:
        year, error_text = None, error.message
    else:
        error_text = ""
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        activities = activities.filter(
            conclusion=Conclusion.PENDING, annulled_at__isnull=True, due_on__lt=today
        ).order_by("due_on", "id")
    elif year is not None:
        activities = activities.filter(decided_on__year=year)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "page": page,
        "year": year,
        "overdue": overdue,
        "today": today,
        "error": error_text,
        "can_record": can(request.user, Capability.MANAGE_INSPECTIONS, org.path),
    }
    return render(request, "inspections/org_activities.html", context)


def _page(title: str, back_url: str, button: str, refused: str, form_id: str) -> FinalAction:
    return FinalAction(
        title=title,
        back_url=back_url,
        button=button,
        refused=refused,
        breadcrumb=[(back_url, title.split(": ", 1)[-1])],
        form_id=form_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request, code):
    body = get_org(request.user, code, Capability.MANAGE_INSPECTIONS)
    back_url = reverse("inspections:org", args=[body.code])
    this_year = timezone.localdate().year
    open_items = [
        item for year in (this_year, this_year - 1) for item in plans.open_items(body, year)
    ]
    initial = {"decided_on": timezone.localdate()}
    chosen = next((i for i in open_items if str(i.pk) == request.GET.get("item")), None)
    if chosen is not None:  # «Ghi cuộc kiểm tra, giám sát» on a programme's item
        initial |= {
            "planned": str(chosen.pk),
            "conducted_by": chosen.plan.conducted_by,
            "activity": chosen.activity,
            "form": chosen.form,
            "content": chosen.content,
        }
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        body=body,
        open_items=open_items,
        initial=initial,
    )
    created: list[Inspection] = []

    def perform(data):
        created.append(services.record_inspection(request.user, form.subject, form.decision()))

    return confirm_final_action(
        request,
        _page(
            f"Ghi cuộc kiểm tra, giám sát: {body.name}",
            back_url,
            "Ghi",
            "Chưa ghi",
            "inspection-new",
        ),
        form,
        perform=perform,
        done="Đã ghi cuộc kiểm tra, giám sát.",
        consequences=lambda: [
            f"Cấp ủy, ủy ban kiểm tra hoặc chi bộ của {body.name} tiến hành; đối tượng là đảng "
            "viên sinh hoạt trong tổ chức hoặc tổ chức cấp dưới. Giám sát chỉ có hình thức "
            "thường xuyên hoặc chuyên đề; ủy ban kiểm tra có từ đảng bộ cơ sở trở lên.",
            "Đảng viên đang bị kiểm tra, chưa có kết luận thì chưa được cấp giấy giới thiệu "
            "chuyển sinh hoạt đảng (theo bộ quy tắc).",
        ],
        after=lambda: redirect("inspections:detail", pk=created[0].pk),
    )


def _activity(request, pk, capability: str = Capability.VIEW) -> Inspection:
    inspection = get_object_or_404(
        visible(request.user, Inspection).select_related(
            "body", "member", "organization", "planned__plan"
        ),
        pk=pk,
    )
    if capability != Capability.VIEW and not can(request.user, capability, inspection.body_path):
        raise PermissionDenied("Bạn chỉ được xem cuộc kiểm tra, giám sát này.")
    return inspection


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """One activity; its progress saved by a POST from whoever records the body's activities."""
    inspection = _activity(request, pk)
    may_change = can(request.user, Capability.MANAGE_INSPECTIONS, inspection.body_path)
    fields = ("team", "self_report", "findings", "follow_up")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Bạn chỉ được xem cuộc kiểm tra, giám sát này.")
        form = ProgressForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version")
            if succeeded(
                form,
                lambda: services.record_progress(
                    request.user, inspection, expected_version=expected, **data
                ),
            ):
                messages.success(request, "Đã lưu.")
                return redirect("inspections:detail", pk=inspection.pk)
    else:
        initial = {field: getattr(inspection, field) for field in fields}
        initial["version"] = versions.token(inspection, actions=services.PROGRESS_ACTION)
        form = ProgressForm(initial=initial)
    today = timezone.localdate()
    context = {
        "inspection": inspection,
        "form": form,
        "may_change": may_change and inspection.annulled_at is None,
        "overdue": inspection.conclusion == Conclusion.PENDING and inspection.due_on < today,
    }
    return render(request, "inspections/detail.html", context, status=400 if form.errors else 200)


def _back(inspection: Inspection) -> str:
    return reverse("inspections:detail", args=[inspection.pk])


@login_required
@require_http_methods(["GET", "POST"])
def conclude(request, pk):
    inspection = _activity(request, pk, Capability.MANAGE_INSPECTIONS)
    if inspection.conclusion != Conclusion.PENDING or inspection.annulled_at is not None:
        messages.info(request, "Cuộc kiểm tra, giám sát này đã có kết luận hoặc đã bị hủy.")
        return redirect(_back(inspection))
    form = ConcludeForm(
        request.POST if request.method == "POST" else None,
        initial={"concluded_on": min(timezone.localdate(), inspection.due_on)},
    )
    return confirm_final_action(
        request,
        _page(
            f"Kết luận: {inspection}",
            _back(inspection),
            "Xác nhận kết luận",
            "Chưa kết luận",
            "inspection-conclude",
        ),
        form,
        perform=lambda data: services.conclude(request.user, inspection, **data),
        done="Đã ghi kết luận.",
        consequences=lambda: [
            f"Kết luận về {inspection.subject_name} được ghi với ngày kết luận; báo cáo kiểm "
            "tra, giám sát năm "
            f"{inspection.decided_on.year} tính đối tượng vào số «có vi phạm» nếu kết luận có "
            "vi phạm.",
            "Kết luận phải kỷ luật: ghi quyết định kỷ luật trên trang hồ sơ của đối tượng.",
            "Ghi nhầm thì «Mở lại kết luận» trên trang này, có lý do; kết luận cũ vẫn ở lịch sử.",
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk):
    inspection = _activity(request, pk, Capability.MANAGE_INSPECTIONS)
    if inspection.conclusion == Conclusion.PENDING:
        messages.info(request, "Cuộc kiểm tra, giám sát này chưa có kết luận.")
        return redirect(_back(inspection))
    return confirm_final_action(
        request,
        _page(
            f"Mở lại kết luận: {inspection}",
            _back(inspection),
            "Xác nhận mở lại",
            "Chưa mở lại",
            "inspection-reopen",
        ),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: services.reopen_conclusion(
            request.user, inspection, reason=data["reason"]
        ),
        done="Đã mở lại kết luận.",
        consequences=lambda: [
            f"Kết luận «{inspection.get_conclusion_display()}» ngày "
            f"{inspection.concluded_on:%d/%m/%Y} được bỏ (vẫn ở lịch sử cùng lý do); cuộc kiểm "
            "tra, giám sát trở lại «Chưa kết luận».",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annul(request, pk):
    inspection = _activity(request, pk, Capability.MANAGE_INSPECTIONS)
    if inspection.annulled_at is not None:
        messages.info(request, "Cuộc kiểm tra, giám sát này đã bị hủy.")
        return redirect(_back(inspection))
    return confirm_final_action(
        request,
        _page(
            f"Hủy cuộc kiểm tra, giám sát: {inspection}",
            _back(inspection),
            "Xác nhận hủy",
            "Chưa hủy",
            "inspection-annul",
        ),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: services.annul_inspection(
            request.user, inspection, reason=data["reason"]
        ),
        done="Đã hủy cuộc kiểm tra, giám sát.",
        consequences=lambda: [
            "Cuộc kiểm tra, giám sát được đánh dấu đã hủy, vẫn giữ cùng lý do; không còn tính "
            f"trong báo cáo kiểm tra, giám sát năm {inspection.decided_on.year}.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_safe
def conclusion_pdf(request, pk):
    """The conclusion notice as a party document, once concluded (?place=… as for decisions)."""
    inspection = _activity(request, pk)
    try:
        document = conclusion_document(inspection, request.GET.get("place", "").strip()[:60])
    except ValueError:
        raise Http404("Chưa có kết luận.") from None
    record_read(request.user, "inspection.print", org_path=inspection.body_path, target=inspection)
    response = HttpResponse(to_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"thong-bao-ket-luan-{inspection.pk}.pdf"
    )
    return response
