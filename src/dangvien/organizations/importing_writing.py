"""The write of a checked `dangvien import orgs` file: parents before their children, an
organisation created with its first state (and its establishing when the file dates it), an
update corrected in place in every state that carried the old value, a new parent a move from
today (history never rewritten: organizations.history); each one audited.
"""

from dangvien.core import audit, versions
from dangvien.core.decisions import Decision
from dangvien.organizations import history
from dangvien.organizations.importing_columns import PlannedOrg, sector_label
from dangvien.organizations.importing_plan import OrgsPlan
from dangvien.organizations.models import Organization, OrgEventKind, OrgKind, OrgState
from dangvien.organizations.services import insert, relocate


def _order_parents_first(planned: list[PlannedOrg]) -> list[PlannedOrg]:
    by_code = {p.code: p for p in planned}
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        if code not in depth:
            parent = by_code[code].parent_code
            depth[code] = depth_of(parent) + 1 if parent in by_code else 0
        return depth[code]

    return sorted(planned, key=lambda p: (depth_of(p.code), p.row))


def _create(planned: PlannedOrg, parent: Organization | None, actor, note: str) -> Organization:
    """A new organisation with its first state, and its establishing when the file dates it."""
    org = Organization(
        code=planned.code,
        name=planned.name,
        kind=planned.kind,
        sector=planned.sector,
        founded_on=planned.founded_on,
    )
    insert(org, parent)
    if org.founded_on is not None:
        event = history.record_event(
            actor,
            org,
            OrgEventKind.ESTABLISH,
            org.founded_on,
            Decision(reason=note),
            new_parent=parent,
        )
        OrgState.unscoped.filter(org=org).update(event=event)
    changes = {
        "code": [None, org.code],
        "name": [None, org.name],
        "kind": [None, OrgKind(org.kind).label],
    }
    if org.sector:
        changes["sector"] = [None, sector_label(org.sector)]
    if org.founded_on:
        changes["founded_on"] = [None, org.founded_on]
    audit.record(actor, "org.create", org, org_path=org.path, changes=changes, reason=note)
    return org


def _update(planned: PlannedOrg, parent: Organization | None, actor, note: str) -> None:
    """Name, kind, sector and founding date are corrected in place (in every state that
    carried the old value); a new parent is a move from today, with its subtree."""
    org = planned.existing
    org.refresh_from_db()
    old = {"name": org.name, "kind": org.kind, "sector": org.sector}
    org.name, org.kind = planned.name, planned.kind
    fields = ["name", "kind", "sort_key", "search_name"]
    if "sector" in planned.changes:
        org.sector = planned.sector
        fields.append("sector")
    if "founded_on" in planned.changes:
        org.founded_on = planned.founded_on
        fields.append("founded_on")
        history.correct_founding(org, org.founded_on)
    org.save(update_fields=fields)
    history.correct_states(org, old, {"name": org.name, "kind": org.kind, "sector": org.sector})
    if "parent" in planned.changes:
        day = history.today()
        event = history.record_event(
            actor, org, OrgEventKind.MOVE, day, Decision(reason=note), new_parent=parent
        )
        relocate(org, parent, day, event)
    versions.bump(org)  # a form opened before the import is now stale
    audit.record(actor, "org.update", org, org_path=org.path, changes=planned.changes, reason=note)


def apply(plan: OrgsPlan, actor, filename: str) -> None:
    """Every row of a checked plan written, parents before their children, counted in its report."""
    note = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    orgs = dict(plan.existing)
    # Paths held in memory are exact until a move rewrites a subtree's paths in the database.
    moved = False
    for planned in _order_parents_first(plan.report.planned):
        parent = orgs.get(planned.parent_code) if planned.parent_code else None
        if parent is not None and moved:
            parent.refresh_from_db(fields=["path", "depth"])
        if planned.existing is None:
            orgs[planned.code] = _create(planned, parent, actor, note)
            plan.report.created += 1
        elif planned.changes:
            _update(planned, parent, actor, note)
            moved = moved or "parent" in planned.changes
            plan.report.updated += 1
        else:
            plan.report.unchanged += 1
