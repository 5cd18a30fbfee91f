"""The programmes of an organisation's bodies for a year: each programme with its items, what is
done and what is late, a new programme, a new item, an item dropped with its reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvien.core.confirm import FinalAction, confirm_final_action, succeeded
from dangvien.core.errors import DomainError
from dangvien.core.forms import ReasonForm
from dangvien.core.queryparams import object_pk, parse_year
from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.inspections import plans
from dangvien.inspections.forms import ItemForm, PlanForm
from dangvien.inspections.models import InspectionPlan, PlannedActivity
from dangvien.organizations.selectors import get_org


def _year(request) -> int:
    try:
        return parse_year(request.GET.get("year")) or timezone.localdate().year
    except DomainError:
        return timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def programmes(request, code):
    """GET: the programmes of `code`'s bodies for ?year=Y. POST: a new programme (plan form) or
    a new item of one (item form, `plan` naming it), for those who record its inspections."""
    org = get_org(request.user, code)
    year = _year(request)
    may_change = can(request.user, Capability.MANAGE_INSPECTIONS, org.path)
    plan_form = PlanForm(initial={"year": year})
    item_forms: dict[int, ItemForm] = {}
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Bạn chỉ được xem chương trình kiểm tra, giám sát.")
        if "plan" in request.POST:
            plan = get_object_or_404(
                visible(request.user, InspectionPlan).filter(body=org),
                pk=object_pk(request.POST["plan"]),
            )
            form = ItemForm(request.POST)
            item_forms[plan.pk] = form
            year = plan.year  # a refusal is shown on that programme's page
            if form.is_valid() and succeeded(
                form, lambda: plans.add_item(request.user, plan, plans.Item(**form.cleaned_data))
            ):
                messages.success(request, "Đã thêm nội dung vào chương trình.")
                return redirect(f"{request.path}?year={plan.year}")
        else:
            plan_form = PlanForm(request.POST)
            if plan_form.is_valid() and succeeded(
                plan_form, lambda: plans.adopt_plan(request.user, org, **plan_form.cleaned_data)
            ):
                messages.success(request, "Đã lập chương trình.")
                return redirect(f"{request.path}?year={plan_form.cleaned_data['year']}")
    found = list(visible(request.user, InspectionPlan).filter(body=org, year=year))
    counts = plans.progress(found)
    rows = [
        {
            "plan": plan,
            "items": list(plans.items_with_progress(plan)),
            "planned": counts.get(plan.pk, (0, 0))[0],
            "done": counts.get(plan.pk, (0, 0))[1],
            "form": item_forms.get(plan.pk) or ItemForm(),
        }
        for plan in found
    ]
    errors = plan_form.errors or any(f.errors for f in item_forms.values())
    context = {
        "org": org,
        "year": year,
        "rows": rows,
        "plan_form": plan_form,
        "may_change": may_change,
        "today": timezone.localdate(),
        # An activity is recorded against this year's or last year's items (views.new).
        "earliest_open_year": timezone.localdate().year - 1,
    }
    return render(request, "inspections/programmes.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def drop_item(request, pk):
    item = get_object_or_404(
        visible(request.user, PlannedActivity).select_related("plan__body"), pk=pk
    )
    plan = item.plan
    if not can(request.user, Capability.MANAGE_INSPECTIONS, plan.body_path):
        raise PermissionDenied("Bạn chỉ được xem chương trình kiểm tra, giám sát.")
    back = f"{reverse('inspections:programmes', args=[plan.body.code])}?year={plan.year}"
    if item.dropped_at is not None:
        return redirect(back)
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Bỏ khỏi chương trình: {item}",
            back_url=back,
            button="Xác nhận bỏ",
            refused="Chưa bỏ",
            breadcrumb=[(back, "Chương trình kiểm tra, giám sát")],
            form_id="plan-item-drop",
        ),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: plans.drop_item(request.user, item, reason=data["reason"]),
        done="Đã bỏ nội dung khỏi chương trình.",
        consequences=lambda: [
            "Nội dung vẫn hiện trong chương trình, ghi «Đã bỏ» cùng lý do, và không còn tính "
            "vào số nội dung kế hoạch."
        ],
        reason_required=lambda: True,
    )
