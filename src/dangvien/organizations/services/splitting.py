"""Splitting an organisation (chia tách): new organisations are established under its parent on
the decision's day, each receiving some of its organisations (with their subtrees) and, for a
branch, some of its members; the original then ends, or continues with what was not assigned
(domain-rules §1, "Organization lifecycle events": chia tách, members move in bulk keeping
their history; formats.md, `org-events`: a split is new organisations plus the moves and
`Giải thể`). As in absorbing: the members are carried along (a restructuring, not a transfer),
and nothing before that day is rewritten."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q

from dangvien.core import audit, blockers, versions
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.vntext import number
from dangvien.members import conflicts
from dangvien.organizations import history
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgEventKind, OrgKind
from dangvien.organizations.services.absorbing import _carry, _move_members
from dangvien.organizations.services.changes import create_organization
from dangvien.organizations.services.ending import record_end
from dangvien.organizations.services.tree import placement_error, require_manage

SPLIT_ACTION = "org.split"  # its label and its field's are in apps.ready()
MAX_PARTS = 10  # new organisations of one split
# How a member's history names the move: `_move_members` writes "<this> <old> vào <new>".
MEMBER_NOTE = "chia tách, chuyển từ"
SHOWN = 5  # names listed in a refusal about what was left unassigned


@dataclass(frozen=True)
class SplitPart:
    """One organisation a split makes: its code, name and kind (`sector`: None keeps the
    original's), the active organisations directly under the original it takes with their
    subtrees, and the members active in the original (a branch) it takes."""

    code: str
    name: str
    kind: str
    children: Sequence[Organization] = ()
    members: Sequence = ()  # members.Member
    sector: str | None = None


@conflicts.records_conflicts("Chia tách tổ chức")
@transaction.atomic
def split_organization(
    actor,
    org: Organization,
    parts: Sequence[SplitPart],
    decision: Decision,
    *,
    end_original: bool,
) -> list[Organization]:
    """Split `org` on the decision's effective date into `parts`, established under its parent
    (the acting officer manages both), each recorded on `org` as a SPLIT event naming it; with
    `end_original`, everything active must go to a part and `org` ends (giải thể, its history
    naming the parts), otherwise what is not assigned stays. Returns the new organisations."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    org.refresh_from_db()
    require_manage(actor, org.parent)
    parts = list(parts)
    day = _check_original(org, decision)
    _check_parts(org, parts, end_original)
    children = _children_by_part(org, parts, end_original)
    members = _members_by_part(org, parts, end_original, day)
    reason = require_reason(decision.reason, "Hãy ghi lý do chia tách tổ chức.")
    if not decision.number.strip():
        raise DomainError("Cần ghi số quyết định chia tách.", field="decision_number")
    created = []
    for part, moving, placed in zip(parts, children, members, strict=True):
        new = _establish(actor, org, part, decision)
        event = history.record_event(actor, org, OrgEventKind.SPLIT, day, decision, receiving=new)
        for child in moving:
            _carry(actor, child, org, new, day, event, decision)
        _move_members(actor, placed, org, new, day, decision, MEMBER_NOTE)
        created.append(new)
    # Names only: a reader of the original's history may not see its parent's other children
    # (their codes are shown, as links, by the timeline where the reader may open them).
    listing = ", ".join(new.name for new in created)
    versions.bump(org)
    audit.record(
        actor,
        SPLIT_ACTION,
        org,
        org_path=org.path,
        changes={"parts": [None, listing]},
        **decision.as_audit(),
    )
    if end_original:
        ending = replace(decision, reason=f"Chia tách thành {listing}. {reason}")
        record_end(actor, org, ending, kind=OrgEventKind.END)
    return created


def _check_original(org: Organization, decision: Decision) -> datetime.date:
    """The day of the split: given, not before the original's founding nor its subtree's latest
    change nor its parent's (the parts stand under the parent as it stands), not in the future;
    nothing waiting on the original (letters of transfer: as for an absorption)."""
    if not org.is_active:
        raise DomainError(f"{org.name} đã kết thúc hoạt động từ {org.ended_on:%d/%m/%Y}.")
    day = decision.effective_on
    if day is None:
        raise DomainError("Cần ghi ngày chia tách.", field="effective_on")
    if org.founded_on is not None and day < org.founded_on:
        raise DomainError("Ngày chia tách không thể trước ngày thành lập.", field="effective_on")
    history.check_effective_on(day, Q(path__startswith=org.path), label="Ngày chia tách")
    if refusal := history.under_parent_refusal(org.parent, day):
        raise DomainError(f"Ngày chia tách {refusal}", field="effective_on")
    for blocker in blockers.org_blockers():  # the higher apps' (transfers: letters waiting)
        if count := blocker.count(org):
            raise DomainError(blocker.message(org, count))
    return day


def _check_parts(org: Organization, parts: list[SplitPart], end_original: bool) -> None:
    """Enough parts, each with a code and a name of its own, of a kind the parent may hold."""
    if end_original and len(parts) < 2:
        raise DomainError(
            "Chia tách mà tổ chức cũ kết thúc thì cần ít nhất hai tổ chức mới.", field="parts"
        )
    if not parts:
        raise DomainError("Cần ít nhất một tổ chức mới để chia tách.", field="parts")
    if len(parts) > MAX_PARTS:
        raise DomainError(f"Một lần chia tách tạo tối đa {MAX_PARTS} tổ chức mới.", field="parts")
    codes, names = set(), set()
    for part in parts:
        code, name = part.code.strip(), " ".join(part.name.split())
        if not code or not name:
            raise DomainError("Mã và tên của mỗi tổ chức mới là bắt buộc.", field="parts")
        if code in codes:
            raise DomainError(f"Mã {code} được ghi cho hai tổ chức mới.", field="parts")
        if name.casefold() in names:
            raise DomainError(f"Tên {name} được ghi cho hai tổ chức mới.", field="parts")
        codes.add(code)
        names.add(name.casefold())
        if part.kind not in OrgKind.values:
            raise DomainError(f"Loại tổ chức của {name} không hợp lệ.", field="parts")
        parent_kind = org.parent.kind if org.parent else None
        if error := placement_error(part.kind, parent_kind):
            raise DomainError(f"{name}: {error}", field="parts")


def _assigned_once(what: str, org: Organization, assigned: list[list], active: dict) -> None:
    """Each one assigned is active in the original (one that is not goes unnamed: it may be
    outside the actor's scope), and assigned to one part only."""
    seen = set()
    for chosen in assigned:
        for item in chosen:
            if item.pk not in active:
                raise DomainError(
                    f"Có {what} được chọn không còn ở {org.name}: hãy xem lại các lựa chọn.",
                    field="parts",
                )
            if item.pk in seen:
                raise DomainError(f"{item} được chọn cho hai tổ chức mới.")
            seen.add(item.pk)


def _left_over(what: str, org: Organization, assigned: list[list], active: dict) -> None:
    """With the original ending, everything active in it goes to a part."""
    chosen = {item.pk for items in assigned for item in items}
    left = [item for pk, item in active.items() if pk not in chosen]
    if not left:
        return
    names = ", ".join(str(item) for item in left[:SHOWN]) + ("…" if len(left) > SHOWN else "")
    raise DomainError(
        f"{org.name} kết thúc sau khi chia tách nhưng còn {number(len(left))} {what} chưa chọn "
        f"tổ chức mới: {names}. Hãy chọn tổ chức mới cho từng {what}.",
        field="parts",
    )


def _children_by_part(
    org: Organization, parts: list[SplitPart], end_original: bool
) -> list[list[Organization]]:
    """The active organisations under `org` each part takes (read again here), each of a kind
    the part may hold (formats.md, "The hierarchy must be valid")."""
    active = {
        child.pk: child for child in org.children.filter(ended_on__isnull=True).order_by("sort_key")
    }
    assigned = [list(part.children) for part in parts]
    _assigned_once("tổ chức trực thuộc", org, assigned, active)
    if end_original:
        _left_over("tổ chức trực thuộc", org, assigned, active)
    found = []
    for part, chosen in zip(parts, assigned, strict=True):
        for child in chosen:
            if error := placement_error(child.kind, part.kind):
                raise DomainError(
                    f"{part.name} không tiếp nhận được tổ chức trực thuộc {child.name}: {error}",
                    field="parts",
                )
        found.append([active[child.pk] for child in chosen])
    return found


def _members_by_part(
    org: Organization, parts: list[SplitPart], end_original: bool, day: datetime.date
) -> list[list]:
    """The members active in `org` (a branch) each part takes: only a branch takes members
    (members are active only in a branch, formats.md), and none came after `day`."""
    from dangvien.members.models import ACTIVE_STATUSES, Member, Placement

    active = {
        member.pk: member
        for member in Member.unscoped.filter(branch=org, status__in=ACTIVE_STATUSES)
    }
    assigned = [list(part.members) for part in parts]
    _assigned_once("đảng viên", org, assigned, active)
    if end_original:
        _left_over("đảng viên", org, assigned, active)
    for part, chosen in zip(parts, assigned, strict=True):
        if chosen and part.kind not in BRANCH_KINDS:
            raise DomainError(
                f"{part.name} là {OrgKind(part.kind).label}: đảng viên chỉ sinh hoạt ở chi bộ, "
                f"không nhận được {number(len(chosen))} đảng viên được chọn.",
                field="parts",
            )
    late = (
        Placement.objects.filter(
            member__in=[m.pk for chosen in assigned for m in chosen],
            end__isnull=True,
            start__gt=day,
        )
        .select_related("member", "branch")
        .order_by("start")
        .first()
    )
    if late is not None:
        raise DomainError(
            f"Đảng viên {late.member.full_name} sinh hoạt ở {late.branch.name} từ ngày "
            f"{late.start:%d/%m/%Y}, sau ngày chia tách: ngày chia tách không được trước ngày đó.",
            field="effective_on",
        )
    return [[active[member.pk] for member in chosen] for chosen in assigned]


def _establish(actor, org: Organization, part: SplitPart, decision: Decision) -> Organization:
    """A part established under `org`'s parent on the day of the split, by its decision."""
    return create_organization(
        actor,
        code=part.code,
        name=part.name,
        kind=part.kind,
        parent=org.parent,
        founded_on=decision.effective_on,
        sector=org.sector if part.sector is None else part.sector,
        decision=decision,
    )
