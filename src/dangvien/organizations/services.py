"""Every write to the organisation tree: create, rename, move with the subtree, dissolve."""

import datetime

from django.apps import apps
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from dangvien.core import audit, versions
from dangvien.core.changes import records_changed
from dangvien.core.decisions import NO_DECISION, Decision
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.roles import Capability
from dangvien.core.scope import require, scope_of, sees_org
from dangvien.core.validation import require_fields, require_reason
from dangvien.core.vntext import number
from dangvien.members import conflicts
from dangvien.members.models import ConflictKind
from dangvien.organizations.models import ALLOWED_PARENTS, Organization, OrgKind


def placement_error(kind: str, parent_kind: str | None) -> str | None:
    """Why an organisation of `kind` cannot sit under `parent_kind`, or None if it can."""
    if parent_kind in ALLOWED_PARENTS[kind]:
        return None
    label = OrgKind(kind).label
    if parent_kind is None:
        return f"{label} phải có tổ chức cấp trên."
    allowed = ", ".join(OrgKind(k).label for k in ALLOWED_PARENTS[kind] if k is not None)
    return f"{label} không thể trực thuộc {OrgKind(parent_kind).label}; chỉ trực thuộc: {allowed}."


def _check_parent(kind: str, parent: Organization | None) -> None:
    if parent is not None and not parent.is_active:
        raise DomainError(f"Tổ chức cấp trên {parent.name} đã giải thể.", field="parent")
    if error := placement_error(kind, parent.kind if parent else None):
        raise DomainError(error, field="parent")


def _require_manage(actor, parent: Organization | None) -> None:
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
    """Save a new organisation and give it its path (the id is needed for the path)."""
    org.parent = parent
    org.depth = parent.depth + 1 if parent else 0
    org.path = "/"
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    Organization.unscoped.filter(pk=org.pk).update(path=org.path)
    return org


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
    decision: Decision = NO_DECISION,
) -> Organization:
    """Establish an organisation under `parent` (the acting officer must manage the parent)."""
    code, name = code.strip(), " ".join(name.split())
    _require_manage(actor, parent)
    if not code or not name:
        raise DomainError("Mã và tên tổ chức là bắt buộc.")
    require_fields(Organization, {"code": code, "name": name}, codes=("code",))
    check_code_free(actor, code, parent, name)
    _check_parent(kind, parent)
    org = insert(Organization(code=code, name=name, kind=kind, founded_on=founded_on), parent)
    audit.record(
        actor,
        "org.create",
        org,
        org_path=org.path,
        changes={"code": [None, code], "name": [None, name], "kind": [None, OrgKind(kind).label]},
        **decision.as_audit(),
    )
    return org


@transaction.atomic
def rename_organization(
    actor,
    org: Organization,
    name: str,
    decision: Decision = NO_DECISION,
    *,
    expected_version: str | None = None,
) -> Organization:
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    name = " ".join(name.split())
    if not name:
        raise DomainError("Tên tổ chức không được để trống.", field="name")
    require_fields(Organization, {"name": name})
    if name == org.name:
        return org
    old = org.name
    org.name = name
    org.save(update_fields=["name", "sort_key", "search_name"])
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
    `expected_version` is the version the page showed: a save over a later change is refused."""
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


def relocate(org: Organization, new_parent: Organization | None) -> None:
    """Rewrite the paths of `org` and its whole subtree in one UPDATE, and the copies of those
    paths kept on other tables (models declaring `path_copy_field`), so scopes follow the move.
    `new_parent` None puts the organisation at the top of the tree."""
    parent_path, parent_depth = (new_parent.path, new_parent.depth) if new_parent else ("/", -1)
    old_path, new_path = org.path, f"{parent_path}{org.pk}/"
    records_changed(moves=[(old_path, new_path)])  # the path copies change in bulk
    depth_change = parent_depth + 1 - org.depth
    Organization.unscoped.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    for model in apps.get_models():
        if field := getattr(model, "path_copy_field", None):
            model._default_manager.filter(**{f"{field}__startswith": old_path}).update(
                **{field: Concat(Value(new_path), Substr(field, len(old_path) + 1))}
            )
    Organization.unscoped.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()


@transaction.atomic
def move_organization(
    actor,
    org: Organization,
    new_parent: Organization,
    decision: Decision = NO_DECISION,
    *,
    expected_version: str | None = None,
) -> Organization:
    """Move `org` with everything below it under `new_parent`."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    require(actor, Capability.MANAGE_ORGS, new_parent.path)
    versions.check(org, expected_version, label="Tổ chức")
    if not org.is_active:
        raise DomainError(f"{org.name} đã giải thể, không thể chuyển.")
    if new_parent.path.startswith(org.path):
        raise DomainError("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.")
    if new_parent.pk == org.parent_id:
        return org
    _check_parent(org.kind, new_parent)
    old_parent = org.parent
    relocate(org, new_parent)
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


def dissolution_blockers(org: Organization) -> dict[str, int]:
    """What must leave `org` before it is dissolved: the active organisations directly below
    it, the members active in its subtree, the candidates still under consideration there."""
    from dangvien.admissions.models import OPEN_STAGES, Candidate
    from dangvien.members.models import ACTIVE_STATUSES, Member

    members = Member.unscoped.filter(branch_path__startswith=org.path, status__in=ACTIVE_STATUSES)
    candidates = Candidate.unscoped.filter(org_path__startswith=org.path, stage__in=OPEN_STAGES)
    return {
        "children": org.children.filter(ended_on__isnull=True).count(),
        "members": members.count(),
        "candidates": candidates.count(),
    }


@transaction.atomic
def dissolve_organization(
    actor, org: Organization, decision: Decision, *, expected_version: str | None = None
) -> Organization:
    """End an organisation's operation; it stays in the data, with its history, for past reports.
    Only an empty organisation is dissolved: its organisations, members and candidates move
    first. Final for the tree and the scopes bound to it, so it takes a reason (issue 12); one
    dissolved by mistake comes back with `restore_organization`."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    if not org.is_active:
        raise DomainError(f"{org.name} đã giải thể từ {org.ended_on:%d/%m/%Y}.")
    ended_on = decision.effective_on
    if ended_on is None:
        raise DomainError("Cần ghi ngày giải thể.", field="effective_on")
    if org.founded_on and ended_on < org.founded_on:
        raise DomainError("Ngày giải thể không thể trước ngày thành lập.", field="effective_on")
    blockers = dissolution_blockers(org)
    if blockers["children"]:
        raise DomainError(
            f"{org.name} còn {number(blockers['children'])} tổ chức trực thuộc đang hoạt động: "
            "hãy chuyển hoặc giải thể các tổ chức này trước."
        )
    if blockers["members"]:
        raise DomainError(
            f"{org.name} còn {number(blockers['members'])} đảng viên đang sinh hoạt: "
            "hãy chuyển sinh hoạt đảng cho các đảng viên này trước."
        )
    if blockers["candidates"]:
        raise DomainError(
            f"{org.name} còn {number(blockers['candidates'])} quần chúng trong nguồn kết nạp: "
            "hãy chuyển họ sang chi bộ khác hoặc dừng xem xét trước."
        )
    require_reason(decision.reason, "Hãy ghi lý do giải thể tổ chức.")
    org.ended_on = ended_on
    org.save(update_fields=["ended_on"])
    versions.bump(org)
    audit.record(
        actor,
        "org.dissolve",
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
    (its date of dissolution cleared, the roles bound to it count again); what moved out before
    the dissolution stays where it went. Refused when its place was taken since."""
    require(actor, Capability.MANAGE_ORGS, org.path)
    versions.check(org, expected_version, label="Tổ chức")
    org = Organization.unscoped.select_related("parent").get(pk=org.pk)
    if problem := restoration_refusal(org):
        raise DomainError(problem)
    require_reason(reason, "Hãy ghi lý do khôi phục tổ chức.")
    ended_on = org.ended_on
    org.ended_on = None
    org.save(update_fields=["ended_on"])
    versions.bump(org)
    audit.record(
        actor,
        "org.restore",
        org,
        org_path=org.path,
        changes={"ended_on": [ended_on, None]},
        reason=reason.strip(),
    )
    return org
