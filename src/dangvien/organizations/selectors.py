"""Reads of the organisation tree shared by views, API and reports; all start from the scope."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
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
    FormerCode,
    Organization,
    OrgKind,
)
from dangvien.organizations.timelines import Successor, successors


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
        ids = FormerCode.unscoped.filter(code=code).values_list("org_id", flat=True)[:5]
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


def count_below(kinds: frozenset[str] | None = None) -> Coalesce:
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
        orgs_below=count_below(),
        branches_below=count_below(BRANCH_KINDS),
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


def search_orgs(user, query: str, limit: int | None = 50) -> QuerySet[Organization]:
    """Organisations whose name holds the words of `query` in order, or whose code, or a code
    it had before (`former_code`: the one that matched, when today's does not), begins with it,
    ignoring case and diacritics; ended ones too (their page says what they became)."""
    if not fold(query):
        return Organization.unscoped.none()
    found = matching(visible_orgs(user), query).select_related("parent").order_by("sort_key")
    return found if limit is None else found[:limit]


def former_codes(org: Organization) -> list[str]:
    """The codes `org` had before, the latest given up first."""
    return list(FormerCode.unscoped.filter(org=org).values_list("code", flat=True))


def matching(queryset: QuerySet[Organization], query: str) -> QuerySet[Organization]:
    """`queryset` narrowed to the organisations `query` finds by name, code or former code
    (`search_orgs`), each with the former code that matched (`former_code`, else None)."""
    text, needle = query.strip(), fold(query)
    by_name = Q(search_name__words_in_order=needle) if needle else Q(pk__in=[])
    former = FormerCode.unscoped.filter(code__istartswith=text)
    matched = former.filter(org=OuterRef("pk")).order_by("-changed_at", "-id").values("code")
    return queryset.filter(
        by_name | Q(code__istartswith=text) | Q(pk__in=former.values("org_id"))
    ).annotate(
        former_code=Case(
            When(code__istartswith=text, then=Value(None)),
            default=Subquery(matched[:1]),
            output_field=CharField(),
        )
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
        found = matching(found, filters.q)
    return with_subtree_counts(found.select_related("parent")).order_by(
        *BELOW_SORTING.order_by(filters.sort)
    )


@dataclass(frozen=True)
class Found:
    """A search result: the organisation and, when it ended, what it became."""

    org: Organization
    successor: Successor | None = None


def search_results(user, query: str) -> list[Found]:
    """The organisation search of the tree page (`search_orgs`) with the successors."""
    found = list(search_orgs(user, query))
    after = successors(user, found)
    return [Found(org, after.get(org.pk)) for org in found]
