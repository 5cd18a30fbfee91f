"""The official members who help a candidate and write their introduction letters (3-KNĐ):
assigned, replaced or removed, and the letter's date recorded or corrected, each with its
reason where it undoes what was recorded, and only before the branch votes (what the branch
checked when it voted stays as it was)."""

import datetime

from django.db import transaction

from dangvien.admissions.candidates.services import (
    file_stage,
    locked_open,
    require_before_vote,
)
from dangvien.admissions.models import Candidate, Introducer, Stage
from dangvien.admissions.rules import introducer_problem
from dangvien.admissions.shared.services import require_day
from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can
from dangvien.core.validation import require_reason
from dangvien.members.models import Member, Status

# Each member writes one letter; a file needs two (or one and the Youth Union's resolution).
INTRODUCERS_PER_CANDIDATE = 2


def _official_on(member: Member, day: datetime.date) -> bool:
    return (
        member.status == Status.OFFICIAL
        and member.official_on is not None
        and member.official_on <= day
    )


def _label(member: Member) -> str:
    return f"{member.full_name} ({member.code})"


def _letter(member: Member, on: datetime.date | None) -> str | None:
    """A letter as the history shows it: "Nguyễn Văn An: 15/03/2026"."""
    return f"{member.full_name}: {on:%d/%m/%Y}" if on else None


def _check_helper(
    actor,
    candidate: Candidate,
    member: Member,
    assigned_on: datetime.date,
    together_since: datetime.date,
) -> None:
    """Who may be assigned to help: an official member the actor sees, not helping already."""
    if not can(actor, Capability.VIEW, member.branch_path):
        raise DomainError("Đảng viên này không thuộc phạm vi bạn quản lý.", field="member")
    require_day(assigned_on, "ngày phân công", field="assigned_on")
    require_day(together_since, "ngày bắt đầu cùng công tác", field="together_since")
    if not _official_on(member, assigned_on):
        raise DomainError(
            f"{member.full_name} là {member.get_status_display().lower()}, không phải đảng viên "
            "chính thức: chỉ đảng viên chính thức được phân công giúp đỡ và giới thiệu người vào "
            "Đảng.",
            field="member",
        )
    if candidate.introducers.filter(member=member).exists():
        raise DomainError(f"{member.full_name} đã được phân công giúp đỡ.", field="member")


@transaction.atomic
def assign_introducer(
    actor,
    candidate: Candidate,
    member: Member,
    *,
    assigned_on: datetime.date,
    together_since: datetime.date,
) -> Introducer:
    """The branch assigns an official member to help the candidate (and later introduce them)."""
    candidate = locked_open(actor, candidate)
    require_before_vote(candidate, "người giới thiệu")
    _check_helper(actor, candidate, member, assigned_on, together_since)
    if candidate.introducers.count() >= INTRODUCERS_PER_CANDIDATE:
        raise DomainError(
            "Mỗi người vào Đảng có hai đảng viên giới thiệu. Để đổi người, dùng «Thay người…» "
            "hoặc «Bỏ phân công…» ở người đang được phân công.",
            field="member",
        )
    introducer = Introducer.objects.create(
        candidate=candidate,
        member=member,
        assigned_on=assigned_on,
        together_since=together_since,
    )
    audit.record(
        actor,
        "candidate.introducer",
        candidate,
        org_path=candidate.org_path,
        changes={"introducer": [None, _label(member)]},
        effective_on=assigned_on,
    )
    return introducer


def _locked(actor, introducer: Introducer) -> tuple[Candidate, Introducer]:
    """The candidate (open, locked) and the introducer row as stored now: a page may have been
    loaded before someone else replaced or removed this helper."""
    candidate = locked_open(actor, introducer.candidate)
    stored = (
        Introducer.objects.select_for_update()
        .select_related("member")
        .filter(pk=introducer.pk, candidate=candidate)
        .first()
    )
    if stored is None:
        raise DomainError(
            f"Đảng viên này không còn được phân công giúp đỡ {candidate.full_name}: hãy mở lại "
            "trang hồ sơ."
        )
    return candidate, stored


def _check_letter(member: Member, introducer: Introducer, on: datetime.date) -> None:
    """The letter's writer is official on its date and has been beside the applicant for 12
    months (Điều lệ Đảng, Điều 4)."""
    require_day(on, "ngày viết giấy giới thiệu", field="introduced_on")
    problem = introducer_problem(
        name=member.full_name,
        status_on_letter=member.status if _official_on(member, on) else "not_official",
        official_on=member.official_on,
        together_since=introducer.together_since,
        letter_on=on,
        rules=RuleBook.load(),
    )
    if problem:
        raise DomainError(problem, field="introduced_on")


@transaction.atomic
def record_introduction(actor, introducer: Introducer, *, on: datetime.date) -> Introducer:
    """The helper writes the introduction letter (3-KNĐ): official on that day, ≥ 12 months
    beside the applicant (Điều lệ Đảng, Điều 4). A letter already recorded is corrected with a
    reason (`correct_introduction_date`), not written over."""
    candidate, introducer = _locked(actor, introducer)
    require_before_vote(candidate, "giấy giới thiệu")
    member = introducer.member
    if introducer.introduced_on is not None:
        raise DomainError(
            f"Giấy giới thiệu của {member.full_name} đã ghi ngày "
            f"{introducer.introduced_on:%d/%m/%Y}: sửa ngày bằng «Sửa ngày giấy giới thiệu», "
            "có lý do.",
            field="introduced_on",
        )
    _check_letter(member, introducer, on)
    introducer.introduced_on = on
    introducer.save(update_fields=["introduced_on"])
    if candidate.stage in (Stage.POOL, Stage.SYMPATHISER):
        candidate.stage = Stage.FILE
        candidate.save(update_fields=["stage", "updated_at"])
    audit.record(
        actor,
        "candidate.introduction",
        candidate,
        org_path=candidate.org_path,
        changes={"introduction": [None, _letter(member, on)]},
        effective_on=on,
    )
    return introducer


@transaction.atomic
def correct_introduction_date(
    actor, introducer: Introducer, *, on: datetime.date, reason: str
) -> Introducer:
    """Correct the date of a letter recorded wrong, before the branch votes, with the reason;
    the new date is checked as the letter was (official, 12 months beside the applicant)."""
    candidate, introducer = _locked(actor, introducer)
    require_before_vote(candidate, "ngày giấy giới thiệu")
    member = introducer.member
    old = introducer.introduced_on
    if old is None:
        raise DomainError(
            f"Chưa có giấy giới thiệu của {member.full_name} để sửa: hãy ghi nhận giấy giới "
            "thiệu trên trang hồ sơ."
        )
    reason = require_reason(reason, "Cần ghi lý do sửa ngày giấy giới thiệu.")
    if on == old:
        raise DomainError(
            f"Giấy giới thiệu đã ghi ngày {old:%d/%m/%Y}: hãy ghi ngày đúng.",
            field="introduced_on",
        )
    _check_letter(member, introducer, on)
    introducer.introduced_on = on
    introducer.save(update_fields=["introduced_on"])
    audit.record(
        actor,
        "candidate.introduction_correct",
        candidate,
        org_path=candidate.org_path,
        changes={"introduction": [_letter(member, old), _letter(member, on)]},
        effective_on=on,
        reason=reason,
    )
    return introducer


def _release(candidate: Candidate, introducer: Introducer) -> dict:
    """Take a helper off the file: their letter no longer counts; a file left with nothing in
    it goes back to the stage its content holds. Returns the history's changes."""
    member = introducer.member
    changes = {"introducer": [_label(member), None]}
    if introducer.introduced_on:
        changes["introduction"] = [_letter(member, introducer.introduced_on), None]
    introducer.delete()
    stage = file_stage(candidate)
    if candidate.stage == Stage.FILE and stage != Stage.FILE:
        changes["stage"] = [Stage.FILE.label, Stage(stage).label]
        candidate.stage = stage
        candidate.save(update_fields=["stage", "updated_at"])
    return changes


@transaction.atomic
def remove_introducer(actor, introducer: Introducer, *, reason: str) -> Candidate:
    """Take off a member assigned by mistake (or who can no longer help), before the branch
    votes, with the reason; their letter goes with them, the history keeps both."""
    candidate, introducer = _locked(actor, introducer)
    require_before_vote(candidate, "người giới thiệu")
    reason = require_reason(reason, "Cần ghi lý do bỏ phân công.")
    changes = _release(candidate, introducer)
    audit.record(
        actor,
        "candidate.introducer_remove",
        candidate,
        org_path=candidate.org_path,
        changes=changes,
        reason=reason,
    )
    return candidate


@transaction.atomic
def replace_introducer(
    actor,
    introducer: Introducer,
    member: Member,
    *,
    assigned_on: datetime.date,
    together_since: datetime.date,
    reason: str,
) -> Introducer:
    """Another official member helps the candidate in place of this one, before the branch
    votes, with the reason; the new helper writes their own letter after 12 months beside the
    applicant (Điều lệ Đảng, Điều 4)."""
    candidate, introducer = _locked(actor, introducer)
    require_before_vote(candidate, "người giới thiệu")
    old = introducer.member
    if member.pk == old.pk:
        raise DomainError(
            f"{old.full_name} là người đang được thay: hãy chọn đảng viên khác.", field="member"
        )
    _check_helper(actor, candidate, member, assigned_on, together_since)
    reason = require_reason(reason, "Cần ghi lý do thay người giúp đỡ.")
    changes = _release(candidate, introducer)
    changes["introducer"] = [_label(old), _label(member)]
    replacement = Introducer.objects.create(
        candidate=candidate,
        member=member,
        assigned_on=assigned_on,
        together_since=together_since,
    )
    audit.record(
        actor,
        "candidate.introducer_replace",
        candidate,
        org_path=candidate.org_path,
        changes=changes,
        effective_on=assigned_on,
        reason=reason,
    )
    return replacement
