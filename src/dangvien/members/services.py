"""Every write to a member record: create, correct, and the lifecycle actions of the Party.

Each function checks the acting user's scope and the rules in force, runs in one transaction,
and leaves both an AuditEntry (old → new values) and, for lifecycle steps, a MemberEvent.
"""

import datetime
import io

from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from dangvien.core import audit, blockers, versions
from dangvien.core.changes import records_changed
from dangvien.core.decisions import NO_DECISION, Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import RuleException
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import require
from dangvien.core.validation import require_fields, require_reason, require_text
from dangvien.members import conflicts, party_age
from dangvien.members.models import (
    ConflictKind,
    EventKind,
    Member,
    MemberEvent,
    MemberPhoto,
    Placement,
    Status,
)
from dangvien.members.rules import RecordProblem, check_record
from dangvien.organizations.models import Organization

# Fields of the record an officer edits in the profile form (status and branch change only
# through lifecycle actions; the code never changes).
RECORD_FIELDS = [
    "full_name",
    "birth_name",
    "other_names",
    "gender",
    "birth_date",
    "birthplace",
    "place_of_origin",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "admitted_on",
    "official_on",
    "card_number",
    "card_issued_on",
    "record_number",
    "occupation",
    "workplace",
    "residence",
    "residence_org",
    "general_education",
    "qualification",
    "academic_title",
    "political_theory",
    "foreign_language",
    "it_skill",
    "party_position",
    "state_position",
    "mass_org_position",
    "work_history",
    "family_notes",
]
# Typed codes: a fixed alphabet safe in URLs and spreadsheets (core.validation); the card number
# too, since the format of the 2025 chip cards is not settled (domain-rules §2.6).
CODE_FIELDS = ("code", "card_number")
UNIQUE_FIELDS = {"code": "Mã đảng viên", "citizen_id": "Số CCCD", "card_number": "Số thẻ đảng viên"}
KIND_OF_FIELD = {
    "code": ConflictKind.MEMBER_CODE,
    "citizen_id": ConflictKind.CITIZEN_ID,
    "card_number": ConflictKind.CARD_NUMBER,
}
LEAVING = {
    Status.RESIGNED: EventKind.RESIGNED,
    Status.REMOVED: EventKind.REMOVED,
    Status.EXPELLED: EventKind.EXPELLED,
    Status.DECEASED: EventKind.DECEASED,
}


def _require_manage(actor, path: str) -> None:
    """The officers who manage members at `path`; no actor: the command line (an import, the
    demo loader), which acts on all organisations."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, path)


def _require_branch(branch: Organization) -> None:
    if not branch.is_branch:
        raise DomainError(
            f"{branch.name} không phải chi bộ: đảng viên chỉ sinh hoạt ở chi bộ.", field="branch"
        )
    if not branch.is_active:
        raise DomainError(f"{branch.name} đã giải thể.", field="branch")


def _check_unique(actor, values: dict, path: str, exclude_pk: int | None = None) -> None:
    """A code, citizen ID or card number held by another member: named if the actor sees that
    member, otherwise refused without saying whose (recorded by `records_conflicts`)."""
    for field, label in UNIQUE_FIELDS.items():
        value = values.get(field)
        if not value:
            continue
        clash = Member.unscoped.filter(**{field: value})
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        owner = clash.only("pk", "code", "full_name", "branch_path").first()
        if owner is None:
            continue
        if not conflicts.sees(actor, owner.branch_path):
            attempted = values.get("full_name") or ""
            if values.get("code"):
                attempted = f"{attempted} (mã {values['code']})"
            collision = conflicts.Collision(
                KIND_OF_FIELD[field],
                value,
                owner,
                owner.branch_path,
                path,
                attempted_label=attempted,
                existing_label=f"{owner.full_name} (mã {owner.code})",
            )
            raise conflicts.collision_error(label, collision, field=field)
        raise DomainError(
            f"{label} {value} đã thuộc về một đảng viên khác. Đó là hồ sơ của "
            f"{owner.full_name} (mã {owner.code}).",
            field=field,
        )


def _check_rules(
    actor, values: dict, exception_reason: str, member: Member | None = None
) -> list[RecordProblem]:
    """Raise on the first error no exception can cover; return the problems to record as
    exceptions, which need a reason (a legacy record breaking the rules of its date, or a
    consent). An exception already recorded for `member` covers its rule."""
    problems = check_record(values, RuleBook.load(), timezone.localdate())
    if member is not None:
        excepted_before = set(
            RuleException.unscoped.filter(
                target_type=Member._meta.label_lower, target_id=member.pk
            ).values_list("rule_key", flat=True)
        )
        problems = [p for p in problems if p.rule_key not in excepted_before]
    for problem in problems:
        if problem.is_error and not (problem.rule_key and exception_reason.strip()):
            message = problem.message[:1].upper() + problem.message[1:]
            if problem.rule_key:
                message += " Hồ sơ cũ được chấp nhận theo ngoại lệ: hãy ghi lý do ngoại lệ."
            raise DomainError(message, field=problem.field)
    excepted = [problem for problem in problems if problem.rule_key]
    if excepted and not exception_reason.strip():
        warning = excepted[0].message
        raise DomainError(
            warning[:1].upper() + warning[1:] + " Hãy ghi lý do và văn bản cho phép ngoại lệ.",
            field="exception_reason",
        )
    return excepted


def _record_exception(actor, member: Member, excepted: list[RecordProblem], reason: str) -> None:
    for problem in excepted:
        RuleException.unscoped.create(
            rule_key=problem.rule_key,
            target_type=Member._meta.label_lower,
            target_id=member.pk,
            org_path=member.branch_path,
            reason=f"{reason} ({problem.message})",
            actor=actor,
        )


def _event(actor, member, kind, on, decision: Decision = NO_DECISION, **extra) -> MemberEvent:
    """One event of the timeline; one that counts in party age refreshes its copy on the
    member (members.party_age: the timeline is the source of truth)."""
    event = MemberEvent.objects.create(
        member=member,
        kind=kind,
        on=on,
        decision_number=decision.number,
        decision_body=decision.body,
        reason=decision.reason,
        actor=actor,
        **extra,
    )
    if kind in party_age.COUNTED_EVENTS:
        party_age.refresh_gap_days(member)
    return event


@conflicts.records_conflicts("Nhập hồ sơ đảng viên")
@transaction.atomic
def create_member(
    actor,
    *,
    branch: Organization,
    code: str,
    values: dict,
    exception_reason: str = "",
    decision: Decision = NO_DECISION,
) -> Member:
    """Enter the record of a member active in `branch` (an existing member's file)."""
    _require_manage(actor, branch.path)
    _require_branch(branch)
    code = code.strip()
    if not code:
        raise DomainError("Mã đảng viên là bắt buộc.", field="code")
    values = {field: values.get(field) for field in RECORD_FIELDS if field in values}
    require_fields(Member, {**values, "code": code}, codes=CODE_FIELDS)  # before any echo
    _check_unique(actor, {**values, "code": code}, branch.path)
    warnings = _check_rules(actor, values, exception_reason)
    status = Status.OFFICIAL if values.get("official_on") else Status.PROBATIONARY
    member = Member(
        code=code,
        branch=branch,
        branch_path=branch.path,
        status=status,
        **{k: v if v is not None else blank_value(k) for k, v in values.items()},
    )
    member.save()
    Placement.objects.create(member=member, branch=branch, start=member.admitted_on)
    _event(actor, member, EventKind.ADMITTED, member.admitted_on, decision, to_branch=branch)
    if member.official_on:
        _event(actor, member, EventKind.RECOGNISED, member.official_on)
    _record_exception(actor, member, warnings, exception_reason)
    audit.record(
        actor,
        "member.create",
        member,
        org_path=member.branch_path,
        changes={"code": [None, code], "full_name": [None, member.full_name]},
    )
    return member


def blank_value(field: str):
    """The empty value of a field: None for dates and unique fields, "" for text."""
    nullable = {
        "official_on",
        "card_issued_on",
        "citizen_id",
        "card_number",
        "birth_date",
        "admitted_on",
    }
    return None if field in nullable else ""


@conflicts.records_conflicts("Sửa hồ sơ đảng viên")
@transaction.atomic
def update_member(
    actor,
    member: Member,
    values: dict,
    *,
    reason: str = "",
    exception_reason: str = "",
    expected_version: str | None = None,
) -> Member:
    """Correct fields of the record; every changed field is kept in the history (old → new).
    `expected_version` is the version the user read: a save over a later change is refused."""
    _require_manage(actor, member.branch_path)
    versions.check(member, expected_version, label="Hồ sơ")
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    changes = {}
    for field in RECORD_FIELDS:
        if field not in values:
            continue
        new = values[field] if values[field] is not None else blank_value(field)
        old = getattr(member, field)
        if old != new:
            changes[field] = (old, new)
    if not changes:
        return member
    require_fields(
        Member, {field: new for field, (_old, new) in changes.items()}, codes=CODE_FIELDS
    )
    _check_procedure_fields(member, changes)
    merged = {field: getattr(member, field) for field in RECORD_FIELDS}
    merged.update({field: new for field, (_old, new) in changes.items()})
    _check_unique(actor, merged, member.branch_path, exclude_pk=member.pk)
    warnings = (
        _check_rules(actor, merged, exception_reason, member)
        if ({"birth_date", "admitted_on", "official_on", "citizen_id"} & changes.keys())
        else []
    )
    if "official_on" in changes and member.is_active:
        member.status = Status.OFFICIAL if merged["official_on"] else Status.PROBATIONARY
    for field, (_old, new) in changes.items():
        setattr(member, field, new)
    member.version += 1
    member.save()
    if "admitted_on" in changes:
        move_admission_date(member.pk, *changes["admitted_on"])
    _record_exception(actor, member, warnings, exception_reason)
    audit.record(
        actor, "member.update", member, org_path=member.branch_path, changes=changes, reason=reason
    )
    return member


def move_admission_date(member_id: int, old: datetime.date, new: datetime.date) -> None:
    """A corrected admission date moves the placement that began with it (where admissions are
    counted: reports.admissions.admitted_between) and the admission event of the timeline."""
    records_changed(member_ids=[member_id])  # the admitting branch's year-end counts change
    Placement.objects.filter(member_id=member_id, start=old).update(start=new)
    MemberEvent.objects.filter(member_id=member_id, kind=EventKind.ADMITTED, on=old).update(on=new)


def _check_procedure_fields(member: Member, changes: dict) -> None:
    """Recognition and cards have their own procedures (admissions): a correction of the record
    may fix an official member's dates or card number, but cannot make a probationary member
    official or give them a card, nor rewrite a card kept in the card history."""
    if member.status == Status.PROBATIONARY and "official_on" in changes:
        raise DomainError(
            "Đảng viên dự bị được công nhận chính thức qua các bước xét công nhận (trang «Xét "
            "công nhận chính thức»), không bằng cách sửa hồ sơ.",
            field="official_on",
        )
    card_fields = {"card_number", "card_issued_on"} & changes.keys()
    if not card_fields:
        return
    if member.status != Status.OFFICIAL:
        raise DomainError(
            "Thẻ đảng viên chỉ cấp cho đảng viên chính thức.", field=sorted(card_fields)[0]
        )
    if member.cards.exists():
        raise DomainError(
            "Thẻ của đảng viên này có lịch sử cấp, đổi thẻ: cấp lại hoặc báo mất trên trang "
            "«Thẻ đảng viên».",
            field=sorted(card_fields)[0],
        )


def _require_active(member: Member) -> None:
    if not member.is_active:
        raise DomainError(
            f"{member.full_name} không còn là đảng viên ({member.get_status_display()})."
        )


def _require_date(on: datetime.date | None, member: Member) -> datetime.date:
    if on is None:
        raise DomainError("Cần ghi ngày của quyết định.", field="effective_on")
    if on > timezone.localdate():
        raise DomainError("Ngày không thể ở tương lai.", field="effective_on")
    if on < member.admitted_on:
        raise DomainError("Ngày không thể trước ngày vào Đảng.", field="effective_on")
    return on


@transaction.atomic
def set_ceremony_date(actor, member: Member, on: datetime.date) -> Member:
    """Keep the day of the admission ceremony on the record: the probation runs from it."""
    _require_manage(actor, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    _require_ceremony_open(member, field="done_on")
    if on < member.admitted_on:
        raise DomainError("Lễ kết nạp trước ngày vào Đảng.", field="done_on")
    return _write_ceremony(actor, member, on)


def _write_ceremony(actor, member: Member, on: datetime.date, reason: str = "") -> Member:
    """The ceremony date saved, the record's version moved on, the change in its history."""
    before = member.ceremony_on
    member.ceremony_on = on
    member.save(update_fields=["ceremony_on", "updated_at"])
    versions.bump(member)
    audit.record(
        actor,
        "member.update",
        member,
        org_path=member.branch_path,
        changes={"ceremony_on": [before, on]},
        effective_on=on,
        reason=reason,
    )
    return member


def _require_ceremony_open(member: Member, field: str) -> None:
    """The ceremony date changes only during probation: the official date was decided from it
    (12 months after the ceremony, Điều lệ Đảng, Điều 5.1)."""
    if member.status == Status.PROBATIONARY:
        return
    if member.status == Status.OFFICIAL:
        since = f" từ {member.official_on:%d/%m/%Y}" if member.official_on else ""
        raise DomainError(
            f"{member.full_name} không còn là đảng viên dự bị (đã được công nhận chính thức"
            f"{since}): ngày chính thức đã được quyết định theo 12 tháng dự bị kể từ lễ kết nạp, "
            "nên không ghi, sửa ngày lễ kết nạp được nữa.",
            field=field,
        )
    raise DomainError(
        f"{member.full_name} không còn là đảng viên dự bị ({member.get_status_display()}): "
        "không ghi, sửa ngày lễ kết nạp được nữa.",
        field=field,
    )


@transaction.atomic
def correct_ceremony_date(
    actor,
    member: Member,
    on: datetime.date,
    *,
    reason: str = "",
    expected_version: str | None = None,
) -> Member:
    """Record the admission ceremony of a probationary member whose record has none (an
    imported record), or correct the one recorded, with a reason: the 12 months of probation
    run from it (Điều lệ Đảng, Điều 5.1), so the probation's end moves with it. Once the member
    is official the ceremony no longer changes (`_require_ceremony_open`)."""
    _require_manage(actor, member.branch_path)
    versions.check(member, expected_version, label="Hồ sơ")
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    _require_ceremony_open(member, field="ceremony_on")
    if on is None:
        raise DomainError("Cần ghi ngày lễ kết nạp.", field="ceremony_on")
    if on > timezone.localdate():
        raise DomainError("Ngày lễ kết nạp không thể ở tương lai.", field="ceremony_on")
    if on < member.admitted_on:
        raise DomainError(
            f"Lễ kết nạp trước ngày vào Đảng ({member.admitted_on:%d/%m/%Y}).", field="ceremony_on"
        )
    before = member.ceremony_on
    if before == on:
        raise DomainError(f"Ngày lễ kết nạp đã là {on:%d/%m/%Y}.", field="ceremony_on")
    require_text(reason, field="reason", label="Lý do", multiline=True)
    if before is not None and not reason.strip():
        raise DomainError(
            f"Cần ghi lý do sửa ngày lễ kết nạp đã ghi ({before:%d/%m/%Y}).", field="reason"
        )
    return _write_ceremony(actor, member, on, reason.strip())


@transaction.atomic
def recognise_official(actor, member: Member, decision: Decision) -> Member:
    """Recognise a probationary member as official. The official date is the end of the
    probation (12 months from the admission ceremony, Điều lệ Đảng, Điều 5.1; from the admission
    date where no ceremony date is known), even when the decision comes later (QĐ 294;
    domain-rules §2.4, R2.7)."""
    _require_manage(actor, member.branch_path)
    _require_active(member)
    if member.status != Status.PROBATIONARY:
        raise DomainError(f"{member.full_name} đã là đảng viên chính thức.")
    decided_on = _require_date(decision.effective_on, member)
    start = member.probation_start  # the ceremony (Điều lệ Đảng, Điều 5.1), else the decision
    probation = RuleBook.load().value("probation_months", start)
    due = add_months(start, probation)
    if decided_on < due:
        raise DomainError(
            f"Chưa đủ {probation} tháng dự bị: sớm nhất được công nhận từ {due:%d/%m/%Y}.",
            field="effective_on",
        )
    member.status, member.official_on = Status.OFFICIAL, due
    member.save(update_fields=["status", "official_on", "updated_at"])
    versions.bump(member)
    _event(actor, member, EventKind.RECOGNISED, due, decision)
    audit.record(
        actor,
        "member.recognise",
        member,
        org_path=member.branch_path,
        changes={
            "status": [Status.PROBATIONARY.label, Status.OFFICIAL.label],
            "official_on": [None, due],
        },
        **decision.as_audit(),
    )
    return member


@transaction.atomic
def transfer_member(actor, member: Member, to_branch: Organization, decision: Decision) -> Member:
    """Move a member's activity to another branch within the officer's scope, from a date."""
    _require_manage(actor, member.branch_path)
    _require_manage(actor, to_branch.path)
    _require_active(member)
    _require_branch(to_branch)
    if to_branch.pk == member.branch_id:
        raise DomainError("Đảng viên đang sinh hoạt ở chi bộ này.", field="branch")
    on = _require_date(decision.effective_on, member)
    current = member.placements.filter(end__isnull=True).first()
    if current and on <= current.start:
        raise DomainError(
            f"Ngày chuyển phải sau ngày bắt đầu sinh hoạt ở chi bộ hiện tại "
            f"({current.start:%d/%m/%Y}).",
            field="effective_on",
        )
    if current:
        current.end = on - datetime.timedelta(days=1)
        current.save(update_fields=["end"])
    Placement.objects.create(member=member, branch=to_branch, start=on)
    from_branch = member.branch
    member.branch, member.branch_path = to_branch, to_branch.path
    member.save(update_fields=["branch", "branch_path", "updated_at"])
    versions.bump(member)
    _event(
        actor,
        member,
        EventKind.TRANSFERRED,
        on,
        decision,
        from_branch=from_branch,
        to_branch=to_branch,
    )
    audit.record(
        actor,
        "member.transfer",
        member,
        org_path=member.branch_path,
        changes={"branch": [from_branch.name, to_branch.name]},
        **decision.as_audit(),
    )
    return member


@transaction.atomic
def exempt_member(actor, member: Member, decision: Decision) -> Member:
    """Exempt an old or ill member from work and activities; the branch decides (QĐ 24 §7.1)."""
    _require_manage(actor, member.branch_path)
    _require_active(member)
    if member.exempt_since:
        raise DomainError(f"{member.full_name} đã được miễn từ {member.exempt_since:%d/%m/%Y}.")
    member.exempt_since = _require_date(decision.effective_on, member)
    member.save(update_fields=["exempt_since", "updated_at"])
    versions.bump(member)
    _event(actor, member, EventKind.EXEMPTED, member.exempt_since, decision)
    audit.record(
        actor,
        "member.exempt",
        member,
        org_path=member.branch_path,
        changes={"exempt_since": [None, member.exempt_since]},
        **decision.as_audit(),
    )
    return member


@transaction.atomic
def end_exemption(actor, member: Member, decision: Decision) -> Member:
    _require_manage(actor, member.branch_path)
    _require_active(member)
    if not member.exempt_since:
        raise DomainError(f"{member.full_name} không ở diện miễn sinh hoạt.")
    on = _require_date(decision.effective_on, member)
    old = member.exempt_since
    member.exempt_since = None
    member.save(update_fields=["exempt_since", "updated_at"])
    versions.bump(member)
    _event(actor, member, EventKind.EXEMPTION_ENDED, on, decision)
    audit.record(
        actor,
        "member.exemption_end",
        member,
        org_path=member.branch_path,
        changes={"exempt_since": [old, None]},
        **decision.as_audit(),
    )
    return member


@transaction.atomic
def end_membership(actor, member: Member, status: str, decision: Decision) -> Member:
    """Resignation, removal from the rolls or death: the record stays, with the date. The
    member drops out of every list and count from that date, so the action says why (a final
    action takes a reason, issue 12); one recorded by mistake is undone by `reinstate_member`.
    Expulsion is a discipline decision (discipline.services, Điều lệ Đảng, domain-rules §7.2),
    refused here."""
    _require_manage(actor, member.branch_path)
    if status == Status.EXPELLED:  # a discipline decision, with its rules and effects
        raise DomainError(
            "Khai trừ là một hình thức kỷ luật: ghi quyết định kỷ luật trên trang hồ sơ (mục "
            "«Kỷ luật»), đảng viên ra khỏi Đảng từ ngày quyết định.",
            field="status",
        )
    return record_leaving(actor, member, status, decision)


def record_leaving(actor, member: Member, status: str, decision: Decision) -> Member:
    """The leaving itself, the actor's scope checked by the caller (`end_membership`, or an
    import that checked every row's scope: discipline's expulsions)."""
    _require_active(member)
    if status not in LEAVING:
        raise DomainError("Hình thức ra khỏi Đảng không hợp lệ.", field="status")
    on = _require_date(decision.effective_on, member)
    # The higher apps' checks (transfers: a letter; inspections: a violation to discipline).
    if problem := blockers.leaving_refusal(member, status, on):
        raise DomainError(problem)
    require_reason(decision.reason, "Hãy ghi lý do, căn cứ của việc ra khỏi Đảng.")
    old_status = member.get_status_display()
    member.status, member.left_on = status, on
    member.save(update_fields=["status", "left_on", "updated_at"])
    versions.bump(member)
    member.placements.filter(end__isnull=True).update(end=on)
    _event(actor, member, LEAVING[status], on, decision)
    blockers.leaving_effects(actor, member, status, on)  # badges: to recover (HD 01-HD/TW §18)
    audit.record(
        actor,
        "member.leave",
        member,
        org_path=member.branch_path,
        changes={"status": [old_status, Status(status).label], "left_on": [None, on]},
        **decision.as_audit(),
    )
    return member


def reinstatement_refusal(member: Member) -> str:
    """Why the leaving of `member` cannot be undone on the member's page ("" when it can)."""
    from dangvien.admissions.models import RecognitionStepKind

    if member.is_active:
        return f"{member.full_name} đang sinh hoạt đảng: không có việc ra khỏi Đảng nào để hủy."
    if member.status == Status.TRANSFERRED_OUT:
        return (
            f"{member.full_name} đã chuyển sinh hoạt ra ngoài hệ thống, không ra khỏi Đảng: mở "
            "lại việc chuyển sinh hoạt (trang «Chuyển sinh hoạt đảng») nếu ghi nhầm."
        )
    if member.recognition_steps.filter(kind=RecognitionStepKind.STRIKE_OFF).exists():
        return (
            f"{member.full_name} bị xóa tên khi xét công nhận đảng viên chính thức: quyết định "
            "xóa tên được hủy trên trang «Xét công nhận chính thức» của đảng viên, có lý do."
        )
    branch = member.branch
    if not branch.is_active:
        return (
            f"{branch.name} đã giải thể từ {branch.ended_on:%d/%m/%Y}: hãy khôi phục chi bộ "
            "(trang của chi bộ, «Khôi phục tổ chức») trước khi đảng viên trở lại sinh hoạt."
        )
    return ""


@transaction.atomic
def reinstate_member(actor, member: Member, decision: Decision) -> Member:
    """Undo a resignation, removal, expulsion or death recorded by mistake or annulled since:
    a correction with its reason, kept in the history after the leaving it undoes."""
    _require_manage(actor, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    if problem := reinstatement_refusal(member):
        raise DomainError(problem)
    return restore_membership(actor, member, decision)


@transaction.atomic
def restore_membership(actor, member: Member, decision: Decision) -> Member:
    """Bring a member who left back, from `decision.effective_on`, to the status before
    (official once recognised, else probationary) in the branch they left. Returning on the
    day they left resumes the placement, as if they never left; returning later begins a new
    placement in the same branch that day, and the reports of the days between keep what they
    showed (not counting the member). The leaving stays in the timeline and the history,
    followed by this correction. A service that undoes the procedure behind a leaving (the
    probation's strike-off) calls this once its own records are undone."""
    _require_manage(actor, member.branch_path)
    left_on, left_status = member.left_on, member.get_status_display()
    on = decision.effective_on
    if on is None:
        raise DomainError("Cần ghi ngày trở lại sinh hoạt.", field="effective_on")
    if on > timezone.localdate():
        raise DomainError("Ngày không thể ở tương lai.", field="effective_on")
    if on < (left_on or member.admitted_on):
        raise DomainError(
            f"Ngày trở lại sinh hoạt không thể trước ngày ra khỏi Đảng "
            f"({(left_on or member.admitted_on):%d/%m/%Y}).",
            field="effective_on",
        )
    require_reason(
        decision.reason,
        "Hãy ghi lý do hủy việc ra khỏi Đảng (ghi nhầm, quyết định đã bị hủy bỏ…).",
    )
    _resume_placement(member, left_on, on)
    member.status = Status.OFFICIAL if member.official_on else Status.PROBATIONARY
    member.left_on = None
    member.save(update_fields=["status", "left_on", "updated_at"])
    versions.bump(member)
    _event(actor, member, EventKind.REINSTATED, on, decision)
    blockers.reinstating_effects(actor, member, on)
    audit.record(
        actor,
        "member.reinstate",
        member,
        org_path=member.branch_path,
        changes={
            "status": [left_status, member.get_status_display()],
            "left_on": [left_on, None],
        },
        **decision.as_audit(),
    )
    return member


def _resume_placement(member: Member, left_on: datetime.date | None, on: datetime.date) -> None:
    """The member active in their branch again from `on` (saved one by one: the year-end
    counts of the branch are marked for a recount, reports.tallies)."""
    last = member.placements.order_by("-start", "-id").first()
    if last is not None and last.branch_id == member.branch_id and on == (left_on or on):
        last.end = None
        last.save(update_fields=["end"])
        return
    if last is not None and left_on is not None and last.end is not None and last.end >= left_on:
        # The day of leaving was the first day outside (reports.structure.alive_on): it stays so.
        last.end = max(last.start, left_on - datetime.timedelta(days=1))
        last.save(update_fields=["end"])
    Placement.objects.create(member=member, branch=member.branch, start=on)


@transaction.atomic
def set_photo(actor, member: Member, content: bytes) -> None:
    """Keep the member's 3×4 photo. Its type is read from the image itself, never taken from the
    browser's word, so a page or a script named .png is refused and never served as an image."""
    _require_manage(actor, member.branch_path)
    if len(content) > PHOTO_MAX_BYTES:
        raise DomainError("Ảnh không được lớn hơn 2 MB.", field="photo")
    content_type = _image_type(content)
    MemberPhoto.objects.update_or_create(
        member=member, defaults={"content": content, "content_type": content_type}
    )
    audit.record(
        actor,
        "member.photo",
        member,
        org_path=member.branch_path,
        changes={"photo": [None, "ảnh mới"]},
    )


PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_MAX_PIXELS = 4000 * 4000  # far above a scanned 3×4 photo; a larger image is a bomb
PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _image_type(content: bytes) -> str:
    """The MIME type of a JPEG, PNG or WebP image, checked by decoding its header."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind, width, height = None, 0, 0
    if kind not in PHOTO_TYPES:
        raise DomainError("Ảnh phải là tệp JPEG, PNG hoặc WebP.", field="photo")
    if width * height > PHOTO_MAX_PIXELS:
        raise DomainError("Ảnh quá lớn: tối đa 4000 × 4000 điểm ảnh.", field="photo")
    return PHOTO_TYPES[kind]
