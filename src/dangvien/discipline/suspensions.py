"""Suspending a member's party activity (đình chỉ sinh hoạt đảng, QĐ 296-QĐ/TW chương VI;
domain-briefs §5) and what it changes elsewhere.

The checks: the member was a member on the first day and is not suspended then already; the
deciding organisation is a committee above the member's branch (a suspension is decided by a
committee or its inspection committee, not by the branch [U: the competent levels of chương VI
are not confirmed]); the days are not in the future, the end after the start.
The effects, read where they matter: a member suspended on the day the year's grade is decided
(the year's end, or today for the current year) is not graded but recorded «Đình chỉ sinh hoạt
đảng» (HD 21-HD/BTCTW, `assessments.services`); a suspended member is given no introduction
letter (domain-briefs §5, `transfer_refusal`)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.discipline.models import Suspension
from dangvien.members.models import Member
from dangvien.organizations.models import BRANCH_KINDS, Organization


@dataclass(frozen=True)
class SuspensionDecision:
    number: str
    starts_on: datetime.date
    deciding_org: Organization
    reason: str
    ends_on: datetime.date | None = None


def suspended_on(member_ids, day: datetime.date) -> dict[int, Suspension]:
    """Those of `member_ids` suspended on `day`, with the suspension (one query)."""
    found = Suspension.unscoped.filter(
        member__in=list(member_ids), starts_on__lte=day, annulled_at__isnull=True
    ).exclude(ends_on__lte=day)
    return {suspension.member_id: suspension for suspension in found}


def _refusal(member: Member, decision: SuspensionDecision) -> tuple[str, str]:
    today = timezone.localdate()
    body, start = decision.deciding_org, decision.starts_on
    if start > today:
        return "starts_on", f"Ngày đình chỉ {start:%d/%m/%Y} ở tương lai."
    if decision.ends_on is not None and decision.ends_on <= start:
        return "ends_on", "Ngày sinh hoạt trở lại phải sau ngày bắt đầu đình chỉ."
    if start < member.admitted_on or (member.left_on and start >= member.left_on):
        return "starts_on", f"{member.full_name} không là đảng viên vào ngày {start:%d/%m/%Y}."
    if body.kind in BRANCH_KINDS or not member.branch_path.startswith(body.path):
        return (
            "deciding_org",
            f"{body.name} không phải cấp ủy cấp trên của chi bộ đảng viên: không có thẩm quyền "
            "đình chỉ sinh hoạt đảng.",
        )
    if problem := overlapping(member, start, decision.ends_on).first():
        return (
            "starts_on",
            f"Trùng thời gian với quyết định đình chỉ {problem.decision_number} (từ "
            f"{problem.starts_on:%d/%m/%Y}).",
        )
    return "", ""


def overlapping(member: Member, start: datetime.date, end: datetime.date | None, exclude=None):
    """The member's suspensions in force (not annulled) some day from `start` to the day before
    `end` (none: open-ended)."""
    found = Suspension.unscoped.filter(member=member, annulled_at__isnull=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=start)
    )
    if end is not None:
        found = found.filter(starts_on__lt=end)
    return found.exclude(pk=exclude) if exclude is not None else found


@transaction.atomic
def suspend(actor, member: Member, decision: SuspensionDecision) -> Suspension:
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    field, problem = _refusal(member, decision)
    if problem:
        raise DomainError(problem, field=field)
    reason = require_reason(decision.reason, "Ghi lý do đình chỉ.")
    suspension = Suspension.unscoped.create(
        member=member,
        branch_path=member.branch_path,
        starts_on=decision.starts_on,
        ends_on=decision.ends_on,
        decision_number=decision.number,
        deciding_org=decision.deciding_org,
        reason=reason,
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "suspension.record",
        member,
        org_path=member.branch_path,
        changes={"suspended": [None, f"từ {decision.starts_on:%d/%m/%Y}"]},
        effective_on=decision.starts_on,
        decision_number=decision.number,
        decision_body=decision.deciding_org.name,
        reason=reason,
    )
    return suspension


def _locked(actor, suspension: Suspension) -> Suspension:
    require(actor, Capability.MANAGE_MEMBERS, suspension.branch_path)
    suspension = (
        Suspension.unscoped.select_for_update().select_related("member").get(pk=suspension.pk)
    )
    if suspension.annulled_at is not None:
        raise DomainError(f"Quyết định {suspension.decision_number} đã bị hủy.")
    return suspension


@transaction.atomic
def end_suspension(
    actor, suspension: Suspension, *, ends_on: datetime.date, reason: str
) -> Suspension:
    """The member is active again from `ends_on` (the suspension lifted, or its end moved)."""
    suspension = _locked(actor, suspension)
    if ends_on is None or ends_on <= suspension.starts_on:
        raise DomainError(
            f"Ngày sinh hoạt trở lại phải sau ngày đình chỉ ({suspension.starts_on:%d/%m/%Y}).",
            field="ends_on",
        )
    if ends_on > timezone.localdate():
        raise DomainError("Ngày sinh hoạt trở lại ở tương lai.", field="ends_on")
    if problem := overlapping(
        suspension.member, suspension.starts_on, ends_on, exclude=suspension.pk
    ).first():
        raise DomainError(
            f"Trùng thời gian với quyết định đình chỉ {problem.decision_number}.", field="ends_on"
        )
    reason = require_reason(reason, "Ghi lý do, căn cứ kết thúc đình chỉ.")
    old = suspension.ends_on
    suspension.ends_on, suspension.end_reason = ends_on, reason
    suspension.save(update_fields=["ends_on", "end_reason", "updated_at"])
    audit.record(
        actor,
        "suspension.end",
        suspension.member,
        org_path=suspension.branch_path,
        changes={"suspension_ends_on": [old, ends_on]},
        effective_on=ends_on,
        decision_number=suspension.decision_number,
        reason=reason,
    )
    return suspension


@transaction.atomic
def annul_suspension(actor, suspension: Suspension, *, reason: str) -> Suspension:
    """A suspension recorded by mistake or annulled: kept, marked, no longer in force."""
    suspension = _locked(actor, suspension)
    reason = require_reason(reason, "Ghi lý do hủy.")
    suspension.annulled_at, suspension.annulled_by = timezone.now(), audit.acting_user(actor)
    suspension.annul_reason = reason
    suspension.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "updated_at"])
    audit.record(
        actor,
        "suspension.annul",
        suspension.member,
        org_path=suspension.branch_path,
        changes={"suspended": [f"từ {suspension.starts_on:%d/%m/%Y}", None]},
        decision_number=suspension.decision_number,
        reason=reason,
    )
    return suspension


def transfer_refusal(member: Member) -> str:
    """A suspended member is given no introduction letter (domain-briefs §5)."""
    suspension = suspended_on([member.pk], timezone.localdate()).get(member.pk)
    if suspension is None:
        return ""
    return (
        f"{member.full_name} đang bị đình chỉ sinh hoạt đảng từ "
        f"{suspension.starts_on:%d/%m/%Y} (quyết định {suspension.decision_number}): chưa chuyển "
        "sinh hoạt đảng được."
    )
