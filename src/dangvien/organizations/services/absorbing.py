"""Absorbing an organisation into another (sáp nhập) and amalgamating several into a new one
(hợp nhất): on the decision's day everything active under it goes to the receiving
organisation (its organisations with their subtrees, the members active in it) and it ends,
its successor named by the event (domain-rules §1, "Organization lifecycle events": members
move in bulk, keeping their history; formats.md, `org-events`). Nothing before that day is
rewritten: the states and placements of the past stay as they were."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.changes import records_changed
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.importing import chunks
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.vntext import number
from dangvien.organizations import history
from dangvien.organizations.models import (
    BRANCH_KINDS,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
)
from dangvien.organizations.services.ending import check_empty
from dangvien.organizations.services.tree import placement_error, relocate

# The two ways of going into another organisation: its name in messages, the history's action.
MERGING = {
    OrgEventKind.ABSORB: ("sáp nhập", "org.absorb"),
    OrgEventKind.AMALGAMATE: ("hợp nhất", "org.amalgamate"),
}
MEMBER_ACTION = "member.restructure"  # a member carried along: not a transfer (chuyển sinh hoạt)


@transaction.atomic
def absorb_organization(
    actor,
    org: Organization,
    receiving: Organization,
    decision: Decision,
    *,
    kind: str = OrgEventKind.ABSORB,
    expected_version: str | None = None,
) -> Organization:
    """Absorb `org` into `receiving` on the decision's effective date (sáp nhập; `kind`
    AMALGAMATE when `receiving` is the new organisation of a hợp nhất). The acting officer
    manages both. Final for the tree, so it takes a reason; returns `org`, ended."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    require(actor, Capability.MANAGE_ORGS, receiving.path)
    versions.check(org, expected_version, label="Tổ chức")
    return record_absorption(actor, org, receiving, decision, kind=kind)


@transaction.atomic
def amalgamate_organizations(
    actor, orgs: Iterable[Organization], receiving: Organization, decision: Decision
) -> Organization:
    """Amalgamate `orgs` into `receiving` (hợp nhất, N → 1): the new organisation is
    established first (create_organization, founded on the decision's day), then each old one
    is absorbed into it with kind AMALGAMATE. Returns `receiving`."""
    orgs = list(orgs)
    if len({org.pk for org in orgs}) < 2:
        raise DomainError("Hợp nhất cần ít nhất hai tổ chức.")
    if receiving.founded_on is None or receiving.founded_on != decision.effective_on:
        raise DomainError(
            f"Tổ chức hợp nhất {receiving.name} phải được thành lập đúng ngày hợp nhất.",
            field="receiving",
        )
    for org in orgs:
        absorb_organization(actor, org, receiving, decision, kind=OrgEventKind.AMALGAMATE)
    receiving.refresh_from_db()
    return receiving


def record_absorption(
    actor,
    org: Organization,
    receiving: Organization,
    decision: Decision,
    *,
    kind: str = OrgEventKind.ABSORB,
) -> Organization:
    """The absorption itself, the actor's scope checked by the caller (`absorb_organization`,
    or the org-events import for every organisation of its file), in the caller's transaction."""
    if kind not in MERGING:
        raise DomainError("Hình thức sáp nhập không hợp lệ.", field="kind")
    doing, action = MERGING[kind]
    org.refresh_from_db()
    receiving.refresh_from_db()
    day = decision.effective_on
    if day is None:
        raise DomainError(f"Cần ghi ngày {doing}.", field="effective_on")
    _check_receiving(org, receiving, day, doing)
    history.check_effective_on(
        day, Q(path__startswith=org.path) | Q(org=receiving), label=f"Ngày {doing}"
    )
    members = _members_to_move(org, receiving, day, doing)
    children = _children_to_move(org, receiving)
    reason = require_reason(decision.reason, f"Hãy ghi lý do {doing} tổ chức.")
    event = history.record_event(actor, org, kind, day, decision, receiving=receiving)
    for child in children:
        _carry(actor, child, org, receiving, day, event, decision)
    _move_members(actor, members, org, receiving, day, decision, doing)
    check_empty(org, day, doing)  # what could not move (candidates, members who left later)
    org.ended_on = day
    org.save(update_fields=["ended_on"])
    history.end_state(org, day)
    versions.bump(org)
    audit.record(
        actor,
        action,
        org,
        org_path=org.path,
        changes={"ended_on": [None, day], "receiving": [None, receiving.name]},
        effective_on=day,
        decision_number=decision.number,
        decision_body=decision.body,
        reason=reason,
    )
    return org


def _check_receiving(
    org: Organization, receiving: Organization, day: datetime.date, doing: str
) -> None:
    """The receiving organisation is another one, outside `org`, operating on `day`."""
    if not org.is_active:
        raise DomainError(f"{org.name} đã kết thúc hoạt động từ {org.ended_on:%d/%m/%Y}.")
    if receiving.path.startswith(org.path):
        raise DomainError(
            f"Không thể {doing} một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.",
            field="receiving",
        )
    if not receiving.is_active:
        raise DomainError(
            f"Tổ chức tiếp nhận {receiving.name} đã kết thúc hoạt động từ "
            f"{receiving.ended_on:%d/%m/%Y}.",
            field="receiving",
        )
    if receiving.founded_on is not None and receiving.founded_on > day:
        raise DomainError(
            f"Tổ chức tiếp nhận {receiving.name} được thành lập ngày "
            f"{receiving.founded_on:%d/%m/%Y}, sau ngày {doing} {day:%d/%m/%Y}.",
            field="receiving",
        )
    if org.founded_on is not None and day < org.founded_on:
        raise DomainError(f"Ngày {doing} không thể trước ngày thành lập.", field="effective_on")


def _children_to_move(org: Organization, receiving: Organization) -> list[Organization]:
    """The organisations active directly under `org`, each of a kind `receiving` may hold
    (formats.md, "The hierarchy must be valid")."""
    children = list(org.children.filter(ended_on__isnull=True).order_by("sort_key"))
    for child in children:
        if error := placement_error(child.kind, receiving.kind):
            raise DomainError(
                f"{receiving.name} không tiếp nhận được tổ chức trực thuộc {child.name}: {error}",
                field="receiving",
            )
    return children


def _members_to_move(org: Organization, receiving: Organization, day: datetime.date, doing: str):
    """The members active in `org` itself (a branch): `receiving` must be a branch too (members
    are active only in a branch, formats.md), and none of them came after `day`."""
    from dangvien.members.models import ACTIVE_STATUSES, Member, Placement

    members = list(
        Member.unscoped.filter(branch=org, status__in=ACTIVE_STATUSES).only("pk", "full_name")
    )
    if not members:
        return []
    if receiving.kind not in BRANCH_KINDS:
        raise DomainError(
            f"{org.name} còn {number(len(members))} đảng viên đang sinh hoạt; đảng viên chỉ "
            f"sinh hoạt ở chi bộ, mà {receiving.name} là {OrgKind(receiving.kind).label}.",
            field="receiving",
        )
    late = (
        Placement.objects.filter(member__in=members, end__isnull=True, start__gt=day)
        .select_related("member", "branch")
        .order_by("start")
        .first()
    )
    if late is not None:
        raise DomainError(
            f"Đảng viên {late.member.full_name} sinh hoạt ở {late.branch.name} từ ngày "
            f"{late.start:%d/%m/%Y}, sau ngày {doing}: ngày {doing} không được trước ngày đó.",
            field="effective_on",
        )
    return members


def _carry(
    actor,
    child: Organization,
    org: Organization,
    receiving: Organization,
    day: datetime.date,
    event: OrgEvent,
    decision: Decision,
) -> None:
    """`child` and its subtree go under `receiving` from `day`; its new states name the
    absorption (its timeline shows it carried by `org`'s event)."""
    relocate(child, receiving, day, event)
    versions.bump(child)
    audit.record(
        actor,
        "org.move",
        child,
        org_path=child.path,
        changes={"parent": [org.code, receiving.code]},
        **decision.as_audit(),
    )


def _move_members(
    actor,
    members: list,
    org: Organization,
    receiving: Organization,
    day: datetime.date,
    decision: Decision,
    doing: str,
) -> None:
    """The members active in `org` are active in `receiving` from `day`: their placement in
    `org` ends the day before (one begun that very day changes branch in place) and a new one
    begins, their branch is `receiving`; a restructuring, not a transfer of party activity,
    so no member event of transfer, one history entry each. A few statements in all."""
    from dangvien.members.models import Member, Placement

    if not members:
        return
    ids = [member.pk for member in members]
    now = timezone.now()
    for chunk in chunks(ids):
        current = Placement.objects.filter(member_id__in=chunk, end__isnull=True)
        current.filter(start=day).update(branch=receiving)
        begun = set(current.filter(start=day).values_list("member_id", flat=True))
        current.filter(start__lt=day).update(end=day - datetime.timedelta(days=1))
        Placement.objects.bulk_create(
            [
                Placement(member_id=pk, branch=receiving, start=day)
                for pk in chunk
                if pk not in begun
            ]
        )
        Member.unscoped.filter(pk__in=chunk).update(
            branch=receiving,
            branch_path=receiving.path,
            updated_at=now,
            version=F("version") + 1,  # a form opened before is now stale (core.versions)
        )
    records_changed(paths=[org.path, receiving.path], member_ids=ids)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    note = f"{doing.capitalize()} {org.name} vào {receiving.name}"
    reason = f"{note}. {decision.reason.strip()}".strip()
    AuditEntry.unscoped.bulk_create(
        [
            AuditEntry(
                actor_id=actor_id,
                action=MEMBER_ACTION,
                target_type=Member._meta.label_lower,
                target_id=member.pk,
                target_label=str(member)[:300],
                org_path=receiving.path,
                changes={"branch": [org.name, receiving.name]},
                effective_on=day,
                decision_number=decision.number,
                decision_body=decision.body,
                reason=reason,
            )
            for member in members
        ],
        batch_size=500,
    )
