"""The steps before a discipline decision (domain-briefs §4: reminder, written explanation,
criticism at the branch meeting, then the branch's discussion and vote; seed 001), recorded on
the member's record and tied to the decision they led to.

The checks: the member was a member on the day, the day is not in the future; a vote names the
form proposed, the number voting (not more than the branch's members on that day) and those in
favour (not more than those voting). The share a vote needs is unconfirmed ([U], domain-briefs
§4): the step keeps the counts and the page shows the share, it decides nothing by itself. A
decision recorded on the member takes the steps not yet tied to a decision, up to its day
(`attach_to`)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.admissions.shared.services import official_members_on
from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.discipline.models import Discipline, DisciplineStep, StepKind
from dangvien.discipline.services import form_refusal
from dangvien.members.models import Member


@dataclass(frozen=True)
class Step:
    kind: str
    on: datetime.date
    note: str
    proposed_form: str = ""
    votes_for: int | None = None
    voters: int | None = None


def _vote_refusal(member: Member, step: Step) -> tuple[str, str]:
    if step.kind != StepKind.VOTE:
        return "", ""
    if not step.proposed_form:
        return "proposed_form", "Biểu quyết: ghi hình thức kỷ luật được đề nghị."
    if problem := form_refusal(member, step.proposed_form, step.on):  # Điều lệ Đảng
        return "proposed_form", problem
    if step.voters is None or step.votes_for is None or step.voters < 1:
        return "voters", "Biểu quyết: ghi số đảng viên biểu quyết và số tán thành."
    if step.votes_for > step.voters:
        return "votes_for", "Số tán thành không thể lớn hơn số đảng viên biểu quyết."
    # Official members vote (Điều lệ Đảng), those of the branch on that day by the placements.
    members = official_members_on(member.branch, step.on).count()
    if step.voters > members:
        return (
            "voters",
            f"{member.branch.name} có {members} đảng viên chính thức ngày {step.on:%d/%m/%Y}: "
            "số biểu quyết không thể lớn hơn.",
        )
    return "", ""


@transaction.atomic
def record_step(actor, member: Member, step: Step) -> DisciplineStep:
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if step.on > timezone.localdate():
        raise DomainError("Ngày ở tương lai.", field="on")
    if step.on < member.admitted_on or (member.left_on and step.on >= member.left_on):
        raise DomainError(
            f"{member.full_name} không là đảng viên ngày {step.on:%d/%m/%Y}.", field="on"
        )
    field, problem = _vote_refusal(member, step)
    if problem:
        raise DomainError(problem, field=field)
    note = require_reason(step.note, "Ghi nội dung (vi phạm, ý kiến, kết luận của cuộc họp).")
    recorded = DisciplineStep.unscoped.create(
        member=member,
        branch_path=member.branch_path,
        kind=step.kind,
        on=step.on,
        note=note,
        proposed_form=step.proposed_form if step.kind == StepKind.VOTE else "",
        votes_for=step.votes_for if step.kind == StepKind.VOTE else None,
        voters=step.voters if step.kind == StepKind.VOTE else None,
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "discipline_step.record",
        member,
        org_path=member.branch_path,
        changes={"discipline_step": [None, StepKind(step.kind).label]},
        effective_on=step.on,
        reason=note,
    )
    return recorded


def attach_to(discipline: Discipline) -> int:
    """Tie the member's steps not yet tied to a decision, up to its day, to `discipline`."""
    if not discipline.member_id:
        return 0
    return DisciplineStep.unscoped.filter(
        member_id=discipline.member_id,
        discipline__isnull=True,
        annulled_at__isnull=True,
        on__lte=discipline.decided_on,
    ).update(discipline=discipline)


@transaction.atomic
def annul_step(actor, step: DisciplineStep, *, reason: str) -> DisciplineStep:
    """A step recorded by mistake: kept, marked annulled with who, when and why, no longer tied
    to a decision."""
    require(actor, Capability.MANAGE_MEMBERS, step.branch_path)
    step = DisciplineStep.unscoped.select_for_update().select_related("member").get(pk=step.pk)
    if step.annulled_at is not None:
        raise DomainError("Bước xử lý này đã được hủy.")
    reason = require_reason(reason, "Ghi lý do hủy (ghi nhầm…).")
    step.annulled_at = timezone.now()
    step.annulled_by = audit.acting_user(actor)
    step.annul_reason, step.discipline = reason, None
    step.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "discipline"])
    audit.record(
        actor,
        "discipline_step.annul",
        step.member,
        org_path=step.branch_path,
        changes={"discipline_step": [StepKind(step.kind).label, None]},
        effective_on=step.on,
        reason=reason,
    )
    return step


def detach(discipline: Discipline) -> None:
    """The steps tied to an annulled decision are free again for the next one."""
    DisciplineStep.unscoped.filter(discipline=discipline).update(discipline=None)
