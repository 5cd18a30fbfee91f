"""Recording who holds which post in a term (domain-briefs §13, domain-rules §1).

The checks, each naming its source (a term: committees.terms):
- a post belongs to its body (`models.BODY_POSTS`: Điều lệ Đảng, Điều 12, 17, 30); a branch and a
  đảng bộ bộ phận have no standing or inspection committee (Điều 30: an inspection committee is
  elected from the base committee upward; a standing committee by a committee from the base
  level upward);
- a seat goes to a member of the organisation's subtree on the day of the election, by the
  placements (the congress or the committee elects from its own members: Điều lệ Đảng, Điều 9,
  12), within the term;
- a branch with fewer official members than the rule set's
  `branch_committee_min_official_members` (9) elects no chi ủy, only a secretary and a deputy if
  needed (Điều lệ Đảng, Điều 24; domain-rules §1);
- an organisation has one secretary on any day (Điều lệ Đảng, Điều 12.2: the committee elects
  the secretary); a member holds one post on a body at a time;
- ending a seat, annulling one recorded by mistake and correcting one record a reason; nothing
  is deleted.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.committees.models import (
    BODY_POSTS,
    BRANCH_WITHOUT_COMMITTEE_POSTS,
    Body,
    Post,
    Seat,
    Term,
)
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.members.models import Member
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind
from dangvien.reports.membership import members_on

NO_UPPER_BODIES = frozenset({*BRANCH_KINDS, OrgKind.PARTIAL_COMMITTEE})


@dataclass(frozen=True)
class SeatPlan:
    """A seat as the form gives it; `member` is left out of a correction (a seat given to the
    wrong member is annulled and recorded again)."""

    body: str
    post: str
    chosen: str
    elected_on: datetime.date
    approved_on: datetime.date | None = None
    approval_number: str = ""
    approval_body: str = ""


def may_write(actor, path: str) -> None:
    """The acting user manages organisations at `path`; None is the command line (an import),
    acting on all organisations."""
    if actor is not None:
        require(actor, Capability.MANAGE_ORGS, path)


def official_count(org: Organization, day: datetime.date) -> int:
    """The official members of `org`'s subtree on `day`, by the placements."""
    return members_on(org, day, from_placements=True).filter(official_on__lte=day).count()


def apply_changes(obj, values: dict) -> dict:
    changes = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [old if old is not None else "", value if value is not None else ""]
            setattr(obj, name, value)
    return changes


def seat_refusal(
    term: Term,
    member: Member,
    plan: SeatPlan,
    *,
    ended_on: datetime.date | None = None,
    exclude: int | None = None,
) -> tuple[str, str]:
    """The first check of the module docstring the seat fails, as (field, why), or ("", "")."""
    org = term.organization
    if plan.post not in BODY_POSTS.get(plan.body, ()):
        return "post", f"Chức vụ này không thuộc {Body(plan.body).label.lower()}."
    if plan.body != Body.COMMITTEE and org.kind in NO_UPPER_BODIES:
        return "body", (
            f"{org.get_kind_display()} không bầu {Body(plan.body).label.lower()} (Điều lệ Đảng, "
            "Điều 30): chỉ có cấp ủy (chi ủy) hoặc bí thư."
        )
    day = plan.elected_on
    if day < term.starts_on or (term.ends_on and day >= term.ends_on):
        return "elected_on", f"Ngày bầu, chỉ định ở ngoài nhiệm kỳ {term.label}."
    if plan.approved_on and plan.approved_on < day:
        return "approved_on", "Ngày chuẩn y không trước ngày bầu."
    if ended_on is not None and ended_on <= day:
        return "ended_on", "Ngày thôi sau ngày bầu."
    if not members_on(org, day, from_placements=True).filter(pk=member.pk).exists():
        return "member", f"{member.full_name} không sinh hoạt trong {org.name} ngày {day:%d/%m/%Y}."
    if member.official_on is None or member.official_on > day:
        # Điều lệ Đảng Điều 5.2: a probationary member has a member's rights except voting,
        # standing for and electing the party's leading bodies.
        return "member", (
            f"{member.full_name} là đảng viên dự bị ngày {day:%d/%m/%Y}: không ứng cử, không được "
            "bầu vào cơ quan lãnh đạo của Đảng (Điều lệ Đảng, Điều 5)."
        )
    if org.kind in BRANCH_KINDS and plan.post not in BRANCH_WITHOUT_COMMITTEE_POSTS:
        needed = RuleBook.load().value("branch_committee_min_official_members", day)
        count = official_count(org, day)
        if count < needed:
            return "post", (
                f"{org.name} có {count} đảng viên chính thức ngày {day:%d/%m/%Y}, dưới {needed}: "
                "chi bộ không bầu chi ủy, chỉ bầu bí thư và phó bí thư nếu cần (Điều lệ Đảng, "
                "Điều 24)."
            )
    overlapping = _overlapping(org, day, ended_on).exclude(pk=exclude)
    if plan.post == Post.SECRETARY:
        other = overlapping.filter(post=Post.SECRETARY).exclude(member=member).first()
        if other is not None:
            return "post", (
                f"{other.member.full_name} đang là bí thư {org.name} từ ngày "
                f"{other.elected_on:%d/%m/%Y}: mỗi ngày một tổ chức chỉ có một bí thư (Điều lệ "
                "Đảng, Điều 12). Ghi ngày thôi của bí thư trước."
            )
    if overlapping.filter(member=member, body=plan.body).exists():
        return "member", (
            f"{member.full_name} đang giữ một chức vụ trong {Body(plan.body).label.lower()} này: "
            "ghi ngày thôi chức vụ đó trước."
        )
    return "", ""


def _overlapping(org: Organization, start: datetime.date, end: datetime.date | None):
    """The seats of `org`, not annulled, held some day of [start, end)."""
    seats = Seat.unscoped.filter(organization=org, annulled_at__isnull=True).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    if end is not None:
        seats = seats.filter(elected_on__lt=end)
    return seats.select_related("member")


def _check_seat(term, member, plan, **kwargs) -> None:
    field, why = seat_refusal(term, member, plan, **kwargs)
    if why:
        raise DomainError(why, field=field)


def _plan_values(plan: SeatPlan) -> dict:
    values = dict(plan.__dict__)
    values["approval_number"] = plan.approval_number.strip()
    values["approval_body"] = plan.approval_body.strip()
    return values


def add_seat(
    actor,
    term: Term,
    member: Member,
    plan: SeatPlan,
    *,
    ended_on: datetime.date | None = None,
    end_reason: str = "",
) -> Seat:
    """A member elected or appointed to a post of the term; `ended_on` (with its reason) for a
    seat already left. A seat of a term already ended ends with the term at the latest."""
    may_write(actor, term.org_path)
    with transaction.atomic():
        term = Term.unscoped.select_for_update().select_related("organization").get(pk=term.pk)
        if term.ends_on and ended_on is None:
            ended_on, end_reason = term.ends_on, f"Hết nhiệm kỳ {term.label}"
        elif term.ends_on and ended_on > term.ends_on:
            raise DomainError(
                f"Nhiệm kỳ {term.label} kết thúc ngày {term.ends_on:%d/%m/%Y}, trước ngày thôi.",
                field="ended_on",
            )
        if ended_on is not None:
            end_reason = require_reason(end_reason, "Ghi lý do thôi giữ chức vụ.")
        _check_seat(term, member, plan, ended_on=ended_on)
        seat = Seat.unscoped.create(
            term=term,
            organization=term.organization,
            org_path=term.org_path,
            member=member,
            ended_on=ended_on,
            end_reason=end_reason if ended_on else "",
            created_by=audit.acting_user(actor),
            **_plan_values(plan),
        )
        audit.record(
            actor,
            "committee.seat_add",
            seat,
            org_path=seat.org_path,
            changes={"member": ["", member.full_name], "post": ["", seat.get_post_display()]},
            effective_on=plan.elected_on,
            decision_number=seat.approval_number,
            decision_body=seat.approval_body,
        )
        if ended_on is not None:
            audit.record(
                actor,
                "committee.seat_end",
                seat,
                org_path=seat.org_path,
                changes={"ended_on": ["", ended_on]},
                effective_on=ended_on,
                reason=end_reason,
            )
    return seat


def _live(seat: Seat) -> Seat:
    seat = (
        Seat.unscoped.select_for_update()
        .select_related("term", "term__organization", "member")
        .get(pk=seat.pk)
    )
    if seat.is_annulled:
        raise DomainError("Chức vụ này đã hủy vì ghi nhầm.")
    return seat


def correct_seat(
    actor, seat: Seat, plan: SeatPlan, reason: str, *, expected_version: str | None = None
) -> Seat:
    """A seat's body, post, dates or approval corrected, with the reason kept."""
    may_write(actor, seat.org_path)
    reason = require_reason(reason, "Ghi lý do sửa.")
    with transaction.atomic():
        versions.check(seat, expected_version, label="Chức vụ")
        seat = _live(seat)
        _check_seat(seat.term, seat.member, plan, ended_on=seat.ended_on, exclude=seat.pk)
        changes = apply_changes(seat, _plan_values(plan))
        if changes:
            seat.save()
            versions.bump(seat)
            audit.record(
                actor,
                "committee.seat_correct",
                seat,
                org_path=seat.org_path,
                changes=changes,
                reason=reason,
                decision_number=seat.approval_number,
                decision_body=seat.approval_body,
            )
    return seat


def end_seat(actor, seat: Seat, ended_on: datetime.date, reason: str) -> Seat:
    """The member leaves the post on `ended_on` (ngày thôi, the first day without it)."""
    may_write(actor, seat.org_path)
    reason = require_reason(reason, "Ghi lý do thôi giữ chức vụ.")
    with transaction.atomic():
        seat = _live(seat)
        if seat.ended_on is not None:
            raise DomainError(f"Đã thôi giữ chức vụ từ ngày {seat.ended_on:%d/%m/%Y}.")
        if ended_on <= seat.elected_on:
            raise DomainError("Ngày thôi sau ngày bầu, chỉ định.", field="ended_on")
        if seat.term.ends_on and ended_on > seat.term.ends_on:
            raise DomainError(
                f"Nhiệm kỳ {seat.term.label} đã kết thúc trước ngày này.", field="ended_on"
            )
        seat.ended_on, seat.end_reason = ended_on, reason
        seat.save(update_fields=["ended_on", "end_reason", "updated_at"])
        versions.bump(seat)
        audit.record(
            actor,
            "committee.seat_end",
            seat,
            org_path=seat.org_path,
            changes={"ended_on": ["", ended_on]},
            effective_on=ended_on,
            reason=reason,
        )
    return seat


def annul_seat(actor, seat: Seat, reason: str) -> Seat:
    """A seat recorded by mistake: kept, with who annulled it and why, and counted nowhere."""
    may_write(actor, seat.org_path)
    reason = require_reason(reason, "Ghi lý do hủy.")
    with transaction.atomic():
        seat = _live(seat)
        seat.annulled_at = timezone.now()
        seat.annulled_by = audit.acting_user(actor)
        seat.annul_reason = reason
        seat.save(update_fields=["annulled_at", "annulled_by", "annul_reason", "updated_at"])
        versions.bump(seat)
        audit.record(actor, "committee.seat_annul", seat, org_path=seat.org_path, reason=reason)
    return seat
