"""Reads of the organisation tree shared by views, API and reports; all start from the scope."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from dangvien.core.models import NOT_CHANGES, AuditEntry
from dangvien.core.paths import path_ids
from dangvien.core.queryparams import query_option
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.core.vntext import fold
from dangvien.organizations.models import (
    BASE_KINDS,
    BRANCH_KINDS,
    ENDING_EVENTS,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
    OrgState,
    Sector,
)


def visible_orgs(user, capability: str = Capability.VIEW) -> QuerySet[Organization]:
    return visible(user, Organization, capability)


def get_org(user, code: str, capability: str = Capability.VIEW) -> Organization:
    """The organisation with `code` if the user holds `capability` on it; one the user only
    reads is a 403 that says so, one outside the scope a 404 that says nothing of it."""
    found = visible_orgs(user, capability).select_related("parent").filter(code=code).first()
    if found is not None:
        return found
    if capability != Capability.VIEW and visible_orgs(user).filter(code=code).exists():
        raise PermissionDenied("Bạn chỉ được xem tổ chức này, không được thay đổi.")
    raise Http404("Không tìm thấy tổ chức trong phạm vi của bạn.")


def get_org_by_any_code(user, code: str, capability: str = Capability.VIEW) -> Organization:
    """The organisation with `code`, or the one whose code was changed from `code` since (a page
    opened before the change posts to the old address), if the user holds `capability` on it;
    else 404. Only organisations in the user's scope are looked up."""
    try:
        return get_org(user, code, capability)
    except Http404:
        changed = AuditEntry.unscoped.filter(
            action="org.change_code",
            target_type=Organization._meta.label_lower,
            changes__code__0=code,
        )
        ids = changed.order_by("-id").values_list("target_id", flat=True)[:5]
        org = visible_orgs(user, capability).select_related("parent").filter(pk__in=ids).first()
        if org is None:
            raise
        return org


def scope_roots(user) -> QuerySet[Organization]:
    """The topmost organisations the user may see (the roots of their subtrees)."""
    scope = scope_of(user)
    if scope.everything:
        return Organization.unscoped.filter(parent__isnull=True)
    return Organization.unscoped.filter(path__in=scope.paths_for(Capability.VIEW))


def _count_below(kinds: frozenset[str] | None = None) -> Coalesce:
    """Scalar subquery: active organisations strictly below the outer row (of `kinds`)."""
    below = Organization.unscoped.filter(
        path__startswith=OuterRef("path"), ended_on__isnull=True
    ).exclude(pk=OuterRef("pk"))
    if kinds is not None:
        below = below.filter(kind__in=kinds)
    counted = below.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_subtree_counts(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate each organisation with how many organisations, branches and active members its
    subtree holds."""
    from dangvien.members.selectors import active_members_below

    return queryset.annotate(
        orgs_below=_count_below(),
        branches_below=_count_below(BRANCH_KINDS),
        members_below=active_members_below(),
    )


def children_of(org: Organization, *, include_ended: bool = False) -> QuerySet[Organization]:
    children = org.children.all()
    if not include_ended:
        children = children.filter(ended_on__isnull=True)
    return with_subtree_counts(children).order_by("sort_key")


def subtree_summary(org: Organization) -> dict[str, int]:
    """Counts of active organisations of each kind strictly below `org`: one indexed query."""
    counts = dict.fromkeys(OrgKind.values, 0)
    rows = (
        Organization.unscoped.filter(path__startswith=org.path, ended_on__isnull=True)
        .exclude(pk=org.pk)
        .values("kind")
        .order_by("kind")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["kind"]] = row["n"]
    counts["base"] = sum(counts[kind] for kind in BASE_KINDS)
    counts["branches"] = sum(counts[kind] for kind in BRANCH_KINDS)
    from dangvien.members.selectors import member_counts

    counts.update(member_counts(org))
    return counts


def tree(user, max_nodes: int = 3000) -> tuple[list[dict], bool]:
    """The user's visible tree as nested dicts, ordered the Vietnamese way; cut at `max_nodes`."""
    rows = list(
        visible_orgs(user)
        .filter(ended_on__isnull=True)
        .order_by("depth", "sort_key")
        .values("pk", "code", "name", "kind", "parent_id", "depth")[: max_nodes + 1]
    )
    truncated = len(rows) > max_nodes
    nodes = {
        row["pk"]: {**row, "kind_label": OrgKind(row["kind"]).label, "children": []}
        for row in rows[:max_nodes]
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node["parent_id"])
        (parent["children"] if parent else roots).append(node)
    return roots, truncated


def search_orgs(user, query: str, limit: int = 50) -> QuerySet[Organization]:
    """Organisations whose name holds the words of `query` in order, or whose code begins with
    it, ignoring case and diacritics."""
    needle = fold(query)
    if not needle:
        return Organization.unscoped.none()
    return (
        visible_orgs(user)
        .filter(Q(search_name__words_in_order=needle) | Q(code__istartswith=query.strip()))
        .select_related("parent")
        .order_by("sort_key")[:limit]
    )


def history(org: Organization, limit: int = 100) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.unscoped.filter(target_type=Organization._meta.label_lower, target_id=org.pk)
        .exclude(action__in=NOT_CHANGES)
        .select_related("actor")[:limit]
    )


def ancestors(user, org: Organization) -> list[Organization]:
    """The visible ancestors of `org`, from the top down (for the breadcrumb)."""
    ids = path_ids(org.path)[:-1]
    found = {o.pk: o for o in visible_orgs(user).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def parent_choices(user, limit: int = 1000) -> list[Organization]:
    """Active organisations the user may place others under (codes offered by the forms)."""
    return list(
        visible_orgs(user, Capability.MANAGE_ORGS)
        .filter(ended_on__isnull=True)
        .exclude(kind__in=BRANCH_KINDS)
        .order_by("sort_key")
        .only("code", "name")[:limit]
    )


def org_and_children_rows(
    user, org: Organization, annotations: dict, fields, order=("sort_key",)
) -> tuple[dict, list[dict]]:
    """`org` and its active direct children, each with per-subtree aggregates (`annotations`
    taking the row's `path` as OuterRef), the children in `order` (by name unless a list sorts
    them by a column): two queries, whatever the number of members."""
    orgs = visible_orgs(user)
    total = orgs.filter(pk=org.pk).annotate(**annotations).values(*fields).get()
    children = (
        orgs.filter(parent=org, ended_on__isnull=True)
        .annotate(**annotations)
        .order_by(*order)
        .values(*fields)
    )
    return total, list(children)


# The groups of organisations counted below an organisation (subtree_summary, on its page and
# the home page), each count a link to its list (views.below): the same kinds, active only.
KIND_GROUPS: dict[str, tuple[str, frozenset[str] | None]] = {
    "all": ("Tổ chức trực thuộc", None),
    "upper": ("Đảng bộ cấp trên cơ sở", frozenset({OrgKind.UPPER})),
    "base": ("Tổ chức cơ sở đảng", BASE_KINDS),
    "partial": ("Đảng bộ bộ phận", frozenset({OrgKind.PARTIAL_COMMITTEE})),
    "branches": ("Chi bộ", BRANCH_KINDS),
}
STATES = {
    "active": ("Đang hoạt động", Q(ended_on__isnull=True)),
    "ended": ("Đã giải thể", Q(ended_on__isnull=False)),
    "all": ("Tất cả", Q()),
}
BELOW_SORTING = Sorting(
    orders={
        "name": ("sort_key",),
        "code": ("code",),
        "kind": ("depth", "kind"),
        "parent": ("parent__sort_key",),
        "ended_on": ("ended_on",),
    },
    default="name",
)


@dataclass(frozen=True)
class BelowFilters:
    """The filters of the list of organisations below one, from the query string; a value the
    list does not offer is a 400."""

    group: str = "all"
    state: str = "active"
    q: str = ""
    sort: str = ""

    @classmethod
    def from_query(cls, query) -> "BelowFilters":
        return cls(
            group=query_option(query, "kind", KIND_GROUPS, label="Loại tổ chức") or "all",
            state=query_option(query, "state", STATES, label="Tình trạng") or "active",
            q=query.get("q", "").strip(),
            sort=BELOW_SORTING.read(query),
        )

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters, the defaults left out."""
        values = {"kind": self.group, "state": self.state, "q": self.q, "sort": self.sort}
        defaults = {"kind": "all", "state": "active", "q": "", "sort": ""}
        return {key: value for key, value in values.items() if value != defaults[key]}


def orgs_below(user, org: Organization, filters: BelowFilters) -> QuerySet[Organization]:
    """The organisations strictly below `org` in the user's scope, of a group and a state, in
    the list's order, each with its subtree's counts: the active ones of a group are those
    `subtree_summary` counts."""
    found = (
        visible_orgs(user)
        .filter(path__startswith=org.path)
        .exclude(pk=org.pk)
        .filter(STATES[filters.state][1])
    )
    kinds = KIND_GROUPS[filters.group][1]
    if kinds is not None:
        found = found.filter(kind__in=kinds)
    if filters.q:
        by_name = Q(search_name__words_in_order=needle) if (needle := fold(filters.q)) else Q()
        found = found.filter(by_name | Q(code__istartswith=filters.q))
    return with_subtree_counts(found.select_related("parent")).order_by(
        *BELOW_SORTING.order_by(filters.sort)
    )


@dataclass(frozen=True)
class OrgRef:
    """An organisation named on a page: a link when the reader may open it."""

    name: str
    code: str = ""  # empty: shown without a link (outside the reader's scope)


@dataclass(frozen=True)
class TimelineChange:
    label: str
    old: OrgRef | str | None
    new: OrgRef | str | None


@dataclass(frozen=True)
class TimelineRow:
    event: OrgEvent
    deciding: OrgRef | None
    changes: list[TimelineChange]
    via: OrgRef | None = None  # the organisation the event happened to, when not this one


def _refs(user, orgs) -> dict[int, OrgRef]:
    """OrgRef of each organisation, linked when `user` sees it (one query)."""
    orgs = {org.pk: org for org in orgs if org is not None}
    seen = set(visible_orgs(user).filter(pk__in=orgs).values_list("pk", flat=True))
    return {pk: OrgRef(org.name, org.code if pk in seen else "") for pk, org in orgs.items()}


def timeline(user, org: Organization) -> list[TimelineRow]:
    """The organisation's history («Lịch sử tổ chức»), oldest first: its events, the moves of
    an organisation above it that carried it, and what it received; each with the decision and
    what changed (read from the states before and after), annulled ones included."""
    events = list(
        OrgEvent.unscoped.filter(Q(org=org) | Q(states__org=org) | Q(receiving=org))
        .distinct()
        .select_related("org", "deciding_org", "new_parent", "receiving")
        .order_by("effective_on", "id")
    )
    states = list(OrgState.unscoped.filter(org=org).select_related("parent"))
    ending_at = {state.valid_until: state for state in states if state.valid_until is not None}
    starting_at = {state.valid_from: state for state in states}
    named = [org, *(s.parent for s in states)]
    for event in events:
        named += [event.org, event.deciding_org, event.new_parent, event.receiving]
    refs = _refs(user, named)
    rows = []
    for event in events:
        before, after = ending_at.get(event.effective_on), starting_at.get(event.effective_on)
        carried = org.pk not in (event.org_id, event.receiving_id)  # moved with an ancestor
        rows.append(
            TimelineRow(
                event,
                refs[event.deciding_org_id] if event.deciding_org_id else None,
                _changes(event, org, before, after, refs),
                via=refs[event.org_id] if carried else None,
            )
        )
    return rows


def _changes(event, org, before, after, refs) -> list[TimelineChange]:
    """What an event changed for `org`, for the timeline."""
    changes = []
    kind = event.kind
    if kind == OrgEventKind.RENAME:
        changes.append(TimelineChange("Tên", event.old_name, event.new_name))
    if kind == OrgEventKind.ESTABLISH and event.new_parent_id:
        changes.append(TimelineChange("Trực thuộc", None, refs[event.new_parent_id]))
    if kind == OrgEventKind.MOVE:
        new = refs[event.new_parent_id] if event.new_parent_id else "Cấp cao nhất"
        if event.org_id == org.pk:
            old = refs.get(before.parent_id) if before and before.parent_id else None
            changes.append(TimelineChange("Tổ chức cấp trên", old, new))
        else:  # carried by the move of an organisation above it
            changes.append(TimelineChange("Chuyển đến", None, new))
    if kind == OrgEventKind.CHANGE and before and after:
        if before.kind != after.kind:
            labels = OrgKind(before.kind).label, OrgKind(after.kind).label
            changes.append(TimelineChange("Loại tổ chức", *labels))
        if before.sector != after.sector:
            labels = (_sector_label(before.sector), _sector_label(after.sector))
            changes.append(TimelineChange("Loại hình", *labels))
    if event.receiving_id and event.receiving_id != org.pk:
        changes.append(TimelineChange("Tổ chức tiếp nhận", None, refs[event.receiving_id]))
    elif event.receiving_id:
        changes.append(TimelineChange("Tiếp nhận", None, refs[event.org_id]))
    return changes


def _sector_label(sector: str) -> str:
    return Sector(sector).label if sector else "Chưa ghi"


@dataclass(frozen=True)
class Ending:
    """How an ended organisation ended, for its page: the event and its successor, if any."""

    event: OrgEvent | None
    successor: OrgRef | None


def ending(user, org: Organization) -> Ending | None:
    """The event that ended `org` (None while it is active) and the organisation it went into."""
    if org.ended_on is None:
        return None
    event = (
        OrgEvent.unscoped.filter(
            org=org, kind__in=ENDING_EVENTS, effective_on=org.ended_on, annulled_at__isnull=True
        )
        .select_related("receiving")
        .order_by("-id")
        .first()
    )
    successor = None
    if event is not None and event.receiving is not None:
        successor = _refs(user, [event.receiving])[event.receiving_id]
    return Ending(event, successor)
