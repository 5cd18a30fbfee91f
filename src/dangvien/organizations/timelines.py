"""An organisation's past as its page and the search show it: its timeline of events (what
each decision changed for it, moves of an organisation above it included), how it ended and
what it became. Organisations named are links only where the reader may open them."""

from dataclasses import dataclass

from django.db.models import Q

from dangvien.core.paths import path_ids
from dangvien.core.scope import visible
from dangvien.organizations import dated
from dangvien.organizations.models import (
    ENDING_EVENTS,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
    OrgState,
    Sector,
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
    seen = set(visible(user, Organization).filter(pk__in=orgs).values_list("pk", flat=True))
    return {pk: OrgRef(org.name, org.code if pk in seen else "") for pk, org in orgs.items()}


def timeline(user, org: Organization) -> list[TimelineRow]:
    """The organisation's history («Lịch sử tổ chức»), oldest first: its events, the moves of
    an organisation above it that carried it, and what it received; each with the decision and
    what changed (read from the states before and after), annulled ones included."""
    states = list(OrgState.unscoped.filter(org=org).select_related("parent"))
    related = ("org", "deciding_org", "new_parent", "receiving")
    own = Q(org=org) | Q(states__org=org) | Q(receiving=org)
    events = list(OrgEvent.unscoped.filter(own).distinct().select_related(*related))
    if on_own_day := _carried_on_its_own_day(org, states, events):
        events += (
            OrgEvent.unscoped.filter(on_own_day)
            .exclude(pk__in=[e.pk for e in events])
            .select_related(*related)
        )
    events.sort(key=lambda event: (event.effective_on, event.pk))
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


# Events that take what stood below the organisation they happen to elsewhere.
MOVE, ABSORBING = OrgEventKind.MOVE, (OrgEventKind.ABSORB, OrgEventKind.AMALGAMATE)


def _carried_on_its_own_day(
    org: Organization, states: list[OrgState], own: list[OrgEvent]
) -> Q | None:
    """The events of an organisation above that carried `org` on a day its own state began
    (founded, renamed … that day): that state took the new path in place and keeps its own
    event (history.move_states), so the paths and the order of recording tell. A move counts
    when the mover stands above it after the day's changes and was recorded after `org`'s own
    move of that day, if any; an absorption when the absorbed one stood above it before and
    the receiving one stands above it after."""
    ending_at = {state.valid_until: state for state in states if state.valid_until is not None}
    own_moves = {e.effective_on: e.pk for e in own if e.org_id == org.pk and e.kind == MOVE}
    found = None
    for state in states:
        if state.valid_from is None:
            continue
        after = path_ids(state.path)[:-1]
        before_state = ending_at.get(state.valid_from)
        before = path_ids(before_state.path)[:-1] if before_state else []
        since = max(state.event_id or 0, own_moves.get(state.valid_from, 0))
        moved = Q(kind=MOVE, org_id__in=after)
        absorbed = Q(kind__in=ABSORBING, org_id__in=before, receiving_id__in=after)
        carried = Q(effective_on=state.valid_from, pk__gt=since) & (moved | absorbed)
        found = carried if found is None else found | carried
    return found


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
    """How an ended organisation ended, for its page: the event and its successor, if any (a
    split: the new organisations it was split into, `parts`)."""

    event: OrgEvent | None
    successor: OrgRef | None
    parts: tuple[OrgRef, ...] = ()


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
    if event is not None and event.receiving is not None:
        return Ending(event, _refs(user, [event.receiving])[event.receiving_id])
    parts = dated.split_into(org)
    refs = _refs(user, parts)
    return Ending(event, None, tuple(refs[part.pk] for part in parts))


@dataclass(frozen=True)
class Successor:
    """What an ended organisation became (sáp nhập vào, hợp nhất thành, or chia tách thành:
    `parts`, of which `ref` is the first), for search results."""

    ref: OrgRef
    amalgamated: bool
    parts: tuple[OrgRef, ...] = ()

    @property
    def kind(self) -> str:
        if self.parts:
            return OrgEventKind.SPLIT
        return OrgEventKind.AMALGAMATE if self.amalgamated else OrgEventKind.ABSORB


def successors(user, orgs) -> dict[int, Successor]:
    """The organisation each ended one of `orgs` went into, as `dated.successor_of` reads it
    (its latest absorption or amalgamation not annulled), or the ones it was split into,
    linked when `user` sees them: two queries for them all."""
    orgs = list(orgs)
    ended = [org.pk for org in orgs if org.ended_on is not None]
    events = (
        OrgEvent.unscoped.filter(org_id__in=ended, kind__in=ABSORBING, annulled_at__isnull=True)
        .select_related("receiving")
        .order_by("org_id", "-effective_on", "-id")
    )
    latest = {}
    for event in events:
        latest.setdefault(event.org_id, event)
    split = dated.split_parts([org for org in orgs if org.pk not in latest])
    everyone = [event.receiving for event in latest.values()]
    refs = _refs(user, everyone + [part for parts in split.values() for part in parts])
    found = {
        org_id: Successor(refs[event.receiving_id], event.kind == OrgEventKind.AMALGAMATE)
        for org_id, event in latest.items()
    }
    for org_id, parts in split.items():
        named = tuple(refs[part.pk] for part in parts)
        found[org_id] = Successor(named[0], False, named)
    return found
