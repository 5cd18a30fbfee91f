"""The tree as it stood on a date, read from the organisations' states (models.OrgState).

A report of a past date reads the organisation it is about, its parent, name and children, and
the branch each member was in, as they were on that date (formats.md, "Report JSON"). Today's
tree is the `Organization` rows; every earlier one is the states in force on the day.
"""

import contextvars
import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import F, FilteredRelation, Q, QuerySet

from dangvien.core.paths import path_ids
from dangvien.core.roles import Capability
from dangvien.core.scope import Scope, sees_org
from dangvien.core.vntext import sort_key
from dangvien.organizations.history import holding_on, today
from dangvien.organizations.models import (
    WHOLE_PARTY_CODE,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgState,
    whole_party,
)


def state_of(relation: str, day: datetime.date) -> FilteredRelation:
    """The state holding on `day` of the organisation a row reaches through `relation`
    ("branch", "organization"): annotate a query with it (`at=state_of("branch", day)`) and
    filter or group on `at__path`, `at__kind` … to read that day's tree in one join."""
    states = f"{relation}__states"
    return FilteredRelation(states, condition=holding_on(day, f"{states}__"))


# Events after which an organisation's path or kind on an earlier day differs from today's.
RESHAPING = (
    OrgEventKind.MOVE,
    OrgEventKind.ABSORB,
    OrgEventKind.AMALGAMATE,
    OrgEventKind.SPLIT,
    OrgEventKind.CHANGE,
)


_reshapings: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "dangvien_reshapings", default=None
)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within it, whether the tree was reshaped since a day (below a path) is looked up once
    per day and path (a report asks many times)."""
    token = _reshapings.set({})
    try:
        yield
    finally:
        _reshapings.reset(token)


def _reshapings_after(day: datetime.date) -> QuerySet[OrgEvent]:
    return OrgEvent.unscoped.filter(
        kind__in=RESHAPING, annulled_at__isnull=True, effective_on__gt=day
    )


def _touching(day: datetime.date, path: str) -> Q:
    """The reshapings that may have changed what lies below `path` since `day`: those of an
    organisation above it or itself (its own path changed), or of one that stood below it on
    some day since (before or after the change: moved out, in or within), or that brought
    organisations to one below it (new parent, receiving). One indexed prefix read of the
    states below `path`, and the few events after `day`."""
    since = Q(valid_until__isnull=True) | Q(valid_until__gt=day)
    below = OrgState.unscoped.filter(since, path__startswith=path).values("org_id")
    touching = Q(org_id__in=path_ids(path))
    for field in ("org_id", "receiving_id", "new_parent_id"):
        touching |= Q(**{f"{field}__in": below})
    return touching


def _reshaped(day: datetime.date, path: str | None) -> bool:
    events = _reshapings_after(day)
    if path is not None and path != "/":
        events = events.filter(_touching(day, path))
    return events.exists()


def reshaped_since(day: datetime.date, path: str | None = None) -> bool:
    """Whether an organisation moved, merged, split or changed kind after `day` where it
    changes what the organisation at `path` (its path on `day` or on a later day) holds:
    until one does, the paths copied on today's records (`Member.branch_path`,
    `MemberAssessment.branch_path` …) are the paths of every day since below it too, and their
    indexes answer a past report. Without `path` (or for the whole Party, "/"), anywhere in
    the tree. False for a day means False for every later day."""
    if day >= today():
        return False  # no change takes effect in the future (history.check_effective_on)
    memo = _reshapings.get()
    if memo is None:
        return _reshaped(day, path)
    key = (day, path)
    if key not in memo:
        memo[key] = _reshaped(day, path)
    return memo[key]


def stood_in(start, day, prefix: str = "", ended_on=None) -> Q:
    """The states of organisations as they stood at a period's end: the one holding on `day`,
    or, for an organisation ended within the period (after `start`, by `day`), its last state
    (the one ending on its `ended_on`, a state begun that very day left out), so that each
    organisation of the period has exactly one. `start` and `day` are dates or SQL expressions
    of dates, `prefix` reaches the states from another model, `ended_on` is the organisation's
    end (an F expression; default that of `OrgState.org`)."""
    ended_on = ended_on if ended_on is not None else F("org__ended_on")
    last = Q(
        **{
            f"{prefix}valid_until": ended_on,
            f"{prefix}valid_until__gt": start,
            f"{prefix}valid_until__lte": day,
        }
    ) & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lt": ended_on}))
    return holding_on(day, prefix) | last


def state_as_it_stood(relation: str, start, day) -> FilteredRelation:
    """The state, as `stood_in` picks it, of the organisation a row reaches through `relation`
    ("placements__branch", "organization"): annotate with it and filter or group on `at__path`."""
    states = f"{relation}__states"
    condition = stood_in(start, day, f"{states}__", F(f"{relation}__ended_on"))
    return FilteredRelation(states, condition=condition)


def placed(
    queryset: QuerySet,
    relation: str,
    day: datetime.date,
    *,
    path: str,
    kind: str = "",
    within: str | None = None,
    since: datetime.date | None = None,
) -> QuerySet:
    """`queryset` with `placed_path` (and `placed_kind`), the path (and kind) that the
    organisation reached through `relation` had on `day`: today's copies `path` and `kind`
    (indexed columns) while nothing reshaped the tree since (below `within`, the path on `day`
    of the organisation the caller reads; anywhere without it), else that day's state (a join).
    With `since` (the first day of a period ending on `day`), an organisation ended within the
    period is placed where it last stood (`stood_in`), as today's copies place it."""
    if not reshaped_since(day, within):
        aliases = {"placed_path": F(path), **({"placed_kind": F(kind)} if kind else {})}
        return queryset.alias(**aliases)
    at = state_of(relation, day) if since is None else state_as_it_stood(relation, since, day)
    aliases = {"placed_path": F("at__path"), **({"placed_kind": F("at__kind")} if kind else {})}
    return queryset.annotate(at=at).alias(**aliases)


def state_on(org: Organization, day: datetime.date) -> OrgState | None:
    """`org`'s state on `day`; None when it did not exist then."""
    return OrgState.unscoped.filter(holding_on(day), org=org).first()


def as_of(org: Organization, day: datetime.date) -> Organization | None:
    """`org` as it stood on `day`: an unsaved copy carrying that day's name, kind, sector,
    parent and path, for the report builders (which read `org.path` as a prefix); None when it
    did not exist then. The whole Party is the whole Party on any day."""
    if org.pk is None or org.code == WHOLE_PARTY_CODE:
        return whole_party()
    state = state_on(org, day)
    return None if state is None else _copy(org, state)


def _copy(org: Organization, state: OrgState) -> Organization:
    copy = Organization(
        pk=org.pk,
        code=org.code,
        name=state.name,
        kind=state.kind,
        sector=state.sector,
        parent_id=state.parent_id,
        path=state.path,
        depth=state.depth,
        founded_on=org.founded_on,
        ended_on=org.ended_on,
    )
    copy.sort_key = sort_key(state.name)
    return copy


def children_on(org: Organization, day: datetime.date) -> list[OrgState]:
    """The states of `org`'s direct children on `day` (the provinces for the whole Party), in
    Vietnamese name order."""
    parent = Q(parent__isnull=True) if org.pk is None else Q(parent_id=org.pk)
    states = OrgState.unscoped.filter(holding_on(day), parent).select_related("org")
    return sorted(states, key=lambda state: sort_key(state.name))


def children_as_of(org: Organization, day: datetime.date) -> list[Organization]:
    """`org`'s direct children as they stood on `day` (unsaved copies, as `as_of` gives)."""
    return [_copy(state.org, state) for state in children_on(org, day)]


def states_below(path: str, day: datetime.date) -> QuerySet[OrgState]:
    """The states in force on `day` of the organisations strictly below the one whose path on
    that day is `path` ("/" for the whole Party)."""
    return OrgState.unscoped.filter(holding_on(day), path__startswith=path).exclude(path=path)


def absence(org: Organization, day: datetime.date, reader=None) -> str | None:
    """Why `org` has no report on `day`, in Vietnamese: not yet established, or ended (and what
    it became: by name, part of the ended organisation's own history, which its reader sees
    (issue 13: "an organisation's own history comes with it"), as its timeline, the search and
    the API name it; by code only when `reader`, a user or a Scope, may open it; None: the
    command line, which sees every organisation); None when it existed then."""
    if org.pk is None or state_on(org, day) is not None:
        return None
    states = OrgState.unscoped.filter(org=org)
    first = states.order_by("valid_from").values_list("valid_from", flat=True).first()
    if first is not None and day < first:
        return f"{org.name} được thành lập ngày {first:%d/%m/%Y}, sau ngày {day:%d/%m/%Y}."
    ended = (
        org.ended_on
        or states.order_by("-valid_until").values_list("valid_until", flat=True).first()
    )
    text = f"{org.name} đã kết thúc hoạt động từ ngày {ended:%d/%m/%Y}" if ended else org.name
    if successor := successor_of(org):
        text += f" (đã sáp nhập vào {_named(reader, successor)})"
    elif parts := split_into(org):
        text += f" (đã chia tách thành {'; '.join(_named(reader, part) for part in parts)})"
    return text + "."


def _named(reader, org: Organization) -> str:
    return f"{org.name}, mã {org.code}" if _may_name(reader, org.path) else org.name


def _may_name(reader, path: str) -> bool:
    """Whether `reader` (a user, a Scope, or None for the command line) may see the
    organisation at `path` (today's tree): in their scope or above it (core.scope.sees_org)."""
    if reader is None:
        return True
    if not isinstance(reader, Scope):
        return sees_org(reader, path)
    if reader.allows(Capability.VIEW, path):
        return True
    return any(prefix.startswith(path) for prefix in reader.paths_for(Capability.VIEW))


def split_into(org: Organization) -> list[Organization]:
    """The new organisations `org` was split into on the day it ended (chia tách), if any."""
    return split_parts([org]).get(org.pk, [])


def split_parts(orgs) -> dict[int, list[Organization]]:
    """The new organisations each ended one of `orgs` was split into on the day it ended
    (chia tách, then giải thể: events not annulled), in the order recorded; one query."""
    ended = {org.pk: org.ended_on for org in orgs if org.ended_on is not None}
    events = OrgEvent.unscoped.filter(
        org_id__in=ended, kind=OrgEventKind.SPLIT, annulled_at__isnull=True
    ).select_related("receiving")
    found: dict[int, list[Organization]] = {}
    for event in events.order_by("org_id", "id"):
        if event.effective_on == ended[event.org_id] and event.receiving is not None:
            found.setdefault(event.org_id, []).append(event.receiving)
    return found


def successor_of(org: Organization) -> Organization | None:
    """The organisation that received `org` when it ended (sáp nhập, hợp nhất), if any."""
    merged = (OrgEventKind.ABSORB, OrgEventKind.AMALGAMATE)
    event = (
        OrgEvent.unscoped.filter(org=org, kind__in=merged, annulled_at__isnull=True)
        .select_related("receiving")
        .order_by("-effective_on", "-id")
        .first()
    )
    return event.receiving if event else None
