"""The mechanics every write to the tree shares: where a kind may sit, who may manage a place,
free codes, inserting an organisation and moving a subtree (paths, their copies, the states)."""

import datetime

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import Capability
from dangvien.core.scope import require, scope_of, sees_org
from dangvien.members import conflicts
from dangvien.members.models import ConflictKind
from dangvien.organizations import history
from dangvien.organizations.models import ALLOWED_PARENTS, Organization, OrgEvent, OrgKind, Sector
from dangvien.organizations.services import path_copies


def placement_error(kind: str, parent_kind: str | None) -> str | None:
    """Why an organisation of `kind` cannot sit under `parent_kind`, or None if it can."""
    if parent_kind in ALLOWED_PARENTS[kind]:
        return None
    label = OrgKind(kind).label
    if parent_kind is None:
        return f"{label} phải có tổ chức cấp trên."
    allowed = ", ".join(OrgKind(k).label for k in ALLOWED_PARENTS[kind] if k is not None)
    return f"{label} không thể trực thuộc {OrgKind(parent_kind).label}; chỉ trực thuộc: {allowed}."


def check_parent(kind: str, parent: Organization | None) -> None:
    if parent is not None and not parent.is_active:
        raise DomainError(f"Tổ chức cấp trên {parent.name} đã giải thể.", field="parent")
    if error := placement_error(kind, parent.kind if parent else None):
        raise DomainError(error, field="parent")


def check_kind(kind: str) -> None:
    if kind not in OrgKind.values:
        raise DomainError("Loại tổ chức không hợp lệ.", field="kind")


def check_sector(sector: str) -> None:
    if sector and sector not in Sector.values:
        allowed = ", ".join(Sector.labels)
        raise DomainError(f"Loại hình không hợp lệ; chỉ nhận: {allowed}.", field="sector")


def require_manage(actor, parent: Organization | None) -> None:
    if parent is None:
        if not scope_of(actor).everything:
            raise ScopeDenied("Chỉ quản trị hệ thống được tạo tổ chức cấp cao nhất.")
    else:
        require(actor, Capability.MANAGE_ORGS, parent.path)


def check_code_free(actor, code: str, parent: Organization | None, name: str = "") -> None:
    """Organisation codes are unique across the tree: a code in use is named when the actor sees
    that organisation, otherwise refused without saying which (recorded by records_conflicts)."""
    holder = Organization.unscoped.filter(code=code).first()
    if holder is None:
        return
    if sees_org(actor, holder.path):
        raise DomainError(
            f"Mã tổ chức {code} đã được dùng. Đó là mã của {holder.name}.", field="code"
        )
    collision = conflicts.Collision(
        ConflictKind.ORG_CODE,
        code,
        holder,
        holder.path,
        parent.path if parent else "/",
        attempted_label=name,
        existing_label=f"{holder.name} (mã {holder.code})",
    )
    raise conflicts.collision_error("Mã tổ chức", collision, field="code")


def insert(org: Organization, parent: Organization | None) -> Organization:
    """Save a new organisation, give it its path (the id is needed for the path) and its first
    state (from `founded_on` until `ended_on`)."""
    org.parent = parent
    org.depth = parent.depth + 1 if parent else 0
    org.path = "/"
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    Organization.unscoped.filter(pk=org.pk).update(path=org.path)
    history.first_state(org)
    return org


def relocate(
    org: Organization,
    new_parent: Organization | None,
    on: datetime.date | None = None,
    event: OrgEvent | None = None,
) -> None:
    """Put `org` and its whole subtree under `new_parent` (None: at the top of the tree) from
    `on` (default today): their states from that day carry the new paths (history.move_states),
    and today's paths are rewritten in one UPDATE, with the copies of those paths kept on other
    tables (models declaring `path_copy_field`, rewritten by `path_copies`: now, or with the
    batch's other moves), so scopes follow the move."""
    history.move_states(org, new_parent, on or history.today(), event)
    parent_path, parent_depth = (new_parent.path, new_parent.depth) if new_parent else ("/", -1)
    old_path, new_path = org.path, f"{parent_path}{org.pk}/"
    depth_change = parent_depth + 1 - org.depth
    Organization.unscoped.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    path_copies.follow_move(old_path, new_path)
    Organization.unscoped.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
