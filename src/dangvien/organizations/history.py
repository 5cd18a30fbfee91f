"""An organisation's history kept in step with today's tree: its dated states (parent, name,
kind, sector, path) and the events (decisions) that changed them.

Every write to the tree goes through here (organizations.services, the `orgs` import), so that
for every organisation the states follow one another without gap or overlap, the last one ends
on `ended_on`, and the one holding today equals the `Organization` row (`check_states`).
A change dated D closes the state holding on D and opens one from D; a change dated on the day
the state began alters that state in place (events of one day apply in order). A correction
(a typo, no decision) alters every state that carried the mistaken value, going back from the
current one.
"""

import datetime
from dataclasses import replace
from itertools import groupby, pairwise

from django.db import connection
from django.db.models import F, Max, Q
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.scope import sees_org
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgState

STATE_FIELDS = ("parent_id", "name", "kind", "sector", "path", "depth")


def today() -> datetime.date:
    return timezone.localdate()


def holding_on(day: datetime.date, prefix: str = "") -> Q:
    """States in force on `day` (from inclusive, until exclusive); `prefix` reaches them from
    another model ("branch__states__")."""
    starts = Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})
    return starts & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": day})
    )


def dated(decision: Decision) -> tuple[datetime.date, Decision]:
    """The effective date of a decision (today when it names none), and the decision carrying
    it, so the history says the date the change took effect."""
    day = decision.effective_on or today()
    return day, replace(decision, effective_on=day)


def check_effective_on(
    day: datetime.date, touched: Q | None = None, *, label: str = "Ngày hiệu lực"
) -> None:
    """A change takes effect neither in the future nor before the latest change of an
    organisation it touches (`touched`: a filter of their states); inserting a change into the
    past is not done here."""
    if day > today():
        raise DomainError(f"{label} không thể ở tương lai.", field="effective_on")
    if touched is None:
        return
    latest = OrgState.unscoped.filter(touched).aggregate(latest=Max("valid_from"))["latest"]
    if latest is not None and day < latest:
        raise DomainError(
            f"{label} không được trước ngày {latest:%d/%m/%Y} (lần thay đổi gần nhất).",
            field="effective_on",
        )


def _deciding(actor, body: str) -> tuple[Organization | None, str]:
    """The deciding body as typed: the code of an organisation the actor knows (its own or
    one above it) links to it; anything else is kept as text."""
    body = body.strip()
    if not body:
        return None, ""
    org = Organization.unscoped.filter(code=body).first()
    if org is not None and sees_org(actor, org.path):
        return org, org.name
    return None, body


def record_event(
    actor,
    org: Organization,
    kind: str,
    day: datetime.date,
    decision: Decision,
    **fields,
) -> OrgEvent:
    """Keep the decision changing `org` on `day` (`fields`: new_parent, receiving, old_name,
    new_name, note)."""
    deciding_org, deciding_body = _deciding(actor, decision.body)
    fields.setdefault("note", decision.reason.strip())
    return OrgEvent.unscoped.create(
        org=org,
        kind=kind,
        effective_on=day,
        decision_number=decision.number.strip(),
        deciding_org=deciding_org,
        deciding_body=deciding_body,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )


def first_state(org: Organization, event: OrgEvent | None = None) -> OrgState:
    """The state of a new organisation: from its founding (or always) until its end (or still)."""
    return OrgState.unscoped.create(
        org=org,
        valid_from=org.founded_on,
        valid_until=org.ended_on,
        event=event,
        **{name: getattr(org, name) for name in STATE_FIELDS},
    )


def current_state(org: Organization) -> OrgState:
    """The state equal to today's row: the open one, or the last one of an ended organisation."""
    latest_first = F("valid_from").desc(nulls_last=True)  # PostgreSQL puts NULL first
    return OrgState.unscoped.filter(org=org).order_by(latest_first).first()


def change_state(
    org: Organization, day: datetime.date, event: OrgEvent | None, **values
) -> OrgState:
    """From `day` on, `org` has `values` (state fields): its open state closes on `day` and a
    new one opens, or, begun that very day, takes them in place."""
    state = OrgState.unscoped.get(org=org, valid_until__isnull=True)
    if state.valid_from == day:
        for name, value in values.items():
            setattr(state, name, value)
        state.event = state.event or event
        state.save()
        return state
    OrgState.unscoped.filter(pk=state.pk).update(valid_until=day)
    state.pk, state.valid_from, state.event = None, day, event
    for name, value in values.items():
        setattr(state, name, value)
    state.save()
    return state


def correct_states(org: Organization, old: dict, new: dict) -> None:
    """A correction: each field changed from `old` to `new` is corrected in the current state
    and in every state before it that still held the old value (a typo in the name is a typo in
    every state that carried it); a state with another value (a name before a rename) stays."""
    changed = {name: value for name, value in new.items() if value != old[name]}
    if not changed:
        return
    latest_first = F("valid_from").desc(nulls_last=True)
    states = list(OrgState.unscoped.filter(org=org).order_by(latest_first).values("pk", *changed))
    for name, value in changed.items():
        carried = []
        for state in states:
            if state[name] != old[name]:
                break
            carried.append(state["pk"])
        OrgState.unscoped.filter(pk__in=carried).update(**{name: value})


def _earliest_first():
    return F("valid_from").asc(nulls_first=True)


def founding_refusal(org: Organization, founded_on: datetime.date | None) -> str:
    """Why `org` cannot be taken to have been founded on `founded_on` ("" when it can): the
    date stays before its first change and not after its end, and its first state, carried
    back to that date (or since always: `undated_refusal`), stays under its parent as the
    parent then stood (`under_parent_refusal`)."""
    states = list(OrgState.unscoped.filter(org=org).order_by(_earliest_first())[:2])
    if founded_on is None:  # its first state carried back since always
        if not states or states[0].valid_from is None or states[0].parent_id is None:
            return ""
        parent = Organization.unscoped.get(pk=states[0].parent_id)
        return undated_refusal(parent, until=states[0].valid_from)
    if len(states) > 1 and founded_on >= states[0].valid_until:
        return f"phải trước lần thay đổi đầu tiên ngày {states[0].valid_until:%d/%m/%Y}."
    if states and states[0].valid_until is not None and founded_on > states[0].valid_until:
        return "không thể sau ngày giải thể."
    if not states or states[0].parent_id is None:
        return ""
    first = states[0]
    parent = Organization.unscoped.get(pk=first.parent_id)
    if first.valid_from is None or founded_on >= first.valid_from:
        until = founded_on  # the first state gains no day: only the parent's founding counts
    else:
        until = first.valid_from  # the days it gains must stand under the parent as it stood
    return under_parent_refusal(parent, founded_on, until=until)


def before_parent_founding(
    parent_name: str, parent_founded_on: datetime.date | None, founded_on: datetime.date
) -> str:
    """Why an organisation cannot be founded on `founded_on` under a parent founded on
    `parent_founded_on` ("" when it can)."""
    if parent_founded_on is None or founded_on >= parent_founded_on:
        return ""
    return (
        f"không được trước ngày {parent_founded_on:%d/%m/%Y}, khi tổ chức cấp trên "
        f"{parent_name} được thành lập."
    )


def under_parent_refusal(
    parent: Organization | None,
    founded_on: datetime.date | None,
    until: datetime.date | None = None,
) -> str:
    """Why an organisation under `parent` (at the parent's path of `until`, default today)
    cannot have been founded on `founded_on` ("" when it can): not before the parent's founding,
    nor before a state of the parent begun after that date (the parent moved or changed since:
    the organisation did not stand under it as it now stands)."""
    if parent is None or founded_on is None:
        return ""
    if refusal := before_parent_founding(parent.name, parent.founded_on, founded_on):
        return refusal
    states = OrgState.unscoped.filter(org=parent)
    founding = states.order_by(_earliest_first()).values_list("pk", flat=True).first()
    later = states.filter(valid_from__gt=founded_on).exclude(pk=founding)  # founding: above
    if until is not None:
        later = later.filter(valid_from__lte=until)
    latest = later.select_related("event").order_by("-valid_from").first()
    return "" if latest is None else _since_change(parent, latest)


def _since_change(parent: Organization, state: OrgState) -> str:
    what = f" ({state.event.get_kind_display().lower()})" if state.event else ""
    return (
        f"không được trước ngày {state.valid_from:%d/%m/%Y}, khi tổ chức cấp trên "
        f"{parent.name} có thay đổi gần nhất{what}."
    )


def undated_refusal(parent: Organization | None, until: datetime.date | None = None) -> str:
    """Why an organisation under `parent` needs a founding date ("" when it does not): without
    one its first state holds since always at the parent's path of today (`first_state`; of
    `until`, the day its first state began, for a correction), an inconsistent date (formats.md,
    import rules) when the parent was founded on a date or stood elsewhere before (moved,
    carried by a move above it): then the child cannot have stood there always. A rename leaves
    the path, so an undated child of a renamed parent is still consistent (`parent.founded_on`
    as given: an import may correct it)."""
    if parent is None:
        return ""
    states = OrgState.unscoped.filter(org=parent).select_related("event")
    if until is not None:
        states = states.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=until))
    states = list(states.order_by(_earliest_first()))
    # The states since which the parent has had its latest path without a break.
    since = len(states) - 1
    while since > 0 and states[since - 1].path == states[-1].path:
        since -= 1
    if since > 0:
        return f"là bắt buộc và {_since_change(parent, states[since])}"
    if parent.founded_on is None:
        return ""
    founding_text = before_parent_founding(parent.name, parent.founded_on, datetime.date.min)
    return f"là bắt buộc và {founding_text}"


def correct_founding(org: Organization, founded_on: datetime.date | None) -> None:
    """A correction of the founding date: the first state begins then, and the establishing
    event takes the date (checked first with `founding_refusal`)."""
    first = OrgState.unscoped.filter(org=org).order_by(_earliest_first()).first()
    OrgState.unscoped.filter(pk=first.pk).update(valid_from=founded_on)
    if founded_on is not None:
        OrgEvent.unscoped.filter(
            org=org, kind=OrgEventKind.ESTABLISH, annulled_at__isnull=True
        ).update(effective_on=founded_on)


def end_state(org: Organization, day: datetime.date) -> None:
    """`org` ends on `day`: its open state closes then (an end is never dated before the
    organisation's latest change: `check_effective_on`)."""
    OrgState.unscoped.filter(org=org, valid_until__isnull=True).update(valid_until=day)


def reopen_state(org: Organization) -> None:
    """The undoing of an end: the last state holds again. An organisation above it that moved
    since the end took it along: from each day its parent's path changed, it holds the path
    under the parent's new one (and from today at the latest, its row's path)."""
    last = current_state(org)
    OrgState.unscoped.filter(pk=last.pk).update(valid_until=None)
    if org.parent_id is not None:
        parent_states = OrgState.unscoped.filter(org_id=org.parent_id).order_by(_earliest_first())
        if last.valid_from is not None:
            parent_states = parent_states.filter(valid_from__gt=last.valid_from)
        path = last.path
        for state in parent_states.exclude(valid_from__isnull=True):
            if f"{state.path}{org.pk}/" != path:
                path = f"{state.path}{org.pk}/"
                change_state(org, state.valid_from, state.event, path=path, depth=state.depth + 1)
    now = current_state(org)
    if (now.path, now.depth) != (org.path, org.depth):
        change_state(org, today(), None, path=org.path, depth=org.depth)


def move_states(
    org: Organization,
    new_parent: Organization | None,
    day: datetime.date,
    event: OrgEvent | None,
) -> None:
    """From `day` on, `org` and every organisation below it have the paths under `new_parent`:
    their states holding on `day` close and new ones open with the new paths, in three
    statements whatever the size of the subtree (a state begun on `day` changes in place)."""
    parent_path, parent_depth = (new_parent.path, new_parent.depth) if new_parent else ("/", -1)
    old_path, new_path = org.path, f"{parent_path}{org.pk}/"
    depth_change = parent_depth + 1 - org.depth
    table = connection.ops.quote_name(OrgState._meta.db_table)
    on = connection.ops.adapt_datefield_value(day)
    holding, prefix = "(valid_until IS NULL OR valid_until > %s) AND path LIKE %s", f"{old_path}%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (org_id, valid_from, valid_until, parent_id, name, kind, "
            "sector, path, depth, event_id) "
            "SELECT org_id, %s, valid_until, parent_id, name, kind, sector, "
            "%s || SUBSTR(path, %s), depth + %s, %s "
            f"FROM {table} WHERE (valid_from IS NULL OR valid_from < %s) AND {holding}",
            [on, new_path, len(old_path) + 1, depth_change, event and event.pk, on, on, prefix],
        )
        cursor.execute(
            f"UPDATE {table} SET valid_until = %s "
            f"WHERE (valid_from IS NULL OR valid_from < %s) AND {holding}",
            [on, on, on, prefix],
        )
        cursor.execute(
            f"UPDATE {table} SET path = %s || SUBSTR(path, %s), depth = depth + %s "
            f"WHERE valid_from = %s AND {holding}",
            [new_path, len(old_path) + 1, depth_change, on, on, prefix],
        )
    OrgState.unscoped.filter(org=org, valid_from=day).update(
        parent_id=new_parent.pk if new_parent else None
    )


def check_states(org_ids=None) -> list[str]:
    """What breaks the history's rule, one line an organisation (empty: none): its states
    follow one another from `founded_on` without gap or overlap, the last ends on `ended_on`,
    and the one holding today equals the `Organization` row. An ended organisation's last
    state keeps the path it had when it ended (an organisation above it may have moved since),
    so of its path only its own place at the end is compared."""
    orgs = Organization.unscoped.order_by("pk")
    states = OrgState.unscoped.order_by("org_id", "valid_from")
    if org_ids is not None:
        orgs, states = orgs.filter(pk__in=org_ids), states.filter(org_id__in=org_ids)
    by_org = {
        org_id: list(rows)
        for org_id, rows in groupby(states.iterator(), key=lambda state: state.org_id)
    }
    problems = []
    for org in orgs.iterator():
        if problem := _state_problem(org, by_org.get(org.pk, [])):
            problems.append(f"{org.code} (id {org.pk}): {problem}")
    return problems


def _state_problem(org: Organization, states: list[OrgState]) -> str:
    if not states:
        return "không có trạng thái nào"
    states.sort(key=lambda s: (s.valid_from is not None, s.valid_from or datetime.date.min))
    if states[0].valid_from != org.founded_on:
        return f"trạng thái đầu bắt đầu {states[0].valid_from}, thành lập {org.founded_on}"
    for before, after in pairwise(states):
        if after.valid_from is None or before.valid_until != after.valid_from:
            return f"{before} rồi {after}: không liền nhau"
    for state in states:
        if None not in (state.valid_from, state.valid_until) and state.valid_until < (
            state.valid_from
        ):
            return f"{state}: kết thúc trước khi bắt đầu"
    last = states[-1]
    if last.valid_until != org.ended_on:
        return f"trạng thái cuối kết thúc {last.valid_until}, giải thể {org.ended_on}"
    compared = STATE_FIELDS if org.ended_on is None else STATE_FIELDS[:4]
    for name in compared:
        if getattr(last, name) != getattr(org, name):
            state_value, org_value = getattr(last, name), getattr(org, name)
            return f"trạng thái hiện tại: {name} = {state_value!r}, tổ chức: {org_value!r}"
    if not last.path.endswith(f"/{org.pk}/") or last.depth != last.path.count("/") - 2:
        return f"trạng thái hiện tại có đường dẫn {last.path} cấp {last.depth}"
    return ""
