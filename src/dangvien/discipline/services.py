"""Recording a discipline decision and applying its effects (domain-rules §7.2, R7.1–R7.2).

The checks, each naming its source:
- the form is one the subject may receive (Điều lệ Đảng, domain-rules §7.2): an organisation
  khiển trách, cảnh cáo or giải tán; an official member also cách chức or khai trừ; a member
  who was still probationary on the day only khiển trách or cảnh cáo;
- the subject was one on that day: the member admitted and not yet gone, the organisation
  founded and not yet ended;
- the deciding organisation is the member's own or one above it, above the organisation
  disciplined (a body disciplines only within its subtree, QĐ 296-QĐ/TW chương III), and a
  branch only reprimands or warns (QĐ 22-QĐ/TW Điều 11); the actor manages the subject.
The effects, in the same transaction: khai trừ ends the membership on the day (members'
`end_membership`: status, placement, timeline, history) and takes back the card in use; giải
tán ends the organisation through the dated tree (`record_end`, as a dissolution does, which
first needs it empty); a member disciplined in a year is marked so on that year's assessment,
whose grade the rule set then caps (QĐ 124-QĐ/TW, `disciplined_max_grade_rank`)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.workdays import RuleDeadlines, rule_deadline
from dangvien.discipline.models import (
    OFFICIAL_FORMS,
    ORGANIZATION_FORMS,
    PROBATIONARY_FORMS,
    Discipline,
    DisciplineForm,
)
from dangvien.members.models import Member, Status
from dangvien.organizations.models import BRANCH_KINDS, Organization


@dataclass(frozen=True)
class DisciplineDecision:
    """What the decision says: its number, day, form, deciding organisation and the violation."""

    number: str
    decided_on: datetime.date
    form: str
    deciding_org: Organization
    violation: str = ""


def _labels(forms) -> str:
    return ", ".join(f"«{DisciplineForm(form).label}»" for form in forms)


def form_refusal(subject: Member | Organization, form: str, on: datetime.date) -> str:
    """Why `subject` cannot receive `form` on `on` ("" when it can; Điều lệ Đảng,
    domain-rules §7.2)."""
    if isinstance(subject, Organization):
        allowed, who = ORGANIZATION_FORMS, "Tổ chức đảng"
    elif _probationary_on(subject, on):
        allowed = PROBATIONARY_FORMS
        who = f"{subject.full_name} còn là đảng viên dự bị vào ngày quyết định:"
    else:
        allowed, who = OFFICIAL_FORMS, "Đảng viên chính thức"
    if form in allowed:
        return ""
    label = DisciplineForm(form).label
    return f"{who} chỉ bị kỷ luật bằng {_labels(allowed)}, không bằng «{label}»."


def _probationary_on(member: Member, on: datetime.date) -> bool:
    """Whether `member` was still probationary on `on`: before their official day, or with none
    while probationary (an official record imported without its official day stays official)."""
    if member.official_on is not None:
        return on < member.official_on
    return member.status == Status.PROBATIONARY


def subject_refusal(subject: Member | Organization, on: datetime.date) -> str:
    """Why `subject` was not one to discipline on `on` ("" when it was)."""
    if isinstance(subject, Organization):
        if subject.founded_on and on < subject.founded_on:
            return (
                f"{subject.name} thành lập ngày {subject.founded_on:%d/%m/%Y}, sau ngày quyết định."
            )
        if subject.ended_on and on >= subject.ended_on:
            return f"{subject.name} đã chấm dứt hoạt động từ {subject.ended_on:%d/%m/%Y}."
        return ""
    if on < subject.admitted_on:
        return (
            f"{subject.full_name} vào Đảng ngày {subject.admitted_on:%d/%m/%Y}, sau ngày quyết "
            "định."
        )
    if subject.left_on and on >= subject.left_on:
        return (
            f"{subject.full_name} đã ra khỏi danh sách đảng viên từ {subject.left_on:%d/%m/%Y} "
            f"({subject.get_status_display()})."
        )
    return ""


def subject_path(subject: Member | Organization) -> str:
    return subject.path if isinstance(subject, Organization) else subject.branch_path


def managing(subject: Member | Organization) -> str:
    """The capability that records or annuls a decision on `subject`."""
    return (
        Capability.MANAGE_ORGS if isinstance(subject, Organization) else Capability.MANAGE_MEMBERS
    )


def refusal(subject: Member | Organization, decision: DisciplineDecision) -> tuple[str, str]:
    """Every check of the module docstring but the actor's scope, the first one failed as
    (the field it concerns, why), or ("", "") when the decision holds."""
    if decision.decided_on > timezone.localdate():
        return "decided_on", f"Ngày quyết định {decision.decided_on:%d/%m/%Y} ở tương lai."
    checks = (
        ("deciding_org", lambda: _reach_refusal(subject, decision)),
        ("form", lambda: _branch_form_refusal(decision)),
        ("decided_on", lambda: subject_refusal(subject, decision.decided_on)),
        ("form", lambda: form_refusal(subject, decision.form, decision.decided_on)),
    )
    for field, check in checks:
        if problem := check():
            return field, problem
    return "", ""


def _reach_refusal(subject: Member | Organization, decision: DisciplineDecision) -> str:
    """Why the deciding organisation may not decide on `subject` ("" when it may): a body
    disciplines only within its subtree, an organisation only from above (QĐ 296-QĐ/TW ch.
    III)."""
    body, path = decision.deciding_org, subject_path(subject)
    if isinstance(subject, Organization):
        if body == subject or not path.startswith(body.path):
            return f"{body.name} không phải cấp trên của {subject.name}: không có thẩm quyền."
    elif not path.startswith(body.path):
        return (
            f"{body.name} không phải chi bộ của đảng viên hay cấp trên của chi bộ: không có "
            "thẩm quyền."
        )
    return ""


def _branch_form_refusal(decision: DisciplineDecision) -> str:
    """A branch (chi bộ trực thuộc or chi bộ cơ sở) only reprimands or warns its own members,
    removal from post and expulsion being decided above it (QĐ 22-QĐ/TW Điều 11, kept by QĐ
    296; domain-rules §7.2: "the branch may reprimand or warn its own members")."""
    body = decision.deciding_org
    if body.kind in BRANCH_KINDS and decision.form not in PROBATIONARY_FORMS:
        label = DisciplineForm(decision.form).label.lower()
        return (
            f"{body.name} là chi bộ: chỉ quyết định khiển trách, cảnh cáo đảng viên của mình; "
            f"{label} do cấp ủy cấp trên quyết định."
        )
    return ""


# R7.2: the rule set's working days after the decision (or the day it was received) to
# complain (Điều lệ Đảng, domain-rules §7.3).
COMPLAINT_RULE = "discipline_complaint_working_days"


def complaint_until(start: datetime.date) -> datetime.date:
    return rule_deadline(COMPLAINT_RULE, start)


@transaction.atomic
def record_discipline(
    actor,
    subject: Member | Organization,
    decision: DisciplineDecision,
    *,
    reason: str = "",
    deadlines: RuleDeadlines | None = None,
) -> Discipline:
    """Record the decision and apply its effects; refused (DomainError) when a check fails.
    An import passes the `deadlines` of all its rows."""
    path = subject_path(subject)
    if actor is not None:
        require(actor, managing(subject), path)
    # Two decisions on one subject at once (two officers, an import): the second waits and
    # then reads what the first changed (an expulsion, a disbandment).
    model = Organization if isinstance(subject, Organization) else Member
    subject = model.unscoped.select_for_update().get(pk=subject.pk)
    field, problem = refusal(subject, decision)
    if problem:
        raise DomainError(problem, field=field)
    is_member = isinstance(subject, Member)
    recorded = Discipline.unscoped.filter(
        decision_number=decision.number, **{"member" if is_member else "organization": subject}
    )
    already = DomainError(
        f"Quyết định số {decision.number} về đối tượng này đã được ghi.", field="decision_number"
    )
    if recorded.exists():
        raise already
    try:
        with transaction.atomic():  # or recorded meanwhile by someone else
            discipline = Discipline.unscoped.create(
                member=subject if is_member else None,
                organization=None if is_member else subject,
                unit_id=subject.pk if isinstance(subject, Organization) else subject.branch_id,
                subject_path=path,
                form=decision.form,
                decision_number=decision.number,
                decided_on=decision.decided_on,
                deciding_org=decision.deciding_org,
                violation=decision.violation,
                complaint_until=(deadlines or complaint_until)(decision.decided_on),
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        raise already from None
    audit.record(
        actor,
        "discipline.import" if reason else "discipline.record",
        discipline,
        org_path=path,
        changes={"form": [None, DisciplineForm(decision.form).label]},
        effective_on=decision.decided_on,
        decision_number=decision.number,
        decision_body=decision.deciding_org.name,
        reason=reason or decision.violation,
    )
    _apply_effects(actor, subject, decision)
    from dangvien.discipline.steps import attach_to

    attach_to(discipline)
    return discipline


def _apply_effects(actor, subject: Member | Organization, decision: DisciplineDecision) -> None:
    said = Decision(
        effective_on=decision.decided_on,
        number=decision.number,
        body=decision.deciding_org.name,
        reason=f"Kỷ luật {DisciplineForm(decision.form).label.lower()}"
        + (f": {decision.violation}" if decision.violation else ""),
    )
    if isinstance(subject, Organization):
        if decision.form == DisciplineForm.DISBANDMENT:
            from dangvien.organizations.models import OrgEventKind
            from dangvien.organizations.services.ending import record_end

            record_end(actor, subject, said, kind=OrgEventKind.DISBAND)
        return
    _mark_assessment(subject, decision.decided_on.year)
    if decision.form == DisciplineForm.EXPULSION:
        from dangvien.admissions.cards.services import card_in_use, record_card_end
        from dangvien.admissions.models import CardEnd
        from dangvien.members.services import record_leaving

        if card_in_use(subject) is not None:
            record_card_end(
                actor, subject, on=decision.decided_on, reason=CardEnd.REVOKED, note=said.reason
            )
        record_leaving(actor, Member.unscoped.get(pk=subject.pk), Status.EXPELLED, said)


def _mark_assessment(member: Member, year: int) -> None:
    """The year's assessment, where one exists, says the member was disciplined in it."""
    from dangvien.assessments.models import MemberAssessment

    MemberAssessment.unscoped.filter(member=member, year=year).update(disciplined_in_year=True)


@transaction.atomic
def annul_discipline(
    actor, discipline: Discipline, *, reason: str, return_on: datetime.date | None = None
) -> Discipline:
    """Annul a decision recorded by mistake or found wrongful (QĐ 117-QĐ/TW: apology and
    restoration), with its reason; the decision stays, marked annulled. Its effects are undone
    where they still stand: the member expelled by it is a member again, the organisation
    disbanded by it active again; the year's assessment no longer says disciplined unless another
    decision of that year stands. A card taken back stays ended (a new one is issued on the card
    page).

    The expelled member returns on `return_on`: by default the day they left, as if they never
    left (a decision recorded by mistake); a later day for a decision found wrongful long after,
    so the reports of the days between keep what they showed when they were sent
    (`members.services.restore_membership`). Either way the party age stays continuous (QĐ
    117-QĐ/TW, domain-rules §7.2: đảng tịch restored, tuổi đảng liên tục): the gap of an
    annulled expulsion is never a period outside the Party, and the timeline's return says so."""
    require(actor, managing(discipline.subject), discipline.subject_path)
    discipline = Discipline.unscoped.select_for_update().get(pk=discipline.pk)
    if discipline.annulled_at is not None:
        raise DomainError(
            f"Quyết định {discipline.decision_number} đã được hủy ngày "
            f"{timezone.localtime(discipline.annulled_at):%d/%m/%Y}."
        )
    reason = require_reason(
        reason, "Hãy ghi lý do hủy quyết định kỷ luật (ghi nhầm, quyết định đã bị hủy bỏ…)."
    )
    discipline.annulled_at = timezone.now()
    discipline.annulled_by = audit.acting_user(actor)
    discipline.annul_reason = reason
    discipline.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "updated_at"])
    audit.record(
        actor,
        "discipline.annul",
        discipline,
        org_path=discipline.subject_path,
        changes={"annulled_at": [None, discipline.annulled_at]},
        effective_on=discipline.decided_on,
        decision_number=discipline.decision_number,
        reason=reason,
    )
    _undo_effects(actor, discipline, reason, return_on or discipline.decided_on)
    from dangvien.discipline.steps import detach

    detach(discipline)
    return discipline


CONTINUOUS_PARTY_AGE = "tuổi đảng liên tục (QĐ 117-QĐ/TW)"


def _undo_effects(actor, discipline: Discipline, reason: str, return_on: datetime.date) -> None:
    said = f"Hủy quyết định kỷ luật {discipline.decision_number}: {reason}"
    day = discipline.decided_on
    if discipline.organization_id:
        org = Organization.unscoped.get(pk=discipline.organization_id)
        if discipline.form == DisciplineForm.DISBANDMENT and org.ended_on == day:
            from dangvien.organizations.services.ending import restore_organization

            restore_organization(actor, org, reason=said)
        return
    member = Member.unscoped.get(pk=discipline.member_id)
    if (
        discipline.form == DisciplineForm.EXPULSION
        and member.status == Status.EXPELLED
        and member.left_on == day
    ):
        from dangvien.members.services import reinstate_member

        reinstate_member(
            actor,
            member,
            Decision(effective_on=return_on, reason=f"{said}; {CONTINUOUS_PARTY_AGE}"),
        )
    from dangvien.assessments.models import MemberAssessment
    from dangvien.discipline.selectors import disciplined_in

    if not disciplined_in([member.pk], day.year):
        MemberAssessment.unscoped.filter(member=member, year=day.year).update(
            disciplined_in_year=False
        )
