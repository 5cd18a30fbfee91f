"""Recording an inspection or supervision and carrying it to its conclusion (QĐ 296-QĐ/TW
chương II; Điều lệ Đảng chương VII; domain-rules §7.1, domain-briefs §3).

The checks, each naming its source:
- a supervision is regular or thematic (domain-rules §7.1: giám sát thường xuyên, theo chuyên
  đề); an inspection committee exists at a đảng bộ cơ sở and above (Điều lệ Đảng chương VII),
  a branch's own body is the branch;
- the subject lies below the body: an organisation strictly below it, a member in its subtree
  (a body inspects the organisations and members it leads, QĐ 296-QĐ/TW Điều 1), and was one on
  the decision's day (founded or admitted, not yet ended or gone);
- the body existed on the decision's day; the decision's day is not in the future; the
  conclusion comes on or after it, not later than today.
The end of the period is the decision's own, or the rule set's working days after it
(`inspection_default_working_days`), on the working-day calendar; an activity not concluded
by then is overdue. A member under an inspection not yet concluded does not transfer while the
rule set in force says so (`transfer_blocked_while_inspected`, QĐ 29-QĐ/TW)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.workdays import RuleDeadlines
from dangvien.discipline.services import subject_path, subject_refusal
from dangvien.inspections.models import (
    Activity,
    Body,
    Conclusion,
    Inspection,
    InspectionForm,
    PlannedActivity,
)
from dangvien.members.models import Member
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind

# Điều lệ Đảng chương VII: inspection committees are elected at đảng bộ cơ sở and above.
INSPECTION_COMMITTEE_KINDS = frozenset({OrgKind.PROVINCE, OrgKind.UPPER, OrgKind.BASE_COMMITTEE})
# Điều lệ Đảng chương VII, domain-rules §7.1: supervision is regular or thematic.
SUPERVISION_FORMS = (InspectionForm.REGULAR, InspectionForm.THEMATIC)


@dataclass(frozen=True)
class InspectionDecision:
    """What the decision (or plan) that starts the activity says."""

    body: Organization
    conducted_by: str
    activity: str
    form: str
    number: str
    decided_on: datetime.date
    content: str = ""
    period: str = ""
    team: str = ""
    due_on: datetime.date | None = None
    planned: PlannedActivity | None = None  # the programme's item it carries out


def body_refusal(body: Organization, conducted_by: str) -> str:
    """Why `body` has no body of that kind ("" when it has)."""
    if conducted_by == Body.INSPECTION_COMMITTEE and body.kind not in INSPECTION_COMMITTEE_KINDS:
        return (
            f"{body.name} ({body.get_kind_display().lower()}) không có ủy ban kiểm tra: ủy ban "
            "kiểm tra được lập từ đảng bộ cơ sở trở lên (Điều lệ Đảng)."
        )
    if conducted_by == Body.BRANCH and body.kind not in BRANCH_KINDS:
        return f"{body.name} không phải một chi bộ: chọn «Cấp ủy» hoặc «Ủy ban kiểm tra»."
    return ""


def form_refusal(activity: str, form: str) -> str:
    if activity == Activity.SUPERVISION and form not in SUPERVISION_FORMS:
        return (
            f"Giám sát chỉ có hình thức «Thường xuyên» hoặc «Chuyên đề», không có "
            f"«{InspectionForm(form).label}» (Điều lệ Đảng)."
        )
    return ""


def reach_refusal(subject: Member | Organization, body: Organization) -> str:
    """Why `subject` is not one `body` leads ("" when it is)."""
    path = subject_path(subject)
    if isinstance(subject, Organization):
        if subject == body or not path.startswith(body.path):
            return f"{subject.name} không phải tổ chức cấp dưới của {body.name}."
    elif not path.startswith(body.path):
        return f"{subject.full_name} không sinh hoạt trong {body.name} hay tổ chức trực thuộc."
    return ""


def refusal(subject: Member | Organization, decision: InspectionDecision) -> tuple[str, str]:
    """The first check of the module docstring the decision fails, as (field, why), or
    ("", "") when it holds."""
    if decision.decided_on > timezone.localdate():
        return "decided_on", f"Ngày quyết định {decision.decided_on:%d/%m/%Y} ở tương lai."
    if decision.due_on is not None and decision.due_on < decision.decided_on:
        return "due_on", "Hạn kết thúc trước ngày quyết định."
    checks = (
        ("planned", lambda: plan_refusal(decision)),
        ("conducted_by", lambda: subject_refusal(decision.body, decision.decided_on)),
        ("conducted_by", lambda: body_refusal(decision.body, decision.conducted_by)),
        ("form", lambda: form_refusal(decision.activity, decision.form)),
        ("subject", lambda: reach_refusal(subject, decision.body)),
        ("subject", lambda: subject_refusal(subject, decision.decided_on)),
    )
    for field, check in checks:
        if problem := check():
            return field, problem
    return "", ""


def plan_refusal(decision: InspectionDecision) -> str:
    """Why the activity cannot carry out the programme's item it names ("" when it can): the
    item is the same body's and activity's, still planned, of the decision's year or the one
    before (a programme's last item decided in January)."""
    planned = decision.planned
    if planned is None:
        return ""
    plan = planned.plan
    if plan.body_id != decision.body.pk or plan.conducted_by != decision.conducted_by:
        return "Nội dung chương trình đã chọn là của cơ quan khác."
    if planned.activity != decision.activity:
        return f"Nội dung chương trình đã chọn là {planned.get_activity_display().lower()}."
    if planned.dropped_at is not None:
        return "Nội dung chương trình đã chọn đã được bỏ khỏi chương trình."
    if decision.decided_on.year not in (plan.year, plan.year + 1):
        return f"Quyết định ngày {decision.decided_on:%d/%m/%Y} ngoài chương trình năm {plan.year}."
    return ""


# The period of an activity whose decision names none (domain-briefs §3: configurable).
PERIOD_RULE = "inspection_default_working_days"


@transaction.atomic
def record_inspection(
    actor,
    subject: Member | Organization,
    decision: InspectionDecision,
    *,
    reason: str = "",
    deadlines: RuleDeadlines | None = None,
) -> Inspection:
    """Record the activity; refused (DomainError) when a check fails or it is recorded
    already. An import passes the `deadlines` of all its rows and its `reason`."""
    if actor is not None:
        require(actor, Capability.MANAGE_INSPECTIONS, decision.body.path)
    field, problem = refusal(subject, decision)
    if problem:
        raise DomainError(problem, field=field)
    is_member = isinstance(subject, Member)
    already = DomainError(
        f"Quyết định số {decision.number} về đối tượng này đã được ghi.", field="decision_number"
    )
    recorded = Inspection.unscoped.filter(
        decision_number=decision.number, **{"member" if is_member else "organization": subject}
    )
    if recorded.exists():
        raise already
    due_on = decision.due_on or (deadlines or RuleDeadlines(PERIOD_RULE, [decision.decided_on]))(
        decision.decided_on
    )
    try:
        with transaction.atomic():  # or recorded meanwhile by someone else
            inspection = Inspection.unscoped.create(
                body=decision.body,
                body_path=decision.body.path,
                conducted_by=decision.conducted_by,
                activity=decision.activity,
                form=decision.form,
                member=subject if is_member else None,
                organization=None if is_member else subject,
                decision_number=decision.number,
                decided_on=decision.decided_on,
                planned=decision.planned,
                content=decision.content,
                period=decision.period,
                team=decision.team,
                due_on=due_on,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        raise already from None
    audit.record(
        actor,
        "inspection.import" if reason else "inspection.record",
        inspection,
        org_path=inspection.body_path,
        changes={
            "activity": [None, inspection.get_activity_display()],
            "form": [None, inspection.get_form_display()],
        },
        effective_on=decision.decided_on,
        decision_number=decision.number,
        decision_body=f"{inspection.get_conducted_by_display()} {decision.body.name}",
        reason=reason or decision.content,
    )
    return inspection


def _locked(actor, inspection: Inspection) -> Inspection:
    """The activity, locked for the change; `actor` None is the command line."""
    if actor is not None:
        require(actor, Capability.MANAGE_INSPECTIONS, inspection.body_path)
    inspection = Inspection.unscoped.select_for_update().get(pk=inspection.pk)
    if inspection.annulled_at is not None:
        raise DomainError(f"Cuộc kiểm tra, giám sát {inspection.decision_number} đã bị hủy.")
    return inspection


def _save(actor, inspection: Inspection, action: str, new: dict, reason: str = "") -> None:
    """Write the fields of `new` that changed, the old and new values in the history."""
    changes = {}
    for field, value in new.items():
        old = getattr(inspection, field)
        if old != value:
            changes[field] = [old, value]
            setattr(inspection, field, value)
    if not changes:
        return
    inspection.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor,
        action,
        inspection,
        org_path=inspection.body_path,
        changes=changes,
        decision_number=inspection.decision_number,
        reason=reason,
    )


PROGRESS_ACTION = "inspection.update"


@transaction.atomic
def record_progress(
    actor, inspection: Inspection, *, expected_version: str | None = None, **fields
) -> Inspection:
    """The steps before the conclusion and after it: the subject's self-report, what the team
    found, the team itself, the remedies' follow-up. Each change is in the history; a page read
    before someone else's save (`expected_version`, core.versions) is refused with what they
    changed."""
    allowed = {"self_report", "findings", "team", "content", "period", "follow_up"}
    if unknown := set(fields) - allowed:
        raise DomainError(f"Không sửa được: {', '.join(sorted(unknown))}.")
    inspection = _locked(actor, inspection)
    versions.check(
        inspection,
        expected_version,
        actions=PROGRESS_ACTION,
        label=f"Cuộc kiểm tra, giám sát {inspection.decision_number}",
    )
    _save(actor, inspection, PROGRESS_ACTION, {k: v.strip() for k, v in fields.items()})
    return inspection


@transaction.atomic
def conclude(
    actor,
    inspection: Inspection,
    *,
    conclusion: str,
    concluded_on: datetime.date,
    remedies: str = "",
) -> Inspection:
    """The competent body's conclusion (thông báo kết luận): no violation, a violation short of
    discipline, or one that must be disciplined, with the remedies asked for."""
    inspection = _locked(actor, inspection)
    if inspection.conclusion != Conclusion.PENDING:
        raise DomainError(
            f"Đã kết luận ngày {inspection.concluded_on:%d/%m/%Y}: mở lại kết luận (có lý do) "
            "trước khi kết luận lại."
        )
    if conclusion not in Conclusion.values or conclusion == Conclusion.PENDING:
        raise DomainError("Chọn một kết luận.", field="conclusion")
    if concluded_on is None or concluded_on < inspection.decided_on:
        raise DomainError(
            f"Ngày kết luận phải từ ngày quyết định ({inspection.decided_on:%d/%m/%Y}).",
            field="concluded_on",
        )
    if concluded_on > timezone.localdate():
        raise DomainError("Ngày kết luận ở tương lai.", field="concluded_on")
    _save(
        actor,
        inspection,
        "inspection.conclude",
        {"conclusion": conclusion, "concluded_on": concluded_on, "remedies": remedies.strip()},
    )
    return inspection


@transaction.atomic
def reopen_conclusion(actor, inspection: Inspection, *, reason: str) -> Inspection:
    """Take a conclusion back (recorded by mistake, or the body reconsiders), with the reason;
    the old conclusion stays in the history."""
    inspection = _locked(actor, inspection)
    if inspection.conclusion == Conclusion.PENDING:
        raise DomainError("Chưa có kết luận để mở lại.")
    reason = require_reason(reason, "Hãy ghi lý do mở lại kết luận.")
    _save(
        actor,
        inspection,
        "inspection.reopen",
        {"conclusion": Conclusion.PENDING, "concluded_on": None},
        reason,
    )
    return inspection


@transaction.atomic
def annul_inspection(actor, inspection: Inspection, *, reason: str) -> Inspection:
    """An activity recorded by mistake: kept, marked annulled with who, when and why, and no
    longer counted by the report."""
    inspection = _locked(actor, inspection)
    reason = require_reason(reason, "Hãy ghi lý do hủy (ghi nhầm, quyết định bị thu hồi…).")
    inspection.annulled_at = timezone.now()
    inspection.annulled_by = audit.acting_user(actor)
    inspection.annul_reason = reason
    inspection.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "updated_at"])
    audit.record(
        actor,
        "inspection.annul",
        inspection,
        org_path=inspection.body_path,
        changes={"annulled_at": [None, inspection.annulled_at]},
        decision_number=inspection.decision_number,
        reason=reason,
    )
    return inspection


def open_on(member: Member) -> Inspection | None:
    """The member's inspection not yet concluded (nor annulled), if any."""
    return (
        Inspection.unscoped.filter(
            member=member,
            activity=Activity.INSPECTION,
            conclusion=Conclusion.PENDING,
            annulled_at__isnull=True,
        )
        .select_related("body")
        .first()
    )


def transfer_refusal(member: Member) -> str:
    """Why `member` cannot be given an introduction letter now (QĐ 29-QĐ/TW, domain-rules §2.7:
    not while under inspection; the rule set in force today says whether it still holds)."""
    today = timezone.localdate()
    if not RuleBook.load().value("transfer_blocked_while_inspected", today):
        return ""
    inspection = open_on(member)
    if inspection is None:
        return ""
    return (
        f"{member.full_name} đang bị {inspection.get_conducted_by_display().lower()} "
        f"{inspection.body.name} kiểm tra (quyết định {inspection.decision_number}, "
        f"{inspection.decided_on:%d/%m/%Y}), chưa có kết luận: chưa chuyển sinh hoạt đảng được."
    )


def leaving_refusal(member: Member, status: str, on: datetime.date | None = None) -> str:
    """A member under an inspection decided by `on` and not yet concluded, or concluded
    «phải kỷ luật» by `on` with no decision since, does not leave by resigning or being
    struck off: a violation that warrants discipline ends in discipline (domain-rules §7.2:
    striking off or accepting an application to leave is not allowed). Death and expulsion
    itself are never held back, nor the striking off of a probationary member, whose serious
    violation can end no other way (a probationary member is only reprimanded or warned)."""
    from dangvien.discipline.models import Discipline
    from dangvien.members.models import Status

    if status not in (Status.RESIGNED, Status.REMOVED):
        return ""
    if status == Status.REMOVED and member.status == Status.PROBATIONARY:
        return ""
    on = on or timezone.localdate()
    pending = open_on(member)
    if pending is not None and pending.decided_on <= on:
        return (
            f"{member.full_name} đang bị kiểm tra (quyết định {pending.decision_number}, "
            f"{pending.decided_on:%d/%m/%Y}), chưa có kết luận: chưa giải quyết cho ra khỏi Đảng "
            "hay xóa tên; vi phạm phải kỷ luật thì xử lý bằng kỷ luật."
        )
    decided_since = Discipline.unscoped.filter(
        member=member, decided_on__gte=OuterRef("concluded_on"), annulled_at__isnull=True
    )
    undecided = (
        Inspection.unscoped.filter(
            member=member,
            conclusion=Conclusion.DISCIPLINE_NEEDED,
            concluded_on__lte=on,
            annulled_at__isnull=True,
        )
        .exclude(Exists(decided_since))
        .order_by("-concluded_on")
        .first()
    )
    if undecided is not None:
        return (
            f"{member.full_name} được kết luận «phải kỷ luật» ngày "
            f"{undecided.concluded_on:%d/%m/%Y} (quyết định {undecided.decision_number}) "
            "mà chưa có quyết định kỷ luật: vi phạm phải kỷ luật thì xử lý bằng kỷ luật, "
            "không giải quyết cho ra khỏi Đảng hay xóa tên."
        )
    return ""
