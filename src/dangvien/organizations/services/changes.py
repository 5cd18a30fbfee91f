"""Establishing an organisation and changing it: by a decision (rename, move, change of kind or
sector: an event and a new state from the effective date) or as a correction (a typo, a wrong
code or founding date: the states that carried it corrected in place, no event)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.decisions import NO_DECISION, Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_fields, require_reason
from dangvien.members import conflicts
from dangvien.organizations import history
from dangvien.organizations.models import (
    BRANCH_KINDS,
    FormerCode,
    Organization,
    OrgEventKind,
    OrgKind,
    OrgState,
    Sector,
)
from dangvien.organizations.services.tree import (
    check_code_free,
    check_kind,
    check_parent,
    check_sector,
    insert,
    placement_error,
    relocate,
    require_manage,
)


def _sector_label(sector: str) -> str | None:
    return Sector(sector).label if sector else None


@conflicts.records_conflicts("Thành lập tổ chức đảng")
@transaction.atomic
def create_organization(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    founded_on: datetime.date | None = None,
    sector: str = "",
    decision: Decision = NO_DECISION,
) -> Organization:
    """Establish an organisation under `parent` (the acting officer must manage the parent);
    with a founding date, the decision is kept as its establishing event. The date may be left
    out only under a parent that stood where it stands since always (`history.undated_refusal`)."""
    code, name = code.strip(), " ".join(name.split())
    require_manage(actor, parent)
    if not code or not name:
        raise DomainError("Mã và tên tổ chức là bắt buộc.")
    require_fields(Organization, {"code": code, "name": name}, codes=("code",))
    check_code_free(actor, code, parent, name)
    check_kind(kind)
    check_sector(sector)
    check_parent(kind, parent)
    if founded_on is not None:
        history.check_effective_on(founded_on, label="Ngày thành lập")
    if founded_on is None:  # a first state since always only under a parent there always
        refusal = history.undated_refusal(parent)
    else:
        refusal = history.under_parent_refusal(parent, founded_on)
    if refusal:
        raise DomainError(f"Ngày thành lập {refusal}", field="effective_on")
    org = Organization(code=code, name=name, kind=kind, sector=sector, founded_on=founded_on)
    insert(org, parent)
    if founded_on is not None:
        event = history.record_event(
            actor, org, OrgEventKind.ESTABLISH, founded_on, decision, new_parent=parent
        )
        OrgState.unscoped.filter(org=org).update(event=event)
    changes = {"code": [None, code], "name": [None, name], "kind": [None, OrgKind(kind).label]}
    if sector:
        changes["sector"] = [None, _sector_label(sector)]
    audit.record(
        actor, "org.create", org, org_path=org.path, changes=changes, **decision.as_audit()
    )
    return org


def _require_active(org: Organization, doing: str) -> None:
    if not org.is_active:
        raise DomainError(f"{org.name} đã giải thể, không thể {doing}.")


@transaction.atomic
def rename_organization(
    actor,
    org: Organization,
    name: str,
    decision: Decision = NO_DECISION,
    *,
    expected_version: str | None = None,
) -> Organization:
    """Rename by a decision: the new name holds from its effective date (default today); the
    old one stays in the history. A typo is corrected with `correct_organization`."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    return record_rename(actor, org, name, decision)


def record_rename(actor, org: Organization, name: str, decision: Decision) -> Organization:
    """The rename itself, the actor's scope checked by the caller (`rename_organization`, or
    the org-events import for every organisation of its file)."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Tên tổ chức không được để trống.", field="name")
    require_fields(Organization, {"name": name})
    if name == org.name:
        return org
    _require_active(org, "đổi tên")
    day, decision = history.dated(decision)
    history.check_effective_on(day, Q(org=org))
    old = org.name
    event = history.record_event(
        actor, org, OrgEventKind.RENAME, day, decision, old_name=old, new_name=name
    )
    org.name = name
    org.save(update_fields=["name", "sort_key", "search_name"])
    history.change_state(org, day, event, name=name)
    versions.bump(org)
    audit.record(
        actor,
        "org.rename",
        org,
        org_path=org.path,
        changes={"name": [old, name]},
        **decision.as_audit(),
    )
    return org


def _kind_refusal(org: Organization, kind: str) -> str:
    """Why `org` cannot become of `kind` where it stands ("" when it can)."""
    if error := placement_error(kind, org.parent.kind if org.parent else None):
        return error
    for child in org.children.filter(ended_on__isnull=True).order_by("sort_key"):
        if error := placement_error(child.kind, kind):
            return f"Tổ chức trực thuộc {child.name}: {error}"
    return members_kind_refusal(org, kind)


def members_kind_refusal(org: Organization, kind: str) -> str:
    """Why a branch with active members cannot become of `kind` ("" when it can): members are
    active only in a branch (the web's change of kind and the `orgs` import)."""
    if org.kind in BRANCH_KINDS and kind not in BRANCH_KINDS:
        from dangvien.members.models import ACTIVE_STATUSES, Member

        if Member.unscoped.filter(branch=org, status__in=ACTIVE_STATUSES).exists():
            return (
                f"{org.name} còn đảng viên đang sinh hoạt: đảng viên chỉ sinh hoạt ở chi bộ; "
                "hãy chuyển sinh hoạt đảng cho họ trước."
            )
    return ""


@transaction.atomic
def change_organization(
    actor,
    org: Organization,
    *,
    kind: str,
    sector: str,
    decision: Decision = NO_DECISION,
    expected_version: str | None = None,
) -> Organization:
    """Change the kind or the sector by a decision, from its effective date (default today)."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    check_kind(kind)
    check_sector(sector)
    if (kind, sector) == (org.kind, org.sector):
        return org
    _require_active(org, "thay đổi")
    if kind != org.kind and (refusal := _kind_refusal(org, kind)):
        raise DomainError(refusal, field="kind")
    day, decision = history.dated(decision)
    history.check_effective_on(day, Q(org=org))
    changes = {}
    if kind != org.kind:
        changes["kind"] = [OrgKind(org.kind).label, OrgKind(kind).label]
    if sector != org.sector:
        changes["sector"] = [_sector_label(org.sector), _sector_label(sector)]
    event = history.record_event(actor, org, OrgEventKind.CHANGE, day, decision)
    org.kind, org.sector = kind, sector
    org.save(update_fields=["kind", "sector"])
    history.change_state(org, day, event, kind=kind, sector=sector)
    versions.bump(org)
    audit.record(
        actor, "org.change", org, org_path=org.path, changes=changes, **decision.as_audit()
    )
    return org


@transaction.atomic
def correct_organization(
    actor,
    org: Organization,
    *,
    name: str,
    sector: str,
    founded_on: datetime.date | None,
    reason: str,
    expected_version: str | None = None,
) -> Organization:
    """Correct a mistake in the name, the sector or the founding date, without a decision: the
    organisation is taken to have always been so (every state that carried the mistake is
    corrected in place), with the reason in the history. A change decided by the Party is
    `rename_organization` or `change_organization`."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    name = " ".join(name.split())
    if not name:
        raise DomainError("Tên tổ chức không được để trống.", field="name")
    require_fields(Organization, {"name": name})
    check_sector(sector)
    changes = {}
    if name != org.name:
        changes["name"] = [org.name, name]
    if sector != org.sector:
        changes["sector"] = [_sector_label(org.sector), _sector_label(sector)]
    if founded_on != org.founded_on:
        changes["founded_on"] = [org.founded_on, founded_on]
    if not changes:
        return org
    reason = require_reason(reason, "Hãy ghi lý do sửa lỗi (ví dụ: gõ sai tên).")
    if "founded_on" in changes:
        if founded_on is not None:
            history.check_effective_on(founded_on, label="Ngày thành lập")
        if refusal := history.founding_refusal(org, founded_on):
            raise DomainError(f"Ngày thành lập {refusal}", field="founded_on")
        history.correct_founding(org, founded_on)
    old = {"name": org.name, "sector": org.sector}
    org.name, org.sector, org.founded_on = name, sector, founded_on
    org.save(update_fields=["name", "sector", "founded_on", "sort_key", "search_name"])
    history.correct_states(org, old, {"name": name, "sector": sector})
    versions.bump(org)
    audit.record(actor, "org.correct", org, org_path=org.path, changes=changes, reason=reason)
    return org


@transaction.atomic
def change_org_code(
    actor,
    org: Organization,
    code: str,
    decision: Decision = NO_DECISION,
    *,
    expected_version: str | None = None,
) -> Organization:
    """Correct an organisation's code, e.g. one stored with a "/" before codes were checked;
    the history keeps the old code (imports and reports use the new one from now on).
    `expected_version` is the version the page showed: a save over a later change is refused.
    The old code stays searchable (`FormerCode`)."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    code = code.strip()
    if not code:
        raise DomainError("Mã tổ chức không được để trống.", field="code")
    require_fields(Organization, {"code": code}, codes=("code",))
    if code == org.code:
        return org
    check_code_free(actor, code, org.parent, org.name)
    old = org.code
    org.code = code
    org.save(update_fields=["code"])
    _keep_former_code(org, old)
    versions.bump(org)
    audit.record(
        actor,
        "org.change_code",
        org,
        org_path=org.path,
        changes={"code": [old, code]},
        **decision.as_audit(),
    )
    return org


def _keep_former_code(org: Organization, old: str) -> None:
    """`old` is one of `org`'s former codes from now; the code it takes is one no longer."""
    FormerCode.unscoped.filter(org=org, code=org.code).delete()
    FormerCode.unscoped.update_or_create(org=org, code=old, defaults={"changed_at": timezone.now()})


@transaction.atomic
def move_organization(
    actor,
    org: Organization,
    new_parent: Organization,
    decision: Decision = NO_DECISION,
    *,
    expected_version: str | None = None,
) -> Organization:
    """Move `org` with everything below it under `new_parent`, from the decision's effective
    date (default today)."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    require(actor, Capability.MANAGE_ORGS, new_parent.path)
    versions.check(org, expected_version, label="Tổ chức")
    return record_move(actor, org, new_parent, decision)


def record_move(
    actor, org: Organization, new_parent: Organization, decision: Decision
) -> Organization:
    """The move itself, the actor's scope checked by the caller (`move_organization`, or the
    org-events import for every organisation of its file)."""
    if not org.is_active:
        raise DomainError(f"{org.name} đã giải thể, không thể chuyển.")
    if new_parent.path.startswith(org.path):
        raise DomainError("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.")
    if new_parent.pk == org.parent_id:
        return org
    check_parent(org.kind, new_parent)
    day, decision = history.dated(decision)
    # The subtree's states (an organisation ended under it keeps an older path, but the move
    # that made it older left a later state on an ancestor) and the new parent's.
    history.check_effective_on(day, Q(path__startswith=org.path) | Q(org=new_parent))
    old_parent = org.parent
    event = history.record_event(
        actor, org, OrgEventKind.MOVE, day, decision, new_parent=new_parent
    )
    relocate(org, new_parent, day, event)
    versions.bump(org)
    audit.record(
        actor,
        "org.move",
        org,
        org_path=org.path,
        changes={"parent": [old_parent.code if old_parent else None, new_parent.code]},
        **decision.as_audit(),
    )
    return org
