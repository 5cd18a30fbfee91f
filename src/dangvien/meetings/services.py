"""Preparing, holding and closing a meeting (domain-rules §9, domain-briefs §1; Điều lệ Đảng
Điều 24; HD 12-HD/BTCTW 2018).

The checks, each naming its source:
- a members' meeting is held by a branch (monthly: Điều lệ Đảng Điều 24), or by a đảng bộ cơ sở
  or đảng bộ bộ phận (its plenary: QĐ 24 §20); above a base organisation the members do not
  meet as a whole (its congress is one of delegates); a committee meets in any organisation
  but a branch with fewer official members than the rule set's
  `branch_committee_min_official_members` (9: Điều lệ Đảng Điều 21), which elects none;
- the organisation exists on the meeting's day; who chairs and who writes the minutes are among
  its members that day;
- minutes are approved before the meeting closes, once the roll is called, and then stay as
  approved: a correction is a new entry with a reason;
- a resolution is valid when more than half of the members of the body vote for it (Điều lệ
  Đảng Điều 10.3), and no more vote than are present.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core import attachments, audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.meetings import roll as rolls
from dangvien.meetings import tallies
from dangvien.meetings.models import (
    Body,
    Meeting,
    MeetingDocument,
    MinutesCorrection,
    Presence,
    Quality,
    Resolution,
)
from dangvien.members.models import Member
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind
from dangvien.reports.membership import members_on

MEMBER_MEETING_KINDS = frozenset({*BRANCH_KINDS, OrgKind.BASE_COMMITTEE, OrgKind.PARTIAL_COMMITTEE})


@dataclass(frozen=True)
class MeetingPlan:
    """What the secretary prepares: the meeting's day, kind, topic and arrangements."""

    body: str
    kind: str
    on: datetime.date
    topic: str
    agenda: str = ""
    place: str = ""
    online: bool = False
    starts_at: datetime.time | None = None
    chair: Member | None = None
    minutes_writer: Member | None = None


def official_count(org: Organization, day: datetime.date) -> int:
    """The official members of `org`'s subtree on `day`, by the placements."""
    return members_on(org, day, from_placements=True).filter(official_on__lte=day).count()


def plan_refusal(org: Organization, plan: MeetingPlan) -> tuple[str, str]:
    """The first check of the module docstring the plan fails, as (field, why), or ("", "")."""
    if org.founded_on and plan.on < org.founded_on:
        return "on", f"{org.name} thành lập ngày {org.founded_on:%d/%m/%Y}, sau ngày họp."
    if org.ended_on and plan.on > org.ended_on:
        return "on", f"{org.name} đã giải thể ngày {org.ended_on:%d/%m/%Y}, trước ngày họp."
    if plan.body == Body.MEMBERS and org.kind not in MEMBER_MEETING_KINDS:
        return "body", (
            f"{org.name} ({org.get_kind_display().lower()}) không họp toàn thể đảng viên: chỉ "
            "chi bộ, đảng bộ cơ sở, đảng bộ bộ phận họp toàn thể; đại hội cấp trên cơ sở là đại "
            "hội đại biểu. Chọn thành phần «Cấp ủy»."
        )
    if plan.body == Body.COMMITTEE and org.kind in BRANCH_KINDS:
        needed = RuleBook.load().value("branch_committee_min_official_members", plan.on)
        count = official_count(org, plan.on)
        if count < needed:
            return "body", (
                f"{org.name} có {count} đảng viên chính thức ngày {plan.on:%d/%m/%Y}, dưới "
                f"{needed}: chi bộ không bầu chi ủy (Điều lệ Đảng, Điều 21), không có cuộc họp "
                "chi ủy."
            )
    members = members_on(org, plan.on, from_placements=True)
    for field, person in (("chair", plan.chair), ("minutes_writer", plan.minutes_writer)):
        if person is not None and not members.filter(pk=person.pk).exists():
            return field, f"{person.full_name} không sinh hoạt trong {org.name} ngày họp."
    return "", ""


def _check(org: Organization, plan: MeetingPlan) -> None:
    field, why = plan_refusal(org, plan)
    if why:
        raise DomainError(why, field=field)


def prepare_meeting(actor, org: Organization, plan: MeetingPlan) -> Meeting:
    """A meeting prepared ahead; the members see it once it is published."""
    require(actor, Capability.MANAGE_MEMBERS, org.path)
    _check(org, plan)
    with transaction.atomic():
        meeting = Meeting.unscoped.create(
            organization=org,
            org_path=org.path,
            created_by=audit.acting_user(actor),
            **plan.__dict__,
        )
        audit.record(
            actor,
            "meeting.prepare",
            meeting,
            org_path=org.path,
            changes={"meeting": ["", str(meeting)]},
            effective_on=plan.on,
        )
    return meeting


def _open(meeting: Meeting) -> Meeting:
    """The meeting locked for a change that needs it live and not closed."""
    meeting = Meeting.unscoped.select_for_update().select_related("organization").get(pk=meeting.pk)
    if not meeting.is_live:
        raise DomainError("Cuộc họp đã hoãn hoặc đã hủy.")
    if meeting.is_closed:
        raise DomainError(
            "Biên bản đã thông qua, cuộc họp đã kết thúc: sửa bằng đính chính biên bản."
        )
    return meeting


def update_meeting(
    actor, meeting: Meeting, plan: MeetingPlan, *, expected_version: str | None = None
) -> Meeting:
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    with transaction.atomic():
        versions.check(meeting, expected_version, label="Cuộc họp")
        meeting = _open(meeting)
        _check(meeting.organization, plan)
        if meeting.held_at and plan.on != meeting.on:
            raise DomainError("Đã điểm danh: không đổi ngày họp.", field="on")
        if meeting.held_at and plan.body != meeting.body:
            raise DomainError("Đã điểm danh: không đổi thành phần cuộc họp.", field="body")
        if plan.on != meeting.on:  # the excuses sent for it follow the meeting to its new day
            meeting.attendance.update(on=plan.on)
        changes = {}
        for name, value in plan.__dict__.items():
            old = getattr(meeting, name)
            if old != value:
                changes[name] = [str(old or ""), str(value or "")]
                setattr(meeting, name, value)
        if changes:
            meeting.save()
            versions.bump(meeting)
            tallies.recount_meeting(meeting)
            audit.record(
                actor, "meeting.update", meeting, org_path=meeting.org_path, changes=changes
            )
    return meeting


def publish(actor, meeting: Meeting) -> Meeting:
    """Tell the members: the meeting appears on their page with its documents."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    with transaction.atomic():
        meeting = _open(meeting)
        if meeting.published_at is None:
            meeting.published_at = timezone.now()
            meeting.save(update_fields=["published_at", "updated_at"])
            versions.bump(meeting)
            audit.record(actor, "meeting.publish", meeting, org_path=meeting.org_path)
    return meeting


def grade(score: int, on: datetime.date) -> str:
    """The quality band of a score out of 100, by the rule set in force on the meeting's day
    (HD 12-HD/BTCTW 2018; bands: domain-briefs §1, configurable)."""
    rules = RuleBook.load()
    for key, quality in (
        ("meeting_quality_good_min_score", Quality.GOOD),
        ("meeting_quality_fair_min_score", Quality.FAIR),
        ("meeting_quality_average_min_score", Quality.AVERAGE),
    ):
        if score >= rules.value(key, on):
            return quality
    return Quality.POOR


@dataclass(frozen=True)
class Minutes:
    text: str
    ideology: str = ""
    quality_score: int | None = None


def save_minutes(
    actor, meeting: Meeting, minutes: Minutes, *, expected_version: str | None = None
) -> Meeting:
    """The minutes as the secretary writes them during the meeting, the month's assessment of
    the members' thinking, the meeting's score; until they are approved."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    if minutes.quality_score is not None and not 0 <= minutes.quality_score <= 100:
        raise DomainError("Điểm chất lượng từ 0 đến 100.", field="quality_score")
    with transaction.atomic():
        versions.check(meeting, expected_version, label="Biên bản")
        meeting = _open(meeting)
        if meeting.held_at is None:
            raise DomainError("Điểm danh trước khi ghi biên bản.", field="text")
        quality = "" if minutes.quality_score is None else grade(minutes.quality_score, meeting.on)
        new = {
            "minutes": minutes.text.strip(),
            "ideology": minutes.ideology.strip(),
            "quality_score": minutes.quality_score,
            "quality": quality,
        }
        changes = {k: [getattr(meeting, k), v] for k, v in new.items() if getattr(meeting, k) != v}
        if changes:
            for name, value in new.items():
                setattr(meeting, name, value)
            meeting.save()
            versions.bump(meeting)
            audit.record(
                actor,
                "meeting.minutes",
                meeting,
                org_path=meeting.org_path,
                changes={k: [str(o or ""), str(n or "")] for k, (o, n) in changes.items()},
            )
    return meeting


def approval_refusal(meeting: Meeting) -> str:
    if meeting.held_at is None:
        return "Chưa điểm danh: cuộc họp chưa diễn ra."
    if not meeting.minutes.strip():
        return "Biên bản chưa có nội dung."
    if not rolls.roll_complete(meeting):
        return "Còn đảng viên chưa điểm danh: điểm danh đủ rồi thông qua biên bản."
    return ""


def approve_minutes(actor, meeting: Meeting, *, expected_version: str | None = None) -> Meeting:
    """The minutes, read back and approved before the meeting closes (domain-rules §9), are
    fixed from now on."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    with transaction.atomic():
        versions.check(meeting, expected_version, label="Biên bản")
        meeting = _open(meeting)
        why = approval_refusal(meeting)
        if why:
            raise DomainError(why)
        meeting.minutes_approved_at = timezone.now()
        meeting.minutes_approved_by = audit.acting_user(actor)
        meeting.save()
        versions.bump(meeting)
        tallies.recount_meetings(meeting.organization_id, meeting.on.year)
        audit.record(
            actor,
            "meeting.approve",
            meeting,
            org_path=meeting.org_path,
            changes={"minutes": ["", meeting.minutes]},
            effective_on=meeting.on,
        )
    return meeting


def correct_minutes(actor, meeting: Meeting, text: str, reason: str) -> MinutesCorrection:
    """A correction of approved minutes, kept after them (the approved text is not changed)."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    reason = require_reason(reason, "Đính chính biên bản thì ghi lý do.")
    if not text.strip():
        raise DomainError("Ghi nội dung đính chính.", field="text")
    with transaction.atomic():
        meeting = Meeting.unscoped.select_for_update().get(pk=meeting.pk)
        if not meeting.is_closed:
            raise DomainError("Biên bản chưa thông qua: sửa trực tiếp biên bản.")
        correction = MinutesCorrection.objects.create(
            meeting=meeting, text=text.strip(), reason=reason, created_by=audit.acting_user(actor)
        )
        versions.bump(meeting)
        audit.record(
            actor,
            "meeting.correct",
            meeting,
            org_path=meeting.org_path,
            changes={"correction": ["", text.strip()]},
            reason=reason,
        )
    return correction


def cancel_meeting(actor, meeting: Meeting, reason: str) -> Meeting:
    """A meeting that will not take place (postponed, called off): kept, with why; the month
    still needs its meeting."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    reason = require_reason(reason, "Hoãn cuộc họp thì ghi lý do.")
    with transaction.atomic():
        meeting = _open(meeting)
        if meeting.held_at is not None:
            raise DomainError("Cuộc họp đã điểm danh, đã diễn ra: không hoãn được.")
        meeting.cancelled_at = timezone.now()
        meeting.cancelled_by = audit.acting_user(actor)
        meeting.cancel_reason = reason
        meeting.save()
        versions.bump(meeting)
        audit.record(actor, "meeting.cancel", meeting, org_path=meeting.org_path, reason=reason)
    return meeting


# A record set aside (annulled by mistake, withdrawn): when, by whom, why.
ASIDE = {
    "annulled": ("annulled_at", "annulled_by", "annul_reason"),
    "removed": ("removed_at", "removed_by", "remove_reason"),
}


def _set_aside(model, pk: int, actor, reason: str, how: str, already: str):
    """Set one record aside (ASIDE[how]) on its row locked, refused when it already is."""
    at, by, why = ASIDE[how]
    record = model._base_manager.select_for_update().get(pk=pk)
    if getattr(record, at) is not None:
        raise DomainError(already)
    setattr(record, at, timezone.now())
    setattr(record, by, audit.acting_user(actor))
    setattr(record, why, reason)
    record.save()
    return record


def annul_meeting(actor, meeting: Meeting, reason: str) -> Meeting:
    """A meeting recorded by mistake: kept with who, when and why, counted nowhere."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    reason = require_reason(reason, "Hủy cuộc họp ghi nhầm thì ghi lý do.")
    with transaction.atomic():
        meeting = _set_aside(Meeting, meeting.pk, actor, reason, "annulled", "Cuộc họp đã hủy.")
        versions.bump(meeting)
        tallies.recount_meeting(meeting)
        audit.record(actor, "meeting.annul", meeting, org_path=meeting.org_path, reason=reason)
    return meeting


def attach_document(actor, meeting: Meeting, name: str, content: bytes) -> MeetingDocument:
    """A document for the meeting (PDF, Word, image; core.attachments checks it)."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    kept = attachments.accept(name, content)
    with transaction.atomic():
        meeting = Meeting.unscoped.select_for_update().get(pk=meeting.pk)
        if not meeting.is_live:
            raise DomainError("Cuộc họp đã hoãn hoặc đã hủy.", field="file")
        document = MeetingDocument.objects.create(
            meeting=meeting,
            name=kept.name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
            content=kept.content,
            created_by=audit.acting_user(actor),
        )
        audit.record(
            actor,
            "meeting.document",
            meeting,
            org_path=meeting.org_path,
            changes={"document": ["", f"{kept.name} ({kept.size:,} byte)".replace(",", ".")]},
        )
    return document


def remove_document(actor, document: MeetingDocument, reason: str) -> MeetingDocument:
    """A document withdrawn: no longer offered, kept with who and why."""
    meeting = document.meeting
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    reason = require_reason(reason, "Gỡ tài liệu thì ghi lý do.")
    with transaction.atomic():
        document = _set_aside(
            MeetingDocument, document.pk, actor, reason, "removed", "Tài liệu đã được gỡ."
        )
        audit.record(
            actor,
            "meeting.document_remove",
            meeting,
            org_path=meeting.org_path,
            changes={"document": [document.name, ""]},
            reason=reason,
        )
    return document


@dataclass(frozen=True)
class Vote:
    number: str
    title: str
    content: str
    votes_for: int
    votes_against: int = 0
    votes_abstain: int = 0


def voters(meeting: Meeting) -> tuple[int, int]:
    """(members entitled to vote, those of them present). For a members' meeting: the official
    members of the organisation on the day (probationary members do not vote: Điều lệ Đảng Điều
    5), less those active elsewhere for a while and those exempted from activities who are not
    present; members hosted here vote at home (QĐ 45-QĐ/TW 2007 §16.3a, kept by QĐ 24-QĐ/TW
    2021, domain-rules §9). For a committee's: its members marked on the roll (the committee's
    composition comes with issue 16)."""
    rows = [row for row in rolls.roll(meeting) if row.status != Presence.AWAY]
    if meeting.body == Body.COMMITTEE:
        counted = [row for row in rows if row.attendance is not None]
    else:
        day = meeting.on
        counted = [
            row
            for row in rows
            if not row.hosted
            and row.member.official_on is not None
            and row.member.official_on <= day
            and (row.status != Presence.EXEMPT)
        ]
    present = sum(row.status == Presence.PRESENT for row in counted)
    return len(counted), present


def record_resolution(actor, meeting: Meeting, vote: Vote) -> Resolution:
    """A resolution voted at the meeting, for the resolution book (Điều lệ Đảng Điều 10.3)."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    if not vote.title.strip():
        raise DomainError("Ghi trích yếu nghị quyết.", field="title")
    if not vote.content.strip():
        raise DomainError("Ghi nội dung nghị quyết.", field="content")
    with transaction.atomic():
        meeting = _open(meeting)
        if meeting.held_at is None:
            raise DomainError("Cuộc họp chưa diễn ra (chưa điểm danh).")
        members, present = voters(meeting)
        voted = vote.votes_for + vote.votes_against + vote.votes_abstain
        if voted > present:
            raise DomainError(
                f"Số biểu quyết ({voted}) nhiều hơn số đảng viên chính thức có mặt được biểu "
                f"quyết ({present}).",
                field="votes_for",
            )
        resolution = Resolution.objects.create(
            meeting=meeting,
            number=vote.number.strip(),
            title=vote.title.strip(),
            content=vote.content.strip(),
            members_entitled=members,
            votes_for=vote.votes_for,
            votes_against=vote.votes_against,
            votes_abstain=vote.votes_abstain,
            passed=vote.votes_for * 2 > members,
            created_by=audit.acting_user(actor),
        )
        audit.record(
            actor,
            "meeting.resolution",
            meeting,
            org_path=meeting.org_path,
            changes={
                "resolution": ["", resolution.title],
                "votes": ["", f"{vote.votes_for}/{members} tán thành"],
            },
            effective_on=meeting.on,
        )
    return resolution


def annul_resolution(actor, resolution: Resolution, reason: str) -> Resolution:
    meeting = resolution.meeting
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    reason = require_reason(reason, "Hủy nghị quyết ghi nhầm thì ghi lý do.")
    with transaction.atomic():
        resolution = _set_aside(
            Resolution, resolution.pk, actor, reason, "annulled", "Nghị quyết đã hủy."
        )
        audit.record(
            actor,
            "meeting.resolution_annul",
            meeting,
            org_path=meeting.org_path,
            changes={"resolution": [resolution.title, ""]},
            reason=reason,
        )
    return resolution
