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

from dangvien.core.vntext import sort_key
from dangvien.organizations.history import holding_on
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


_last_reshaping: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "dangvien_last_reshaping", default=None
)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within it, the tree's last reshaping is looked up once (a report asks many times)."""
    token = _last_reshaping.set([])
    try:
        yield
    finally:
        _last_reshaping.reset(token)


def _last_reshaped_on() -> datetime.date | None:
    events = OrgEvent.unscoped.filter(kind__in=RESHAPING, annulled_at__isnull=True)
    return events.order_by("-effective_on").values_list("effective_on", flat=True).first()


def reshaped_since(day: datetime.date) -> bool:
    """Whether any organisation moved, merged, split or changed kind after `day`: until one
    does, the paths copied on today's records (`Member.branch_path`, `MemberAssessment.
    branch_path` …) are the paths of that day too, and their indexes answer a past report."""
    memo = _last_reshaping.get()
    if memo is None:
        last = _last_reshaped_on()
    elif memo:
        last = memo[0]
    else:
        last = _last_reshaped_on()
        memo.append(last)
    return last is not None and last > day


def placed(
    queryset: QuerySet, relation: str, day: datetime.date, *, path: str, kind: str = ""
) -> QuerySet:
    """`queryset` with `placed_path` (and `placed_kind`), the path (and kind) that the
    organisation reached through `relation` had on `day`: today's copies `path` and `kind`
    (indexed columns) while nothing reshaped the tree since, else that day's state (a join)."""
    if not reshaped_since(day):
        aliases = {"placed_path": F(path), **({"placed_kind": F(kind)} if kind else {})}
        return queryset.alias(**aliases)
    aliases = {"placed_path": F("at__path"), **({"placed_kind": F("at__kind")} if kind else {})}
    return queryset.annotate(at=state_of(relation, day)).alias(**aliases)


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


def absence(org: Organization, day: datetime.date) -> str | None:
    """Why `org` has no report on `day`, in Vietnamese: not yet established, or ended (and what
    it became); None when it existed then."""
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
        text += f" (đã sáp nhập vào {successor.name}, mã {successor.code})"
    return text + "."


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
