"""Yearly programmes of inspection and supervision (chương trình kiểm tra, giám sát;
domain-briefs §3: adopted at the start of the year, then carried out): a body's programme, its
items, and planned against done. An item is done once an activity recorded against it stands
(`Inspection.planned`, not annulled); an item no longer planned is dropped with its reason,
never deleted. One programme per body (committee, inspection committee, branch) and year."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.inspections.models import Inspection, InspectionPlan, PlannedActivity
from dangvien.inspections.services import body_refusal, form_refusal
from dangvien.organizations.models import Organization


@transaction.atomic
def adopt_plan(
    actor,
    body: Organization,
    *,
    conducted_by: str,
    year: int,
    number: str = "",
    adopted_on: datetime.date | None = None,
) -> InspectionPlan:
    require(actor, Capability.MANAGE_INSPECTIONS, body.path)
    if problem := body_refusal(body, conducted_by):
        raise DomainError(problem, field="conducted_by")
    this_year = timezone.localdate().year
    if not 1930 <= year <= this_year + 1:
        raise DomainError(f"Năm phải từ 1930 đến {this_year + 1}.", field="year")
    if adopted_on is not None and adopted_on > timezone.localdate():
        raise DomainError("Ngày ban hành ở tương lai.", field="adopted_on")
    try:
        with transaction.atomic():
            plan = InspectionPlan.unscoped.create(
                body=body,
                body_path=body.path,
                conducted_by=conducted_by,
                year=year,
                number=number.strip(),
                adopted_on=adopted_on,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        raise DomainError(f"Đã có chương trình năm {year} của cơ quan này.", field="year") from None
    audit.record(
        actor,
        "inspection_plan.record",
        plan,
        org_path=plan.body_path,
        changes={"year": [None, year]},
        decision_number=plan.number,
    )
    return plan


@dataclass(frozen=True)
class Item:
    activity: str
    form: str
    subject: str
    content: str
    timing: str = ""
    due_on: datetime.date | None = None
    team: str = ""


@transaction.atomic
def add_item(actor, plan: InspectionPlan, item: Item) -> PlannedActivity:
    require(actor, Capability.MANAGE_INSPECTIONS, plan.body_path)
    if problem := form_refusal(item.activity, item.form):
        raise DomainError(problem, field="form")
    if item.due_on is not None and item.due_on.year not in (plan.year, plan.year + 1):
        raise DomainError(f"Hạn thực hiện ngoài năm {plan.year}.", field="due_on")
    subject = require_reason(item.subject, "Ghi đối tượng (tổ chức, đảng viên, nhóm đối tượng).")
    content = require_reason(item.content, "Ghi nội dung.")
    planned = PlannedActivity.unscoped.create(
        plan=plan,
        activity=item.activity,
        form=item.form,
        subject=subject,
        content=content,
        timing=item.timing.strip(),
        due_on=item.due_on,
        team=item.team.strip(),
    )
    audit.record(
        actor,
        "inspection_plan.item",
        plan,
        org_path=plan.body_path,
        changes={"item": [None, str(planned)]},
    )
    return planned


@transaction.atomic
def drop_item(actor, planned: PlannedActivity, *, reason: str) -> PlannedActivity:
    plan = planned.plan
    require(actor, Capability.MANAGE_INSPECTIONS, plan.body_path)
    planned = PlannedActivity.unscoped.select_for_update().get(pk=planned.pk)
    if planned.dropped_at is not None:
        raise DomainError("Nội dung này đã được bỏ khỏi chương trình.")
    if done_activities().filter(planned=planned).exists():
        raise DomainError("Nội dung này đã thực hiện: hủy cuộc kiểm tra, giám sát trước.")
    reason = require_reason(reason, "Ghi lý do bỏ nội dung khỏi chương trình.")
    planned.dropped_at, planned.drop_reason = timezone.now(), reason
    planned.save(update_fields=["dropped_at", "drop_reason"])
    audit.record(
        actor,
        "inspection_plan.item_drop",
        plan,
        org_path=plan.body_path,
        changes={"item": [str(planned), None]},
        reason=reason,
    )
    return planned


def done_activities():
    return Inspection.unscoped.filter(annulled_at__isnull=True)


def items_with_progress(plan: InspectionPlan):
    """The plan's items, each with `done` (an activity recorded against it stands)."""
    done = done_activities().filter(planned=OuterRef("pk"))
    return plan.items.annotate(done=Exists(done)).order_by("due_on", "id")


def progress(plans) -> dict[int, tuple[int, int]]:
    """(planned, done) per plan, items dropped left out: one query."""
    done = done_activities().filter(planned=OuterRef("pk"))
    rows = (
        PlannedActivity.unscoped.filter(plan__in=list(plans), dropped_at__isnull=True)
        .annotate(is_done=Exists(done))
        .values("plan")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(is_done=True)))
    )
    return {row["plan"]: (row["planned"], row["done"]) for row in rows}


def open_items(body: Organization, year: int):
    """The items of the body's programme of `year` not dropped and not yet done, for the new
    activity's «Theo chương trình» choice."""
    done = done_activities().filter(planned=OuterRef("pk"))
    return (
        PlannedActivity.unscoped.filter(plan__body=body, plan__year=year, dropped_at__isnull=True)
        .exclude(Exists(done))
        .select_related("plan")
    )
