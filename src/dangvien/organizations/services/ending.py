"""Ending an organisation (giải thể, or giải tán as a discipline measure) and undoing an end
recorded by mistake."""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dangvien.core import audit, blockers, versions
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.vntext import number
from dangvien.organizations import history
from dangvien.organizations.models import (
    ENDING_EVENTS,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgState,
)
from dangvien.organizations.services import path_copies
from dangvien.organizations.services.tree import placement_error

# What the dissolve page offers: an end (giải thể) or a discipline measure (giải tán).
END_KINDS = {OrgEventKind.END: "org.dissolve", OrgEventKind.DISBAND: "org.disband"}
END_LABELS = {OrgEventKind.END: "giải thể", OrgEventKind.DISBAND: "giải tán"}


def dissolution_blockers(org: Organization) -> dict[str, int]:
    """What must leave `org` before it is dissolved: the active organisations directly below
    it, the members active in its subtree, the candidates still under consideration there, and
    what the higher apps register (core.blockers: letters of transfer waiting to or from it)."""
    from dangvien.admissions.models import OPEN_STAGES, Candidate
    from dangvien.members.models import ACTIVE_STATUSES, Member

    path_copies.flush()  # a batch of moves (organizations.events_importing) may have queued some
    members = Member.unscoped.filter(branch_path__startswith=org.path, status__in=ACTIVE_STATUSES)
    candidates = Candidate.unscoped.filter(org_path__startswith=org.path, stage__in=OPEN_STAGES)
    found = {
        "children": org.children.filter(ended_on__isnull=True).count(),
        "members": members.count(),
        "candidates": candidates.count(),
    }
    for blocker in blockers.org_blockers():  # the higher apps' (transfers: letters waiting)
        found[blocker.key] = blocker.count(org)
    return found


def check_empty(org: Organization, ended_on: datetime.date, doing: str) -> None:
    """Refuse to end `org` on `ended_on` while anything is active under it then (`doing`: the
    end's name, "giải thể", "sáp nhập" …, for the message)."""
    found = dissolution_blockers(org)
    if found["children"]:
        raise DomainError(
            f"{org.name} còn {number(found['children'])} tổ chức trực thuộc đang hoạt động: "
            "hãy chuyển hoặc giải thể các tổ chức này trước."
        )
    if found["members"]:
        raise DomainError(
            f"{org.name} còn {number(found['members'])} đảng viên đang sinh hoạt: "
            "hãy chuyển sinh hoạt đảng cho các đảng viên này trước."
        )
    if found["candidates"]:
        raise DomainError(
            f"{org.name} còn {number(found['candidates'])} quần chúng trong nguồn kết nạp: "
            "hãy chuyển họ sang chi bộ khác hoặc dừng xem xét trước."
        )
    for blocker in blockers.org_blockers():
        if found[blocker.key]:
            raise DomainError(blocker.message(org, found[blocker.key]))
    later = org.children.filter(ended_on__gt=ended_on).order_by("-ended_on").first()
    if later is not None:
        raise DomainError(
            f"Tổ chức trực thuộc {later.name} giải thể ngày {later.ended_on:%d/%m/%Y}: tổ chức "
            f"cấp trên không {doing} trước tổ chức trực thuộc.",
            field="effective_on",
        )
    _check_left_before(org, ended_on, doing)


def _check_left_before(org: Organization, ended_on: datetime.date, doing: str) -> None:
    """What was under `org` left before its end: no member active in its subtree on the end
    day or later (a placement's end is inclusive), no organisation still under it then."""
    from dangvien.members.models import Placement

    staying = (
        Placement.objects.filter(branch__path__startswith=org.path)
        .filter(Q(end__isnull=True) | Q(end__gte=ended_on))
        .select_related("member", "branch")
        .order_by(F("end").desc(nulls_first=True))
        .first()
    )
    if staying is not None:
        until = f"đến ngày {staying.end:%d/%m/%Y}" if staying.end else "đến nay"
        raise DomainError(
            f"Đảng viên {staying.member.full_name} sinh hoạt ở {staying.branch.name} {until}: "
            f"ngày {doing} phải sau ngày đảng viên cuối cùng chuyển đi hoặc ra khỏi Đảng.",
            field="effective_on",
        )
    child = (
        OrgState.unscoped.filter(parent=org)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=ended_on))
        .select_related("org")
        .order_by(F("valid_until").desc(nulls_first=True))
        .first()
    )
    if child is not None:
        until = f"đến trước ngày {child.valid_until:%d/%m/%Y}" if child.valid_until else "đến nay"
        raise DomainError(
            f"Tổ chức {child.org.name} trực thuộc {org.name} {until}: tổ chức cấp trên không "
            f"{doing} trước khi tổ chức trực thuộc chuyển đi hoặc giải thể.",
            field="effective_on",
        )


@transaction.atomic
def dissolve_organization(
    actor,
    org: Organization,
    decision: Decision,
    *,
    kind: str = OrgEventKind.END,
    expected_version: str | None = None,
) -> Organization:
    """End an organisation's operation; it stays in the data, with its history, for past reports.
    Only an empty organisation is dissolved: its organisations, members and candidates move
    first. Final for the tree and the scopes bound to it, so it takes a reason (issue 12); one
    dissolved by mistake comes back with `restore_organization`. `kind` is END (giải thể) or
    DISBAND (giải tán, a discipline measure)."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    return record_end(actor, org, decision, kind=kind)


def record_end(
    actor, org: Organization, decision: Decision, *, kind: str = OrgEventKind.END
) -> Organization:
    """The end itself, the actor's scope checked by the caller (`dissolve_organization`, or
    the org-events import for every organisation of its file)."""
    if kind not in END_KINDS:
        raise DomainError("Hình thức chấm dứt hoạt động không hợp lệ.", field="kind")
    doing = END_LABELS[kind]
    if not org.is_active:
        raise DomainError(f"{org.name} đã giải thể từ {org.ended_on:%d/%m/%Y}.")
    ended_on = decision.effective_on
    if ended_on is None:
        raise DomainError(f"Cần ghi ngày {doing}.", field="effective_on")
    if org.founded_on and ended_on < org.founded_on:
        raise DomainError(f"Ngày {doing} không thể trước ngày thành lập.", field="effective_on")
    # Never before its own latest change: the states of a change never held are not rewritten.
    history.check_effective_on(ended_on, Q(org=org), label=f"Ngày {doing}")
    check_empty(org, ended_on, doing)
    require_reason(decision.reason, f"Hãy ghi lý do {doing} tổ chức.")
    history.record_event(actor, org, kind, ended_on, decision)
    org.ended_on = ended_on
    org.save(update_fields=["ended_on"])
    history.end_state(org, ended_on)
    versions.bump(org)
    audit.record(
        actor,
        END_KINDS[kind],
        org,
        org_path=org.path,
        changes={"ended_on": [None, ended_on]},
        **decision.as_audit(),
    )
    return org


def restoration_refusal(org: Organization) -> str:
    """Why a dissolved organisation cannot come back ("" when it can): its parent must be
    active and its place free. A code stays with its organisation, dissolved or not (unique),
    so the place is taken by an active organisation of the same name under the same parent,
    established in its stead."""
    if org.is_active:
        return f"{org.name} đang hoạt động."
    parent = org.parent
    if parent is not None and not parent.is_active:
        return (
            f"Tổ chức cấp trên {parent.name} đã giải thể từ {parent.ended_on:%d/%m/%Y}: hãy "
            "khôi phục tổ chức cấp trên trước."
        )
    if error := placement_error(org.kind, parent.kind if parent else None):
        return error
    successor = (
        Organization.unscoped.filter(
            parent_id=org.parent_id, ended_on__isnull=True, search_name=org.search_name
        )
        .exclude(pk=org.pk)
        .first()
    )
    if successor is not None:
        return (
            f"{successor.name} (mã {successor.code}) đang hoạt động ở cùng cấp trên, thành lập "
            "thay cho tổ chức này: hai tổ chức cùng tên không cùng hoạt động. Nếu đó là hai tổ "
            "chức khác nhau, hãy đổi tên tổ chức đang hoạt động trước."
        )
    return ""


@transaction.atomic
def restore_organization(
    actor, org: Organization, *, reason: str, expected_version: str | None = None
) -> Organization:
    """Bring back an organisation dissolved by mistake, with the reason: it is active again
    (its date of dissolution cleared, its last state open again, the ending event annulled with
    the reason, the roles bound to it counting again); what moved out before the dissolution
    stays where it went. Refused when its place was taken since."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    org = Organization.unscoped.select_related("parent").get(pk=org.pk)
    if problem := restoration_refusal(org):
        raise DomainError(problem)
    reason = require_reason(reason, "Hãy ghi lý do khôi phục tổ chức.")
    ended_on = org.ended_on
    OrgEvent.unscoped.filter(
        org=org, kind__in=ENDING_EVENTS, effective_on=ended_on, annulled_at__isnull=True
    ).update(
        annulled_at=timezone.now(),
        annulled_by=actor if actor is not None and actor.is_authenticated else None,
        annul_reason=reason,
    )
    org.ended_on = None
    org.save(update_fields=["ended_on"])
    history.reopen_state(org)
    versions.bump(org)
    audit.record(
        actor,
        "org.restore",
        org,
        org_path=org.path,
        changes={"ended_on": [ended_on, None]},
        reason=reason,
    )
    return org
