"""Re-admission (kết nạp lại) of a member who left the Party: QĐ 294-QĐ/TW §3.5 (domain-rules
§2.10, R2.13).

Conditions (§3.5.1) [C]: at least `readmission_min_months_after_leaving` (36) months since the
leaving, or `readmission_min_months_after_record_cleared` (60) months after the criminal record
is cleared (xóa án tích); the written consent of the provincial standing committee (ban thường
vụ tỉnh ủy, thành ủy) on file; once only in a lifetime (`readmission_max_times`); a full
probation again. Not considered (§3.5.2) [C for the first two]: someone who left by abandoning
party activity (tự bỏ sinh hoạt), and someone who applied to leave, except with a valid reason
(recorded as a rule exception). [U] The three other categories of §3.5.2 are not confirmed and
not enforced.

Party age counts from the first admission less the days outside (HD 01-HD/TW;
members.party_age): `Member.admitted_on` stays; the gap is the timeline's, from the leaving
event to the re-admission event, and `party_age_gap_days` is refreshed from the timeline.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.changes import records_changed
from dangvien.core.errors import DomainError
from dangvien.core.models import RuleException
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.members.models import (
    EventKind,
    Member,
    MemberEvent,
    Placement,
    Readmission,
    Status,
)
from dangvien.members.party_age import Gap, open_gap, refresh_gap_days
from dangvien.organizations.models import Organization

READMITTABLE = (Status.RESIGNED, Status.REMOVED, Status.EXPELLED)
LEAVING_EVENT = {
    Status.RESIGNED: EventKind.RESIGNED,
    Status.REMOVED: EventKind.REMOVED,
    Status.EXPELLED: EventKind.EXPELLED,
}
RESIGNED_RULE = "readmission_after_resigning"


def readmission_refusal(member: Member) -> str:
    """Why `member` cannot be re-admitted at all ("" when the form may be offered)."""
    if member.status not in READMITTABLE:
        if member.is_active:
            return f"{member.full_name} đang sinh hoạt đảng."
        return (
            f"Chỉ kết nạp lại người đã ra khỏi Đảng (xin ra khỏi Đảng, xóa tên, khai trừ); "
            f"{member.full_name}: {member.get_status_display()}."
        )
    limit = RuleBook.load().value("readmission_max_times", timezone.localdate())
    done = member.readmissions.filter(annulled_at__isnull=True).count()
    if done >= limit:
        return (
            f"{member.full_name} đã được kết nạp lại {done} lần: chỉ được kết nạp lại "
            f"{limit} lần trong đời (QĐ 294-QĐ/TW, mục 3.5)."
        )
    if member.left_on is None:
        # The waiting time and the days outside the Party count from the leaving.
        return (
            f"Hồ sơ của {member.full_name} chưa ghi ngày ra khỏi Đảng: sửa hồ sơ, ghi ngày đó "
            "trước khi kết nạp lại."
        )
    return ""


def earliest_readmission(
    left_on: datetime.date, record_cleared_on: datetime.date | None, on: datetime.date
) -> tuple[datetime.date, str]:
    """The earliest day of a re-admission decision and the rule that sets it."""
    rules = RuleBook.load()
    months = rules.value("readmission_min_months_after_leaving", on)
    earliest, why = add_months(left_on, months), f"{months} tháng kể từ ngày ra khỏi Đảng"
    if record_cleared_on is not None:
        after = rules.value("readmission_min_months_after_record_cleared", on)
        cleared = add_months(record_cleared_on, after)
        if cleared > earliest:
            earliest, why = cleared, f"{after} tháng kể từ ngày được xóa án tích"
    return earliest, why


def _require_date(value, field: str, label: str) -> datetime.date:
    if value is None:
        raise DomainError(f"Cần ghi {label}.", field=field)
    if value > timezone.localdate():
        raise DomainError(f"{label[:1].upper()}{label[1:]} không thể ở tương lai.", field=field)
    return value


@transaction.atomic
def readmit_member(
    actor,
    member: Member,
    *,
    decided_on: datetime.date | None,
    decision_number: str,
    decision_body: str = "",
    consent_number: str,
    consent_on: datetime.date | None,
    ceremony_on: datetime.date | None = None,
    record_cleared_on: datetime.date | None = None,
    abandoned_activity: bool = False,
    exception_reason: str = "",
    branch: Organization | None = None,
) -> Readmission:
    """Re-admit `member`, who left, from `decided_on` into `branch` (their last branch by
    default): a probationary member again, the probation counted from the re-admission's
    ceremony (or its decision while no ceremony is recorded), the timeline showing it."""
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    if problem := readmission_refusal(member):
        raise DomainError(problem)
    branch = branch or member.branch
    require(actor, Capability.MANAGE_MEMBERS, branch.path)
    if not branch.is_branch or not branch.is_active:
        raise DomainError(f"{branch.name} không phải chi bộ đang hoạt động.", field="branch")
    if abandoned_activity:
        raise DomainError(
            "Người ra khỏi Đảng vì tự bỏ sinh hoạt đảng thì không xem xét kết nạp lại "
            "(QĐ 294-QĐ/TW, mục 3.5.2).",
            field="abandoned_activity",
        )
    decided_on = _require_date(decided_on, "decided_on", "ngày quyết định kết nạp lại")
    require_text(decision_number, field="decision_number", label="Số quyết định")
    if not decision_number.strip():
        raise DomainError("Cần ghi số quyết định kết nạp lại.", field="decision_number")
    require_text(consent_number, field="consent_number", label="Số văn bản")
    if not consent_number.strip():
        raise DomainError(
            "Cần có văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy (số văn bản) "
            "(QĐ 294-QĐ/TW, mục 3.5.1).",
            field="consent_number",
        )
    consent_on = _require_date(consent_on, "consent_on", "ngày văn bản đồng ý")
    if consent_on > decided_on:
        raise DomainError(
            "Văn bản đồng ý của ban thường vụ phải có trước quyết định kết nạp lại.",
            field="consent_on",
        )
    left_on = member.left_on
    if record_cleared_on is not None:
        _require_date(record_cleared_on, "record_cleared_on", "ngày được xóa án tích")
    earliest, why = earliest_readmission(left_on, record_cleared_on, decided_on)
    if decided_on < earliest:
        raise DomainError(
            f"Chưa đủ {why}: sớm nhất được kết nạp lại từ {earliest:%d/%m/%Y} "
            "(QĐ 294-QĐ/TW, mục 3.5.1).",
            field="decided_on",
        )
    if ceremony_on is not None:
        _require_date(ceremony_on, "ceremony_on", "ngày lễ kết nạp lại")
        if ceremony_on < decided_on:
            raise DomainError("Lễ kết nạp lại trước ngày quyết định.", field="ceremony_on")
    require_text(exception_reason, field="exception_reason", label="Lý do", multiline=True)
    exception_reason = exception_reason.strip()
    if member.status == Status.RESIGNED and not exception_reason:
        raise DomainError(
            "Người đã xin ra khỏi Đảng chỉ được xem xét kết nạp lại khi có lý do chính đáng "
            "(QĐ 294-QĐ/TW, mục 3.5.2): hãy ghi lý do.",
            field="exception_reason",
        )
    outside = _leaving_on_the_timeline(actor, member)
    gap = (decided_on - outside.start).days
    readmission = Readmission.objects.create(
        member=member,
        decided_on=decided_on,
        decision_number=decision_number.strip(),
        decision_body=decision_body.strip(),
        ceremony_on=ceremony_on,
        consent_number=consent_number.strip(),
        consent_on=consent_on,
        record_cleared_on=record_cleared_on,
        branch=branch,
        left_on=left_on,
        left_status=member.status,
        previous_official_on=member.official_on,
        previous_ceremony_on=member.ceremony_on,
        previous_branch=member.branch,
        gap_days=gap,
        exception_reason=exception_reason,
        actor=actor,
    )
    old = {
        "status": member.get_status_display(),
        "left_on": member.left_on,
        "official_on": member.official_on,
        "ceremony_on": member.ceremony_on,
        "branch": member.branch.name,
    }
    member.status = Status.PROBATIONARY
    member.left_on = None
    member.official_on = None
    member.ceremony_on = ceremony_on
    member.readmitted_on = decided_on
    gap_before = member.party_age_gap_days
    member.branch, member.branch_path = branch, branch.path
    member.save()
    versions.bump(member)
    records_changed(member_ids=[member.pk])
    Placement.objects.create(member=member, branch=branch, start=decided_on)
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.READMITTED,
        on=decided_on,
        decision_number=readmission.decision_number,
        decision_body=readmission.decision_body,
        reason=(
            f"Văn bản đồng ý của ban thường vụ số {consent_number.strip()} ngày "
            f"{consent_on:%d/%m/%Y}; {gap} ngày ngoài Đảng không tính tuổi đảng."
        ),
        to_branch=branch,
        actor=actor,
    )
    refresh_gap_days(member)  # the timeline's gaps, this one closed now
    if exception_reason:
        RuleException.unscoped.create(
            rule_key=RESIGNED_RULE,
            target_type=Member._meta.label_lower,
            target_id=member.pk,
            org_path=member.branch_path,
            reason=f"{exception_reason} (kết nạp lại người đã xin ra khỏi Đảng)",
            actor=actor,
        )
    changes = {
        "status": [old["status"], member.get_status_display()],
        "left_on": [old["left_on"], None],
        "readmitted_on": [None, decided_on],
        "party_age_gap_days": [gap_before, member.party_age_gap_days],
    }
    if old["official_on"]:
        changes["official_on"] = [old["official_on"], None]
    if old["ceremony_on"] != ceremony_on:
        changes["ceremony_on"] = [old["ceremony_on"], ceremony_on]
    if old["branch"] != branch.name:
        changes["branch"] = [old["branch"], branch.name]
    audit.record(
        actor,
        "member.readmit",
        member,
        org_path=member.branch_path,
        changes=changes,
        effective_on=decided_on,
        decision_number=readmission.decision_number,
        decision_body=readmission.decision_body,
        reason=exception_reason,
    )
    return readmission


def _leaving_on_the_timeline(actor, member: Member) -> Gap:
    """The period outside the Party the re-admission closes, as the timeline holds it. A
    leaving imported without its event (only `left_on` on the record) gets its event now, so
    that the timeline explains the gap subtracted from party age (members.party_age)."""
    outside = open_gap(member)
    if outside is not None:
        return outside
    kind = LEAVING_EVENT[member.status]
    MemberEvent.objects.create(
        member=member,
        kind=kind,
        on=member.left_on,
        reason="Ghi bổ sung khi kết nạp lại: hồ sơ có ngày ra khỏi Đảng nhưng quá trình chưa có "
        "sự kiện này.",
        actor=actor,
    )
    return Gap(member.left_on, None, kind)


@transaction.atomic
def annul_readmission(actor, readmission: Readmission, reason: str) -> Member:
    """Annul a re-admission recorded by mistake or annulled since: the record goes back to the
    leaving it followed (status, date, official date, branch), the days between count as
    outside the Party again, and the history keeps both, with the reason. Only while the member
    is still in the probation of that re-admission (no later step built on it)."""
    member = Member.unscoped.select_for_update().get(pk=readmission.member_id)
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    readmission = Readmission.objects.select_for_update().get(pk=readmission.pk)
    # The member goes back to the branch they left from: the officer must manage it too.
    require(actor, Capability.MANAGE_MEMBERS, readmission.previous_branch.path)
    if readmission.is_annulled:
        raise DomainError("Quyết định kết nạp lại này đã được hủy.")
    if member.status != Status.PROBATIONARY or member.readmitted_on != readmission.decided_on:
        raise DomainError(
            f"{member.full_name} không còn ở thời gian dự bị của lần kết nạp lại này "
            f"({member.get_status_display()}): hãy hủy các bước sau trước."
        )
    require_reason(reason, "Hãy ghi lý do hủy quyết định kết nạp lại.")
    readmission.annulled_at = timezone.now()
    readmission.annulled_by = actor
    readmission.annul_reason = reason.strip()
    readmission.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
    before = {
        "status": member.get_status_display(),
        "branch": member.branch.name,
        "ceremony_on": member.ceremony_on,
    }
    Placement.objects.filter(
        member=member, branch=readmission.branch, start=readmission.decided_on
    ).delete()
    records_changed(member_ids=[member.pk])
    member.status = readmission.left_status
    member.left_on = readmission.left_on
    member.official_on = readmission.previous_official_on
    member.ceremony_on = readmission.previous_ceremony_on
    member.readmitted_on = (
        member.readmissions.filter(annulled_at__isnull=True)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    member.branch = readmission.previous_branch
    member.branch_path = readmission.previous_branch.path
    member.save()
    versions.bump(member)
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.READMISSION_ANNULLED,
        on=readmission.decided_on,
        decision_number=readmission.decision_number,
        reason=reason.strip(),
        actor=actor,
    )
    refresh_gap_days(member)  # the gap open again: its days no longer subtracted
    audit.record(
        actor,
        "member.readmit_annul",
        member,
        org_path=member.branch_path,
        changes={
            "status": [before["status"], member.get_status_display()],
            "left_on": [None, member.left_on],
            "readmitted_on": [readmission.decided_on, member.readmitted_on],
            "branch": [before["branch"], member.branch.name],
        },
        effective_on=readmission.decided_on,
        reason=reason.strip(),
    )
    return member
