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

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.discipline.models import OFFICIAL_FORMS, Discipline, DisciplineStep, StepKind
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
    if step.proposed_form not in OFFICIAL_FORMS:  # the forms a member may receive (Điều lệ)
        return "proposed_form", "Biểu quyết: ghi hình thức kỷ luật đảng viên được đề nghị."
    if step.voters is None or step.votes_for is None or step.voters < 1:
        return "voters", "Biểu quyết: ghi số đảng viên biểu quyết và số tán thành."
    if step.votes_for > step.voters:
        return "votes_for", "Số tán thành không thể lớn hơn số đảng viên biểu quyết."
    from dangvien.core.scope import unscoped
    from dangvien.reports.structure import structure_report

    with unscoped():
        members = structure_report(member.branch, step.on).members
    if step.voters > members:
        return (
            "voters",
            f"{member.branch.name} có {members} đảng viên ngày {step.on:%d/%m/%Y}: số biểu "
            "quyết không thể lớn hơn.",
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
        created_by=actor if actor is not None and actor.is_authenticated else None,
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
        member_id=discipline.member_id, discipline__isnull=True, on__lte=discipline.decided_on
    ).update(discipline=discipline)
