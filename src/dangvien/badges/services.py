"""Every write to a party badge (HD 01-HD/TW 2021 §18; domain-rules §6): each checks the actor's
scope and the rules, runs in one transaction, records a BadgeStep and the history (AuditEntry).

Who does what: the base organisation (the branch's officers: manage members on the branch)
proposes; the upper level (manage members on the organisation above the branch) checks the
party age against the file, records the decision, the numbers and the ceremony, reissues,
recovers, undoes a step and annuls.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from dangvien.badges.models import STAGE_ORDER, Badge, BadgeStep, Stage, StepKind
from dangvien.badges.planning import earliest_early_award
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.members.models import Member, Status
from dangvien.members.party_age import badge_milestones, party_age


def _upper_path(member: Member) -> str:
    """The path of the organisation above the member's branch: the level that checks and
    decides (the branch's own path for a branch at the top)."""
    parent = member.branch.parent
    return parent.path if parent is not None else member.branch_path


def _require_upper(actor, badge: Badge) -> None:
    require(actor, Capability.MANAGE_MEMBERS, _upper_path(badge.member))


def _date(value, field: str, label: str) -> datetime.date:
    if value is None:
        raise DomainError(f"Cần ghi {label}.", field=field)
    if value > timezone.localdate():
        raise DomainError(f"{label[:1].upper()}{label[1:]} không thể ở tương lai.", field=field)
    return value


def _text(value: str, field: str, label: str, required: bool = True) -> str:
    require_text(value or "", field=field, label=label, multiline=True)
    if required and not (value or "").strip():
        raise DomainError(f"Cần ghi {label.lower()}.", field=field)
    return (value or "").strip()


def _step(actor, badge, kind, on, detail="", reason="") -> BadgeStep:
    return BadgeStep.objects.create(
        badge=badge, kind=kind, on=on, detail=detail, reason=reason, actor=actor
    )


def _audit(actor, action, badge, changes, reason="", on=None):
    versions.bump(badge)
    audit.record(
        actor,
        action,
        badge,
        org_path=badge.member.branch_path,
        changes=changes,
        reason=reason,
        effective_on=on,
    )


def _open(badge: Badge, expected_version: str | None = None) -> Badge:
    """The badge locked; refused when it changed after the page the step came from was read
    (`expected_version`, core.versions: no step recorded twice, none on a stale page)."""
    badge = Badge.unscoped.select_for_update().select_related("member__branch").get(pk=badge.pk)
    versions.check(badge, expected_version, label=f"Hồ sơ {badge.title.lower()}")
    if badge.is_annulled:
        raise DomainError(f"{badge.title} của {badge.member.full_name} đã bị hủy.")
    return badge


def _require_stage(badge: Badge, stage: str) -> None:
    if badge.stage != stage:
        raise DomainError(
            f"{badge.title}: đang ở bước «{badge.get_stage_display()}», chưa thể làm bước này "
            f"(cần bước «{Stage(stage).label}» trước)."
        )


def _require_member_standing(badge: Badge) -> None:
    member = badge.member
    if badge.posthumous or member.is_active:
        return
    raise DomainError(
        f"{member.full_name} không còn là đảng viên ({member.get_status_display()}): không tặng "
        "Huy hiệu Đảng (người từ trần: truy tặng)."
    )


@transaction.atomic
def propose(
    actor,
    member: Member,
    *,
    milestone: int,
    ceremony: datetime.date,
    proposed_on: datetime.date | None,
    proposed_by: str = "",
    posthumous: bool = False,
    early: bool = False,
    medical_note: str = "",
) -> Badge:
    """The base organisation proposes `member` for the badge of `milestone` years at the
    ceremony `ceremony` (R6.1–R6.3): the party age must be full by the ceremony, or within the
    early window for a seriously ill member with a medical record (R6.2); a deceased member
    only posthumously, for a milestone reached before death."""
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    member = Member.unscoped.select_related("branch").get(pk=member.pk)
    proposed_on = _date(proposed_on, "proposed_on", "ngày đề nghị")
    if milestone not in badge_milestones(ceremony):
        raise DomainError(f"{milestone} năm không phải một mốc Huy hiệu Đảng.", field="milestone")
    if Badge.unscoped.filter(member=member, milestone=milestone, annulled_at__isnull=True).exists():
        raise DomainError(
            f"{member.full_name} đã có hồ sơ Huy hiệu {milestone} năm tuổi Đảng.", field="milestone"
        )
    age = party_age(member, ceremony)
    reached_on = age.milestone_on(milestone)
    if posthumous:
        if member.status != Status.DECEASED:
            raise DomainError("Truy tặng chỉ dành cho đảng viên đã từ trần.", field="posthumous")
        if reached_on > member.left_on:
            raise DomainError(
                f"{member.full_name} từ trần ngày {member.left_on:%d/%m/%Y}, chưa đủ {milestone} "
                f"năm tuổi đảng (đủ vào ngày {reached_on:%d/%m/%Y}).",
                field="milestone",
            )
    elif not member.is_active:
        raise DomainError(
            f"{member.full_name} không còn là đảng viên ({member.get_status_display()}).",
        )
    elif age.stopped_on is not None and reached_on > age.stopped_on:
        raise DomainError(f"{member.full_name} chưa đủ {milestone} năm tuổi đảng.")
    medical_note = _text(medical_note, "medical_note", "Hồ sơ bệnh án", required=False)
    if reached_on > ceremony:
        earliest = earliest_early_award(reached_on, milestone)
        if not early:
            raise DomainError(
                f"{member.full_name} đủ {milestone} năm tuổi đảng vào ngày {reached_on:%d/%m/%Y}, "
                f"sau đợt trao {ceremony:%d/%m/%Y}. Chỉ trao sớm khi ốm nặng, từ "
                f"{earliest:%d/%m/%Y} (HD 01-HD/TW, mục 18).",
                field="milestone",
            )
        if ceremony < earliest:
            raise DomainError(
                f"Trao sớm do ốm nặng chỉ từ ngày {earliest:%d/%m/%Y} (đủ {milestone} năm tuổi "
                f"đảng ngày {reached_on:%d/%m/%Y}; HD 01-HD/TW, mục 18).",
                field="ceremony",
            )
        if not medical_note:
            raise DomainError(
                "Trao sớm do ốm nặng cần ghi hồ sơ bệnh án, xác nhận của cơ sở y tế.",
                field="medical_note",
            )
    else:
        early = False
    badge = Badge.unscoped.create(
        member=member,
        milestone=milestone,
        reached_on=reached_on,
        ceremony_planned=ceremony,
        proposed_on=proposed_on,
        proposed_by=_text(proposed_by, "proposed_by", "Tổ chức đề nghị", required=False)
        or member.branch.name,
        posthumous=posthumous,
        early=early,
        medical_note=medical_note,
        created_by=actor,
    )
    detail = f"Đủ {milestone} năm tuổi đảng ngày {reached_on:%d/%m/%Y}; đợt {ceremony:%d/%m/%Y}"
    if early:
        detail += "; trao sớm do ốm nặng"
    if posthumous:
        detail += "; truy tặng"
    _step(actor, badge, StepKind.PROPOSE, proposed_on, detail)
    _audit(
        actor,
        "badge.propose",
        badge,
        {"milestone": [None, milestone], "ceremony_planned": [None, ceremony]},
        on=proposed_on,
    )
    return badge


@transaction.atomic
def check(
    actor,
    badge: Badge,
    *,
    on: datetime.date | None,
    note: str = "",
    expected_version: str | None = None,
) -> Badge:
    """The upper level checks the party age against the file: recomputed from the admission
    decision and the periods outside the Party; the badge's milestone date follows it."""
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    _require_stage(badge, Stage.PROPOSED)
    _require_member_standing(badge)
    on = _date(on, "on", "ngày thẩm định")
    note = _text(note, "note", "Ý kiến thẩm định", required=False)
    reached_on = party_age(badge.member).milestone_on(badge.milestone)
    limit = badge.ceremony_planned or on
    if reached_on > limit and not badge.early:
        raise DomainError(
            f"Theo hồ sơ, {badge.member.full_name} đủ {badge.milestone} năm tuổi đảng ngày "
            f"{reached_on:%d/%m/%Y}, sau đợt trao {limit:%d/%m/%Y}: chưa đủ điều kiện."
        )
    changes = {"stage": [badge.get_stage_display(), Stage.CHECKED.label]}
    if reached_on != badge.reached_on:
        changes["reached_on"] = [badge.reached_on, reached_on]
    badge.reached_on, badge.stage, badge.checked_on, badge.check_note = (
        reached_on,
        Stage.CHECKED,
        on,
        note,
    )
    badge.save()
    _step(actor, badge, StepKind.CHECK, on, f"Đủ tuổi đảng ngày {reached_on:%d/%m/%Y}. {note}")
    _audit(actor, "badge.check", badge, changes, on=on)
    return badge


@transaction.atomic
def decide(
    actor,
    badge: Badge,
    *,
    number: str,
    on: datetime.date | None,
    body: str = "",
    expected_version: str | None = None,
) -> Badge:
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    _require_stage(badge, Stage.CHECKED)
    _require_member_standing(badge)
    number = _text(number, "number", "Số quyết định")
    on = _date(on, "on", "ngày quyết định")
    if badge.checked_on and on < badge.checked_on:
        raise DomainError("Ngày quyết định trước ngày thẩm định.", field="on")
    body = _text(body, "body", "Cơ quan quyết định", required=False)
    badge.stage, badge.decision_number, badge.decision_on, badge.decision_body = (
        Stage.DECIDED,
        number,
        on,
        body,
    )
    badge.save()
    _step(actor, badge, StepKind.DECIDE, on, f"Quyết định số {number}{', ' + body if body else ''}")
    _audit(
        actor,
        "badge.decide",
        badge,
        {"stage": [Stage.CHECKED.label, Stage.DECIDED.label], "decision_number": [None, number]},
        on=on,
    )
    return badge


def _require_unique_number(badge: Badge, badge_number: str) -> None:
    """A badge number once per milestone, the numbers replaced by a reissue included."""
    others = Badge.unscoped.filter(milestone=badge.milestone)
    steps = BadgeStep.objects.filter(
        kind=StepKind.REISSUE, detail__contains=badge_number, badge__milestone=badge.milestone
    )
    if badge.pk is not None:
        others, steps = others.exclude(pk=badge.pk), steps.exclude(badge_id=badge.pk)
    replaced = any(
        badge_number in step.detail.removeprefix("Số cũ ").split(" → ") for step in steps
    )
    if replaced or others.filter(badge_number=badge_number).exists():
        raise DomainError(
            f"Số Huy hiệu {badge_number} ({badge.milestone} năm) đã được ghi cho huy hiệu khác.",
            field="badge_number",
        )


@transaction.atomic
def set_numbers(
    actor,
    badge: Badge,
    *,
    badge_number: str,
    certificate_number: str,
    expected_version: str | None = None,
) -> Badge:
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    _require_stage(badge, Stage.DECIDED)
    badge_number = _text(badge_number, "badge_number", "Số Huy hiệu Đảng")
    certificate_number = _text(certificate_number, "certificate_number", "Số giấy chứng nhận")
    _require_unique_number(badge, badge_number)
    badge.stage, badge.badge_number, badge.certificate_number = (
        Stage.NUMBERED,
        badge_number,
        certificate_number,
    )
    badge.save()
    on = timezone.localdate()
    _step(
        actor,
        badge,
        StepKind.NUMBER,
        on,
        f"Số huy hiệu {badge_number}, giấy chứng nhận {certificate_number}",
    )
    _audit(
        actor,
        "badge.number",
        badge,
        {"badge_number": [None, badge_number], "certificate_number": [None, certificate_number]},
    )
    return badge


@transaction.atomic
def award(
    actor, badge: Badge, *, on: datetime.date | None, expected_version: str | None = None
) -> Badge:
    """The ceremony: the badge handed to the member (to the family, posthumously)."""
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    _require_stage(badge, Stage.NUMBERED)
    _require_member_standing(badge)
    on = _date(on, "on", "ngày trao")
    if badge.decision_on and on < badge.decision_on:
        raise DomainError("Ngày trao trước ngày quyết định.", field="on")
    badge.stage, badge.awarded_on = Stage.AWARDED, on
    badge.save()
    _step(actor, badge, StepKind.AWARD, on)
    _audit(
        actor,
        "badge.award",
        badge,
        {"stage": [Stage.NUMBERED.label, Stage.AWARDED.label], "awarded_on": [None, on]},
        on=on,
    )
    return badge


# The fields each stage writes, cleared when its step is undone.
STAGE_FIELDS = {
    Stage.CHECKED: {"checked_on": None, "check_note": ""},
    Stage.DECIDED: {"decision_number": "", "decision_on": None, "decision_body": ""},
    Stage.NUMBERED: {"badge_number": "", "certificate_number": ""},
    Stage.AWARDED: {"awarded_on": None},
}


@transaction.atomic
def undo_step(actor, badge: Badge, reason: str, *, expected_version: str | None = None) -> Badge:
    """Undo the last step recorded by mistake (to record it again, correctly): the badge goes
    back one stage, what the step wrote is kept in its step and the history, with the reason."""
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    reason = require_reason(reason, "Hãy ghi lý do hủy bước ghi nhầm.")
    if badge.stage == Stage.PROPOSED:
        raise DomainError("Hồ sơ mới ở bước đề nghị: hủy cả hồ sơ nếu đề nghị nhầm.")
    if badge.recover_due_on or badge.recovered_on:
        raise DomainError("Huy hiệu đang phải thu hồi hoặc đã thu hồi: không hủy bước trao.")
    stage = Stage(badge.stage)
    back = STAGE_ORDER[STAGE_ORDER.index(stage) - 1]
    changes = {"stage": [stage.label, back.label]}
    for field, empty in STAGE_FIELDS[stage].items():
        changes[field] = [getattr(badge, field), empty]
        setattr(badge, field, empty)
    badge.stage = back
    badge.save()
    _step(actor, badge, StepKind.UNDO, timezone.localdate(), f"Hủy bước «{stage.label}»", reason)
    _audit(actor, "badge.undo", badge, changes, reason=reason)
    return badge


@transaction.atomic
def annul(actor, badge: Badge, reason: str, *, expected_version: str | None = None) -> Badge:
    """Annul a badge record (proposed by mistake, or a decision withdrawn), kept with its
    reason; the member is then due the milestone again in the planning list."""
    badge = _open(badge, expected_version)
    if badge.stage == Stage.PROPOSED:
        require(actor, Capability.MANAGE_MEMBERS, badge.member.branch_path)
    else:
        _require_upper(actor, badge)
    reason = require_reason(reason, "Hãy ghi lý do hủy hồ sơ Huy hiệu Đảng.")
    badge.mark_annulled(actor, reason)
    _step(actor, badge, StepKind.ANNUL, timezone.localdate(), reason=reason)
    _audit(actor, "badge.annul", badge, {"annulled": [None, "Đã hủy"]}, reason=reason)
    return badge


@transaction.atomic
def reissue(
    actor,
    badge: Badge,
    *,
    badge_number: str,
    on: datetime.date | None,
    reason: str,
    expected_version: str | None = None,
) -> Badge:
    """Reissue a lost badge (a valid reason required): the new number replaces the old one,
    which the step keeps."""
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    _require_stage(badge, Stage.AWARDED)
    if badge.recover_due_on or badge.recovered_on:
        raise DomainError("Huy hiệu phải thu hồi: không cấp lại.")
    reason = require_reason(reason, "Hãy ghi lý do cấp lại (mất huy hiệu trong hoàn cảnh nào).")
    badge_number = _text(badge_number, "badge_number", "Số Huy hiệu Đảng mới")
    if badge_number == badge.badge_number:
        raise DomainError("Số huy hiệu mới trùng số cũ.", field="badge_number")
    _require_unique_number(badge, badge_number)
    on = _date(on, "on", "ngày cấp lại")
    old = badge.badge_number
    badge.badge_number = badge_number
    badge.save()
    _step(actor, badge, StepKind.REISSUE, on, f"Số cũ {old} → {badge_number}", reason)
    _audit(actor, "badge.reissue", badge, {"badge_number": [old, badge_number]}, reason, on)
    return badge


@transaction.atomic
def recover(
    actor,
    badge: Badge,
    *,
    on: datetime.date | None,
    note: str = "",
    expected_version: str | None = None,
) -> Badge:
    """Record the badge returned by a member who left the Party (HD 01-HD/TW §18)."""
    badge = _open(badge, expected_version)
    _require_upper(actor, badge)
    if not badge.recover_due_on:
        raise DomainError(f"{badge.title} không thuộc diện thu hồi.")
    if badge.recovered_on:
        raise DomainError(f"{badge.title} đã thu hồi ngày {badge.recovered_on:%d/%m/%Y}.")
    on = _date(on, "on", "ngày thu hồi")
    if on < badge.recover_due_on:
        raise DomainError("Ngày thu hồi trước ngày ra khỏi Đảng.", field="on")
    note = _text(note, "note", "Ghi chú", required=False)
    badge.recovered_on = on
    badge.save()
    _step(actor, badge, StepKind.RECOVER, on, note)
    _audit(actor, "badge.recover", badge, {"recovered_on": [None, on]}, on=on)
    return badge


def after_leaving(actor, member: Member, status: str, on: datetime.date) -> None:
    """A member expelled, struck off or resigned returns the badge (marked to recover); after
    death the family keeps it (HD 01-HD/TW §18)."""
    if status == Status.DECEASED:
        return
    for badge in Badge.unscoped.filter(
        member=member,
        annulled_at__isnull=True,
        stage=Stage.AWARDED,
        recovered_on__isnull=True,
        recover_due_on__isnull=True,
    ):
        badge.recover_due_on = on
        badge.save(update_fields=["recover_due_on", "updated_at"])
        _step(actor, badge, StepKind.TO_RECOVER, on, Status(status).label)
        _audit(actor, "badge.to_recover", badge, {"recover_due_on": [None, on]}, on=on)


def after_reinstating(actor, member: Member, on: datetime.date) -> None:
    """A leaving undone: the badges not yet returned are no longer to recover."""
    for badge in Badge.unscoped.filter(
        member=member, recover_due_on__isnull=False, recovered_on__isnull=True
    ):
        old = badge.recover_due_on
        badge.recover_due_on = None
        badge.save(update_fields=["recover_due_on", "updated_at"])
        _step(actor, badge, StepKind.UNDO, on, "Hủy việc ra khỏi Đảng: không thu hồi")
        _audit(actor, "badge.undo", badge, {"recover_due_on": [old, None]}, on=on)


@transaction.atomic
def record_awarded(
    actor,
    member: Member,
    *,
    milestone: int,
    decision_number: str,
    decision_on: datetime.date,
    badge_number: str,
    certificate_number: str,
    awarded_on: datetime.date,
    posthumous: bool = False,
    reason: str = "",
) -> Badge:
    """A badge awarded before the system (its history, from an import): recorded at once as
    awarded, with the party age checked against the award (early awards within the rule's
    window accepted) and, posthumously, against the date of death."""
    if actor is not None:  # None: the command line, acting on every organisation
        require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if milestone not in badge_milestones(awarded_on):
        raise DomainError(f"{milestone} năm không phải một mốc Huy hiệu Đảng.", field="milestone")
    if Badge.unscoped.filter(member=member, milestone=milestone, annulled_at__isnull=True).exists():
        raise DomainError(
            f"{member.full_name} đã có Huy hiệu {milestone} năm tuổi Đảng.", field="milestone"
        )
    if decision_on > awarded_on:
        raise DomainError("Ngày quyết định sau ngày trao.", field="decision_on")
    reached_on = party_age(member, awarded_on).milestone_on(milestone)
    early = reached_on > awarded_on
    if early and awarded_on < earliest_early_award(reached_on, milestone):
        raise DomainError(
            f"{member.full_name} đủ {milestone} năm tuổi đảng ngày {reached_on:%d/%m/%Y}: ngày "
            f"trao {awarded_on:%d/%m/%Y} sớm hơn thời hạn được trao sớm.",
            field="awarded_on",
        )
    if posthumous and member.status != Status.DECEASED:
        raise DomainError("Truy tặng chỉ dành cho đảng viên đã từ trần.", field="posthumous")
    if posthumous and reached_on > member.left_on:
        raise DomainError(
            f"{member.full_name} từ trần trước khi đủ {milestone} năm tuổi đảng.",
            field="milestone",
        )
    badge = Badge(member=member, milestone=milestone)
    _require_unique_number(badge, badge_number)
    badge = Badge.unscoped.create(
        member=member,
        milestone=milestone,
        stage=Stage.AWARDED,
        reached_on=reached_on,
        ceremony_planned=awarded_on,
        posthumous=posthumous,
        early=early,
        medical_note="Trao sớm (nhập từ tệp)" if early else "",
        decision_number=decision_number,
        decision_on=decision_on,
        badge_number=badge_number,
        certificate_number=certificate_number,
        awarded_on=awarded_on,
        created_by=actor,
    )
    if member.status in (Status.RESIGNED, Status.REMOVED, Status.EXPELLED):
        badge.recover_due_on = member.left_on
        badge.save(update_fields=["recover_due_on"])
    _step(
        actor,
        badge,
        StepKind.IMPORT,
        awarded_on,
        f"Quyết định số {decision_number} ngày {decision_on:%d/%m/%Y}; số huy hiệu "
        f"{badge_number}, giấy chứng nhận {certificate_number}",
        reason,
    )
    _audit(
        actor,
        "badge.import",
        badge,
        {"milestone": [None, milestone], "badge_number": [None, badge_number]},
        reason=reason,
        on=awarded_on,
    )
    return badge
