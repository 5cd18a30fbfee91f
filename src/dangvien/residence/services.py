"""Introducing a working member to their residence branch, and recording the branch's yearly
comment (QĐ 213-QĐ/TW, HD 33-HD/BTCTW; domain-rules §8). The workplace's officers and branch
secretaries (who manage the member) write them; each write is audited, an edit carries the
version it read, nothing is deleted."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.members.models import Member
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.residence.models import (
    Category,
    Channel,
    ResidenceComment,
    ResidenceLink,
    Result,
)
from dangvien.residence.selectors import link_in_force


@dataclass(frozen=True)
class Introduction:
    """Where the member is introduced (a branch of the system, or one outside it named in
    text with its commune or ward committee), from when, by which letter, in which category."""

    category: str
    introduced_on: datetime.date
    residence_org: Organization | None = None
    outside_name: str = ""
    outside_committee: str = ""
    letter_number: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Comment:
    """What the residence branch sent for `year`."""

    year: int
    result: str
    commented_on: datetime.date
    received_on: datetime.date
    channel: str
    portal_reference: str = ""
    content: str = ""


def _manages(actor, path: str) -> None:
    """A user changes only members they manage; no actor is the command line (an import),
    acting on all organisations."""
    if actor is not None:
        require(actor, Capability.MANAGE_MEMBERS, path)


def _decides(actor, path: str) -> None:
    """What the workplace base committee decides, not the branch (HD 33-HD/BTCTW: it introduces
    the member and decides the exempt categories): an officer managing organisations there."""
    if actor is not None:
        require(actor, Capability.MANAGE_ORGS, path)


def _past(day: datetime.date | None, field: str, label: str) -> None:
    if day is None:
        raise DomainError(f"Ghi {label}.", field=field)
    if day > timezone.localdate():
        raise DomainError(
            f"{label[:1].upper()}{label[1:]} {day:%d/%m/%Y} ở tương lai.", field=field
        )


def _check_introduction(member: Member, intro: Introduction) -> None:
    if intro.category not in Category.values:
        raise DomainError("Diện không hợp lệ.", field="category")
    _past(intro.introduced_on, "introduced_on", "ngày giới thiệu")
    if intro.introduced_on < member.admitted_on:
        raise DomainError(
            f"Ngày giới thiệu trước ngày vào Đảng ({member.admitted_on:%d/%m/%Y}).",
            field="introduced_on",
        )
    for field, label in (
        ("outside_name", "Chi bộ nơi cư trú"),
        ("outside_committee", "Đảng ủy nơi cư trú"),
        ("letter_number", "Số giấy giới thiệu"),
    ):
        require_text(getattr(intro, field), field=field, label=label)
    if intro.category == Category.NOT_INTRODUCED:
        if intro.residence_org is not None or intro.outside_name.strip():
            raise DomainError(
                "Đảng viên miễn giới thiệu thì không ghi chi bộ nơi cư trú.", field="residence_org"
            )
    elif (intro.residence_org is None) == (not intro.outside_name.strip()):
        raise DomainError(
            "Ghi chi bộ nơi cư trú: chọn một chi bộ trong hệ thống, hoặc ghi tên chi bộ ngoài "
            "hệ thống (không cả hai).",
            field="residence_org",
        )
    org = intro.residence_org
    if org is not None:
        if org.kind not in BRANCH_KINDS or not org.is_active:
            raise DomainError(
                f"{org.name} không phải một chi bộ đang hoạt động.", field="residence_org"
            )
        if org.pk == member.branch_id:
            raise DomainError(
                "Chi bộ nơi cư trú trùng chi bộ đảng viên đang sinh hoạt.", field="residence_org"
            )
    if intro.category != Category.REQUIRED and not intro.reason.strip():
        raise DomainError(
            "Ghi lý do miễn (Hướng dẫn 33-HD/BTCTW: quân đội, công an ở doanh trại, đi công "
            "tác lưu động, học tập trung, nhiệm vụ đặc biệt …).",
            field="reason",
        )


@transaction.atomic
def introduce(actor, member: Member, intro: Introduction, *, reason: str = "") -> ResidenceLink:
    """Record the member's residence link; the link in force before it ends on the new one's
    day (a move, a new category), kept in the history. An exempt category is the base
    committee's decision (HD 33-HD/BTCTW)."""
    _manages(actor, member.branch_path)
    if intro.category != Category.REQUIRED:
        _decides(actor, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    if not member.is_active:
        raise DomainError(f"{member.full_name} không còn sinh hoạt đảng.")
    _check_introduction(member, intro)
    previous = ResidenceLink.unscoped.filter(member=member, ended_on__isnull=True).first()
    if previous is not None:
        if intro.introduced_on < previous.introduced_on:
            raise DomainError(
                f"Ngày giới thiệu trước ngày của lần giới thiệu đang có hiệu lực "
                f"({previous.introduced_on:%d/%m/%Y}).",
                field="introduced_on",
            )
        _end(actor, previous, intro.introduced_on, "Giới thiệu lại (nơi cư trú, diện mới).")
    link = ResidenceLink.unscoped.create(
        member=member,
        residence_org=intro.residence_org,
        outside_name=intro.outside_name.strip(),
        outside_committee=intro.outside_committee.strip(),
        introduced_on=intro.introduced_on,
        letter_number=intro.letter_number.strip(),
        category=intro.category,
        reason=intro.reason.strip(),
        created_by=audit.acting_user(actor),
    )
    audit.record(
        actor,
        "residence.link",
        member,
        org_path=member.branch_path,
        changes={"residence": [None, str(link)]},
        effective_on=intro.introduced_on,
        decision_number=link.letter_number,
        reason=reason or link.reason,
    )
    return link


def _end(actor, link: ResidenceLink, ended_on: datetime.date, reason: str) -> None:
    link.ended_on, link.end_reason = ended_on, reason
    link.save(update_fields=["ended_on", "end_reason", "updated_at"])
    versions.bump(link)
    audit.record(
        actor,
        "residence.link_end",
        link.member,
        org_path=link.member.branch_path,
        changes={"residence": [str(link), None]},
        effective_on=ended_on,
        reason=reason,
    )


@transaction.atomic
def end_link(
    actor,
    link: ResidenceLink,
    *,
    ended_on: datetime.date,
    reason: str,
    expected_version: str | None = None,
) -> ResidenceLink:
    """The link stops (the member retired, moved to their residence branch …): kept. The base
    committee's decision (HD 33-HD/BTCTW)."""
    _decides(actor, link.member.branch_path)
    versions.check(link, expected_version, label="Giới thiệu về nơi cư trú")
    link = ResidenceLink.unscoped.select_for_update().select_related("member").get(pk=link.pk)
    if link.ended_on is not None:
        raise DomainError(f"Đã kết thúc từ {link.ended_on:%d/%m/%Y}.")
    _past(ended_on, "ended_on", "ngày kết thúc")
    if ended_on < link.introduced_on:
        raise DomainError("Ngày kết thúc trước ngày giới thiệu.", field="ended_on")
    _end(actor, link, ended_on, require_reason(reason, "Ghi lý do kết thúc."))
    return link


def _check_comment(member: Member, comment: Comment) -> None:
    today = timezone.localdate()
    if comment.result not in Result.values:
        raise DomainError("Kết quả không hợp lệ.", field="result")
    if comment.channel not in Channel.values:
        raise DomainError("Hình thức không hợp lệ.", field="channel")
    if not member.admitted_on.year <= comment.year <= today.year:
        raise DomainError(
            f"Năm {comment.year} không hợp lệ: từ năm vào Đảng ({member.admitted_on.year}) "
            f"đến năm nay.",
            field="year",
        )
    _past(comment.commented_on, "commented_on", "ngày nhận xét")
    _past(comment.received_on, "received_on", "ngày nhận")
    if comment.commented_on.year < comment.year:
        raise DomainError(
            f"Ngày nhận xét {comment.commented_on:%d/%m/%Y} trước năm {comment.year}.",
            field="commented_on",
        )
    if comment.received_on < comment.commented_on:
        raise DomainError("Ngày nhận trước ngày nhận xét.", field="received_on")
    require_text(comment.portal_reference, field="portal_reference", label="Mã hồ sơ")
    require_text(comment.content, field="content", label="Nội dung", multiline=True)
    # Since late 2025 the comment may come through the national public-service portal: its
    # file reference is what proves it (domain-rules §8, Dec 2025 guide).
    if comment.channel == Channel.PORTAL and not comment.portal_reference.strip():
        raise DomainError(
            "Nhận xét qua Cổng Dịch vụ công quốc gia: ghi mã hồ sơ trên Cổng.",
            field="portal_reference",
        )
    if comment.channel == Channel.PAPER and comment.portal_reference.strip():
        raise DomainError(
            "Mã hồ sơ chỉ ghi khi nhận xét qua Cổng Dịch vụ công quốc gia.",
            field="portal_reference",
        )


def _link_for(member: Member, comment: Comment) -> ResidenceLink:
    """The residence branch that commented: the link in force in the year commented on (on the
    comment's day, or at the year's end for a comment written in the January after), else the
    one in force on the comment's day."""
    link = link_in_force(
        member, min(datetime.date(comment.year, 12, 31), comment.commented_on)
    ) or link_in_force(member, comment.commented_on)
    if link is None:
        raise DomainError(
            f"{member.full_name} chưa được giới thiệu về chi bộ nơi cư trú vào ngày "
            f"{comment.commented_on:%d/%m/%Y}: ghi giới thiệu trước.",
            field="commented_on",
        )
    if link.category == Category.NOT_INTRODUCED:
        raise DomainError(
            f"{member.full_name} được miễn giới thiệu về nơi cư trú: không có chi bộ nơi cư trú "
            "nhận xét.",
            field="commented_on",
        )
    return link


def _values(comment: Comment) -> dict:
    return {
        "year": comment.year,
        "result": comment.result,
        "content": comment.content.strip(),
        "commented_on": comment.commented_on,
        "received_on": comment.received_on,
        "channel": comment.channel,
        "portal_reference": comment.portal_reference.strip(),
    }


@transaction.atomic
def record_comment(
    actor, member: Member, comment: Comment, *, reason: str = ""
) -> ResidenceComment:
    """Record the residence branch's comment for a year: one in force a year and member."""
    _manages(actor, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    _check_comment(member, comment)
    link = _link_for(member, comment)
    if ResidenceComment.unscoped.filter(
        member=member, year=comment.year, annulled_at__isnull=True
    ).exists():
        raise DomainError(
            f"Đã có nhận xét năm {comment.year}: sửa nhận xét đó, hoặc thu hồi rồi ghi lại.",
            field="year",
        )
    record = ResidenceComment.unscoped.create(
        member=member,
        link=link,
        created_by=audit.acting_user(actor),
        **_values(comment),
    )
    audit.record(
        actor,
        "residence.comment",
        member,
        org_path=member.branch_path,
        changes={f"residence_comment_{comment.year}": [None, record.get_result_display()]},
        effective_on=comment.commented_on,
        decision_number=record.portal_reference,
        decision_body=link.residence_label,
        reason=reason,
    )
    return record


def _locked(actor, record: ResidenceComment) -> ResidenceComment:
    _manages(actor, record.member.branch_path)
    record = (
        ResidenceComment.unscoped.select_for_update().select_related("member").get(pk=record.pk)
    )
    if record.annulled_at is not None:
        raise DomainError(f"Nhận xét năm {record.year} đã được thu hồi.")
    return record


@transaction.atomic
def correct_comment(
    actor,
    record: ResidenceComment,
    comment: Comment,
    *,
    reason: str,
    expected_version: str | None = None,
) -> ResidenceComment:
    """Correct a comment recorded wrong (the year is kept: a comment for another year is
    withdrawn and recorded again), with the reason, on the version the user read."""
    versions.check(record, expected_version, label="Nhận xét nơi cư trú")
    record = _locked(actor, record)
    if comment.year != record.year:
        raise DomainError(
            "Không đổi năm của nhận xét: thu hồi rồi ghi nhận xét của năm đúng.", field="year"
        )
    _check_comment(record.member, comment)
    reason = require_reason(reason, "Ghi lý do sửa.")
    changes = {}
    for name, value in _values(comment).items():
        old = getattr(record, name)
        if old != value:
            changes[name] = [old, value]
            setattr(record, name, value)
    if not changes:
        raise DomainError("Không có gì thay đổi.")
    record.save()
    versions.bump(record)
    audit.record(
        actor,
        "residence.comment_correct",
        record,
        org_path=record.member.branch_path,
        changes=changes,
        reason=reason,
    )
    return record


@transaction.atomic
def withdraw_comment(
    actor, record: ResidenceComment, *, reason: str, expected_version: str | None = None
) -> ResidenceComment:
    """Withdraw a comment (recorded by mistake, sent back by the residence branch): kept,
    marked, no longer counted; the year's comment is missing again until one is recorded.
    Only the base committee's officers: a branch cannot drop a comment before the grading."""
    _decides(actor, record.member.branch_path)
    versions.check(record, expected_version, label="Nhận xét nơi cư trú")
    record = _locked(actor, record)
    reason = require_reason(reason, "Ghi lý do thu hồi.")
    record.annulled_at, record.annulled_by = timezone.now(), audit.acting_user(actor)
    record.annul_reason = reason
    record.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "updated_at"])
    versions.bump(record)
    audit.record(
        actor,
        "residence.comment_withdraw",
        record,
        org_path=record.member.branch_path,
        changes={f"residence_comment_{record.year}": [record.get_result_display(), None]},
        reason=reason,
    )
    return record
