"""Reads of member records shared by the list, the profile, exports and the API.

Everything starts from `visible_members(user)`: an officer's subtree, a secretary's branch, or a
member's own record.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, fields

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.utils import timezone

from dangvien.core.models import READ_ACTIONS, AuditEntry
from dangvien.core.paths import is_top
from dangvien.core.queryparams import parse_int, query_option
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of, visible
from dangvien.members import paging, search
from dangvien.members.models import ACTIVE_STATUSES, LEFT_STATUSES, Member, Placement, Status
from dangvien.organizations.models import Organization


def visible_members(user, capability: str = Capability.VIEW) -> QuerySet[Member]:
    """Members in the user's subtrees, plus, for the view capability, the user's own record.

    The own record is added (`OR user_id = …`) only when it lies outside those subtrees: the
    plain path condition lets PostgreSQL count a scope from an index alone, where the OR forces
    a read of every member row (about 100 ms a page for a province of 300,000).
    """
    queryset = visible(user, Member, capability)
    if capability == Capability.VIEW and _own_record_outside(user):
        queryset = queryset | Member.unscoped.filter(user=user)
    return queryset


def _own_record_outside(user) -> bool:
    """Whether the user's own member record lies outside the subtrees they may view (looked up
    once per request, kept on the user object like the scope)."""
    scope = scope_of(user)
    if scope.everything or not user.is_authenticated:
        return False
    own = own_record_path(user)
    return own is not None and not scope.allows(Capability.VIEW, own)


def own_record_path(user) -> str | None:
    """The branch path of the user's own member record, None without one: read once per
    request and kept on the user (the menu and the list's cache key both ask)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_dangvien_own_path"):
        own = Member.unscoped.filter(user=user).values_list("branch_path", flat=True).first()
        user._dangvien_own_path = own
    return user._dangvien_own_path


def get_member(user, pk: int, capability: str = Capability.VIEW) -> Member:
    """The member if the user holds `capability` on their branch; a record the user only reads
    is a 403 that says so, one outside the scope a 404 that says nothing of it."""
    found = visible_members(user, capability).select_related("branch").filter(pk=pk).first()
    if found is not None:
        return found
    if capability != Capability.VIEW and visible_members(user).filter(pk=pk).exists():
        raise PermissionDenied("Bạn chỉ được xem hồ sơ này, không được thay đổi.")
    raise Http404("Không tìm thấy đảng viên trong phạm vi của bạn.")


def own_record(user) -> Member | None:
    if not user.is_authenticated:
        return None
    return Member.unscoped.filter(user=user).select_related("branch").first()


_NUMBER_LABELS = {"age_from": "Tuổi từ", "age_to": "Tuổi đến", "admitted_year": "Năm vào Đảng"}


# The orders the list offers besides the name order: the column, then the name order.
SORTS = {
    "": "Họ tên (theo tên)",
    "code": "Mã đảng viên",
    "-code": "Mã đảng viên (giảm dần)",
    "birth_date": "Ngày sinh",
    "-birth_date": "Ngày sinh (gần nhất trước)",
    "admitted_on": "Ngày vào Đảng",
    "-admitted_on": "Ngày vào Đảng (gần nhất trước)",
    "official_on": "Ngày chính thức",
    "-official_on": "Ngày chính thức (gần nhất trước)",
}


@dataclass
class MemberFilters:
    """The filters of the member list, parsed from the query string (all optional)."""

    org: str = ""
    status: str = "active"
    q: str = ""
    gender: str = ""
    age_from: int | None = None
    age_to: int | None = None
    ethnicity: str = ""
    religion: str = ""
    qualification: str = ""
    political_theory: str = ""
    admitted_year: int | None = None
    position: str = ""
    sort: str = ""  # a key of SORTS; "" is the Vietnamese name order

    @classmethod
    def from_query(cls, query) -> "MemberFilters":
        """The filters of a query string; a number that is not one, or an order that is not
        offered, is a 400 (BadQuery)."""
        values = {}
        for spec in fields(cls):
            raw = query.get(spec.name, "").strip()
            if spec.name in ("age_from", "age_to", "admitted_year"):
                values[spec.name] = parse_int(raw, label=_NUMBER_LABELS[spec.name], high=9999)
            elif spec.name == "sort":
                values["sort"] = query_option(query, "sort", SORTS, label="Sắp xếp")
            elif raw:
                values[spec.name] = raw
        return cls(**values)

    @property
    def is_plain(self) -> bool:
        """Only the scope (or one organisation in it) and the default status, no other filter."""
        return self.status == "active" and all(
            getattr(self, spec.name) in ("", None)
            for spec in fields(self)
            if spec.name not in ("org", "status", "sort")
        )

    @property
    def more_in_use(self) -> int:
        """How many filters beyond the search box are set (their panel opens by itself)."""
        return sum(
            getattr(self, spec.name) not in ("", None)
            for spec in fields(self)
            if spec.name not in ("q", "status", "sort")
        ) + (self.status != "active")

    def as_query(self) -> dict:
        return {
            spec.name: getattr(self, spec.name)
            for spec in fields(self)
            if getattr(self, spec.name) not in ("", None)
        }


STATUS_FILTERS = {
    "active": ("Đang sinh hoạt", Q(status__in=ACTIVE_STATUSES)),
    "official": ("Chính thức", Q(status=Status.OFFICIAL)),
    "probationary": ("Dự bị", Q(status=Status.PROBATIONARY)),
    "exempt": (
        "Miễn công tác và sinh hoạt",
        Q(status__in=ACTIVE_STATUSES, exempt_since__isnull=False),
    ),
    "left": ("Đã ra khỏi Đảng, từ trần", Q(status__in=LEFT_STATUSES)),
    "transferred_out": ("Đã chuyển ra ngoài hệ thống", Q(status=Status.TRANSFERRED_OUT)),
    "all": ("Tất cả", Q()),
}


def _years_ago(years: int, today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29/02
        return today.replace(year=today.year - years, day=28)


def filter_members(user, filters: MemberFilters) -> QuerySet[Member]:
    """The member list: scope, then each filter, in Vietnamese name order."""
    queryset = scope = visible_members(user)
    if filters.org:
        org = visible(user, Organization).filter(code=filters.org).first()
        queryset = queryset.filter(branch_path__startswith=org.path) if org else queryset.none()
    queryset = queryset.filter(STATUS_FILTERS.get(filters.status, STATUS_FILTERS["active"])[1])
    if filters.q:
        queryset = queryset.filter(search.condition(scope, filters.q))
    today = timezone.localdate()
    if filters.age_from is not None:
        queryset = queryset.filter(birth_date__lte=_years_ago(filters.age_from, today))
    if filters.age_to is not None:
        oldest = _years_ago(filters.age_to + 1, today) + datetime.timedelta(days=1)
        queryset = queryset.filter(birth_date__gte=oldest)
    for name in ("gender", "ethnicity", "religion", "qualification", "political_theory"):
        if value := getattr(filters, name):
            queryset = queryset.filter(**{name: value})
    if filters.admitted_year:
        queryset = queryset.filter(admitted_on__year=filters.admitted_year)
    if filters.position:
        text = filters.position
        queryset = queryset.filter(
            Q(party_position__icontains=text)
            | Q(state_position__icontains=text)
            | Q(mass_org_position__icontains=text)
        )
    subtree = _is_subtree(user, filters)
    return queryset.select_related("branch").order_by(*sort_order(filters.sort, subtree=subtree))


# Columns a member always has: ordered without a NULLS clause, PostgreSQL reads their index
# either way (with one, a descending order cannot use an ascending index).
_REQUIRED_COLUMNS = {"code", "birth_date", "admitted_on"}


def sort_order(sort: str, *, subtree: bool = True) -> list:
    """The ORDER BY of the list (and its exports): a column of SORTS, then the name order. A
    missing date (official_on) sorts last either way.

    Member codes begin with their province's letters, so in a subtree the members whose codes
    come first are rarely near the start of the code index: walking it, PostgreSQL read 3.2
    million rows for a province's first page (4.8 s). Within a subtree the code is ordered as
    an expression the index does not serve, so the subtree's own rows are sorted (0.5 s for a
    province of 615,730); the whole tree walks the index."""
    if not sort:
        return ["sort_key", "id"]
    name = sort.lstrip("-")
    descending = sort.startswith("-")
    if name == "code" and subtree:
        column = Concat(F("code"), Value(""))
        column = column.desc() if descending else column.asc()
    elif name in _REQUIRED_COLUMNS:
        column = F(name).desc() if descending else F(name).asc()
    else:
        column = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    return [column, "sort_key", "id"]


def _is_subtree(user, filters: MemberFilters) -> bool:
    return bool(filters.org) or not scope_of(user).everything


# A filtered list counts its members exactly up to this many; beyond, it says "more than" and
# pages in name order without a last page (counting a filter over millions costs seconds).
EXACT_COUNT_LIMIT = 5_000


@dataclass(frozen=True)
class MemberPage:
    """One page of the member list: the ids in name order and the total (None: more than
    EXACT_COUNT_LIMIT, not counted)."""

    number: int
    ids: list[int]
    count: int | None
    has_next: bool
    size: int

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else _page_count(self.count, self.size)

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def more_than(self) -> int:
        return EXACT_COUNT_LIMIT

    @property
    def page_numbers(self) -> list[int | str]:
        """The pages the pager links to: the first, two either side of this one and the last
        (when the total is known), "…" for the gaps: page 40 of 40 is one click away."""
        last = self.num_pages or (self.number + 1 if self.has_next else self.number)
        shown = sorted({1, last, *range(max(1, self.number - 2), min(last, self.number + 2) + 1)})
        numbers: list[int | str] = []
        for number in shown:
            if numbers and number - numbers[-1] > 1:
                numbers.append("…")
            numbers.append(number)
        return numbers


def _page_count(total: int, size: int) -> int:
    """Pages of `size` rows holding `total` rows (an empty list still shows one page)."""
    return max(1, -(-total // size))


def _viewed_paths(user) -> list[str]:
    """The subtrees the user may view, "/" for the whole tree."""
    scope = scope_of(user)
    return ["/"] if scope.everything else sorted(scope.paths_for(Capability.VIEW))


def viewed_path(user, filters: MemberFilters) -> str:
    """Where a read of the filtered list is filed in the audit: the organisation asked for, or
    the deepest one above the user's scope ("" for the whole tree)."""
    from dangvien.core.audit import common_path

    if filters.org:
        org = visible(user, Organization).filter(code=filters.org).values_list("path", flat=True)
        if path := org.first():
            return path
    return common_path(_viewed_paths(user))


def member_page(user, filters: MemberFilters, number: str | None, size: int) -> MemberPage:
    """Page `number` of the filtered list, fast at any scale.

    The unfiltered list of a province or of the whole Party is counted from the unit tallies
    (reports/tallies/) and a smaller scope with one indexed COUNT. A filtered list first
    reads up to EXACT_COUNT_LIMIT matching (sort key, id) pairs in any order, through whatever
    index fits the filter (for a name, the members of the matching names, members/search.py):
    when that is all of them, the page
    is cut from them sorted here, so a rare name is not looked for along the whole name order.
    Otherwise the page is read along the name-order index, whose first pages the many matches
    fill quickly, and the total is only known to exceed the limit."""
    queryset = filter_members(user, filters)
    requested = parse_int(str(number or ""), label="Trang", high=10**9) or 1
    from dangvien.reports import tallies

    paths = _plain_paths(user, filters) if filters.is_plain else None
    version = None if paths is None else tallies.cache_version(paths)
    total = None if paths is None else _plain_total(paths, version)
    if filters.sort:
        order = sort_order(filters.sort, subtree=_is_subtree(user, filters))
        return _sorted_page(queryset, order, requested, total, size)
    if total is None:
        found = queryset.order_by().values_list("sort_key", "pk")[: EXACT_COUNT_LIMIT + 1]
        found = [(bytes(key), pk) for key, pk in found]
        if len(found) <= EXACT_COUNT_LIMIT:
            found.sort()
            pages = _page_count(len(found), size)
            page = min(requested, pages)
            ids = [pk for _, pk in found[(page - 1) * size : page * size]]
            return MemberPage(page, ids, len(found), page < pages, size)
    ids = queryset.values_list("pk", flat=True)
    return _page_in_name_order(ids, requested, total, size, version)


def _sorted_page(queryset, order: list, number: int, total: int | None, size: int) -> MemberPage:
    """A page in the order of a column (then the name order), read by the database: a few
    enough matches are counted exactly, more are only known to exceed EXACT_COUNT_LIMIT. A
    missing date sorts last either way."""
    ordered = queryset.order_by(*order).values_list("pk", flat=True)
    if total is None:
        counted = queryset.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
        total = counted if counted <= EXACT_COUNT_LIMIT else None
    if total is None:
        found = list(ordered[(number - 1) * size : number * size + 1])
        return MemberPage(number, found[:size], None, len(found) > size, size)
    pages = _page_count(total, size)
    number = min(number, pages)
    ids = list(ordered[(number - 1) * size : number * size])
    return MemberPage(number, ids, total, number < pages, size)


def list_cache_key(user, filters: MemberFilters, page: str | None, columns: list[str]) -> str:
    """The cache key of a rendered member list: the scope (or organisation) shown, the filters,
    the page and columns, and the data version of that scope (tallies.cache_version: the unit
    versions, which grow in the same transaction as any change to its members or branches, and
    the data generation, which a restore renews). "" (do not cache) when the user's own record
    is added to the scope."""
    from dangvien.reports import tallies

    if _own_record_outside(user):
        return ""
    paths = _viewed_paths(user)
    signature = json.dumps(
        [paths, filters.as_query(), page or "", columns, tallies.cache_version(paths)],
        ensure_ascii=False,
    )
    return "members-list:" + hashlib.sha256(signature.encode()).hexdigest()


def _page_in_name_order(
    ids: QuerySet, number: int, total: int | None, size: int, version: tuple | None = None
) -> MemberPage:
    """A page read along the name-order index. Of a counted list (the scope's, of data
    `version`), a page past the first mark is read from its page mark (members/paging.py),
    counted by the first such page of the first half; until they are, a page of the second
    half is read from the end (the last page is as quick as the first)."""
    if total is None:
        found = list(ids[(number - 1) * size : number * size + 1])
        return MemberPage(number, found[:size], None, len(found) > size, size)
    pages = _page_count(total, size)
    number = min(number, pages)
    offset = (number - 1) * size
    if version is not None and offset >= paging.MARK_EVERY:
        count = offset <= total // 2
        found = paging.page_from_marks(ids, version, offset, size, count=count)
        if found is not None:
            return MemberPage(number, found, total, number < pages, size)
    if offset > total // 2:
        take = min(size, total - offset)
        start = total - offset - take
        found = list(ids.reverse()[start : start + take])[::-1]
    else:
        found = list(ids[offset : offset + size])
    return MemberPage(number, found, total, number < pages, size)


def _plain_paths(user, filters: MemberFilters) -> list[str] | None:
    """The subtrees a plain list covers (the organisation asked for, or the user's scope;
    none for an organisation not seen); None when the user's own record is added to them."""
    if _own_record_outside(user):
        return None
    if filters.org:
        org = visible(user, Organization).filter(code=filters.org).first()
        return [] if org is None else [org.path]
    return _viewed_paths(user)


# How long the total of a plain list is kept under its data version (a change makes a new key,
# so the time only bounds memory).
TOTAL_SECONDS = 3600


def _plain_total(paths: list[str], version: tuple) -> int:
    """The active members of `paths`, kept in the cache under the data version of `paths`
    (`tallies.cache_version`, which grows with any change to a member or branch below): the
    unit tallies for a province or more (68 ms for the whole Party at 6m under load, its 754
    units read with their marks), an indexed COUNT below."""
    key = "members-total:" + hashlib.sha256(json.dumps([paths, version]).encode()).hexdigest()
    total = cache.get(key)
    if total is None:
        total = _count_plain(paths)
        cache.set(key, total, TOTAL_SECONDS)
    return total


def _count_plain(paths: list[str]) -> int:
    from dangvien.reports import tallies

    total = 0
    for path in paths:
        if path == "/" or is_top(path):  # the whole tree or a top organisation
            total += tallies.active_members(path)
        else:
            total += Member.unscoped.filter(
                branch_path__startswith=path, status__in=ACTIVE_STATUSES
            ).count()
    return total


# Fields distinct_values() lists; on PostgreSQL each has a b-tree index (ethnicity: 0001,
# religion: 0003) that the skip scan below walks.
LISTED_FIELDS = ("ethnicity", "religion")


def distinct_values(user, field: str, limit: int = 100) -> list[str]:
    """Values present in the user's scope (for the ethnicity and religion filters).

    A DISTINCT over the scope reads every member of it: hundreds of ms per list page for a
    province of 300,000 members. On PostgreSQL the few distinct values of the whole table are
    found instead by walking the index (one probe per value), and a value is kept when one member
    in scope has it (one EXISTS each, all in one query): the same list, in a few ms.
    """
    if field not in LISTED_FIELDS:
        raise ValueError(f"distinct_values() does not list {field!r}")
    scoped = visible_members(user).exclude(**{field: ""})
    if connection.vendor != "postgresql":
        return list(scoped.values_list(field, flat=True).order_by(field).distinct()[:limit])
    present: list[str] = []
    candidates = _values_in_table(field)
    for start in range(0, len(candidates), limit):
        chunk = candidates[start : start + limit]
        flags = (
            Organization.unscoped.order_by()
            .annotate(**{f"v{i}": Exists(scoped.filter(**{field: v})) for i, v in enumerate(chunk)})
            .values_list(*(f"v{i}" for i in range(len(chunk))))
            .first()
        )
        present += [value for value, flag in zip(chunk, flags or (), strict=False) if flag]
        if len(present) >= limit:
            break
    return present[:limit]


def _values_in_table(field: str) -> list[str]:
    """Every distinct non-empty value of a member column, in database order, by a skip scan."""
    column = connection.ops.quote_name(Member._meta.get_field(field).column)
    table = connection.ops.quote_name(Member._meta.db_table)
    sql = (
        f"WITH RECURSIVE found(value) AS ("
        f" SELECT MIN({column}) FROM {table} WHERE {column} > ''"
        f" UNION ALL"
        f" SELECT (SELECT MIN(m.{column}) FROM {table} m WHERE m.{column} > found.value)"
        f" FROM found WHERE found.value IS NOT NULL"
        f") SELECT value FROM found WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def active_members_below() -> Coalesce:
    """Scalar subquery: active members in the subtree of the outer organisation row."""
    counted = (
        Member.unscoped.filter(branch_path__startswith=OuterRef("path"), status__in=ACTIVE_STATUSES)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def member_counts(org: Organization) -> dict[str, int]:
    """Active members below `org` by status: one aggregate over the indexed path."""
    rows = (
        Member.unscoped.filter(branch_path__startswith=org.path, status__in=ACTIVE_STATUSES)
        .values("status")
        .order_by("status")
        .annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    official = counts.get(Status.OFFICIAL, 0)
    probationary = counts.get(Status.PROBATIONARY, 0)
    return {"members": official + probationary, "official": official, "probationary": probationary}


def former_member_count(org: Organization) -> int:
    """Members who left (resigned, removed, expelled, died) from a branch of `org`'s subtree:
    the list «Đã ra khỏi Đảng, từ trần» of the organisation."""
    return Member.unscoped.filter(
        branch_path__startswith=org.path, status__in=LEFT_STATUSES
    ).count()


def branch_on(member: Member, day: datetime.date) -> Organization | None:
    """The branch the member was active in on `day` (None before admission or after leaving)."""
    placement = (
        Placement.objects.filter(member=member, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("branch")
        .first()
    )
    return placement.branch if placement else None


def timeline(member: Member):
    return member.events.select_related("from_branch", "to_branch", "actor").order_by("on", "id")


def history(member: Member, limit: int = 200) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.unscoped.filter(target_type=Member._meta.label_lower, target_id=member.pk)
        .exclude(action__in=READ_ACTIONS)
        .select_related("actor")[:limit]
    )
