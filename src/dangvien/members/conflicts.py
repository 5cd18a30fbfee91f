"""Conflicts across scopes: a unique value (member code, citizen ID, card number, organisation
code) the actor typed is already held by a record they may not see.

The actor only reads core.errors.OUTSIDE_CONFLICT; the collision is recorded here, after the
refused action rolled back, for the officers whose scope covers both records, who resolve it.
Services raise `OutsideConflict` through `collision_error`; `records_conflicts` wraps them
(outside their transaction); importers call `record` once their plan is checked.
"""

import contextvars
import functools
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.errors import DomainError, OutsideConflict
from dangvien.core.importing import chunks
from dangvien.core.paths import common_ancestor
from dangvien.core.roles import Capability
from dangvien.core.scope import require, visible
from dangvien.core.scope import sees as sees  # re-exported: services ask `conflicts.sees`
from dangvien.members.models import ConflictKind, ScopeConflict

# Values that identify a person are kept masked on the conflict; codes are not personal.
MASKED_KINDS = {ConflictKind.CITIZEN_ID, ConflictKind.CARD_NUMBER}
CAPABILITY = {ConflictKind.ORG_CODE: Capability.MANAGE_ORGS}  # others: MANAGE_MEMBERS


@dataclass(frozen=True)
class Collision:
    """What the actor tried (`value` for `kind`, for a record under `attempted_path`) and the
    record outside their scope that already holds the value."""

    kind: str
    value: str
    existing: models.Model
    existing_path: str
    attempted_path: str
    attempted_label: str = ""
    existing_label: str = ""
    where: str = ""  # e.g. the row of an imported file


def collision_error(label: str, collision: Collision, *, field: str) -> OutsideConflict:
    return OutsideConflict(label, collision, field=field)


def hint(kind: str, value: str) -> str:
    if kind not in MASKED_KINDS:
        return value[:40]
    return "*" * max(len(value) - 3, 0) + value[-3:]


def digest(kind: str, value: str) -> str:
    """A keyed digest: repeated attempts group together without the value being stored."""
    message = f"{kind}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def record(actor, collisions: Iterable[Collision], source: str) -> None:
    """Keep each collision for the officers above both sides: an open conflict of the same
    value, records and actor counts one more attempt instead of a new row. One call is one
    attempt (a form sent, a file uploaded), so a collision repeated within it counts once.
    In bulk: one query finds the open conflicts, one updates them, one creates the others."""
    actor = actor if actor is not None and actor.is_authenticated else None
    wanted: dict[tuple, Collision] = {}
    for collision in collisions:
        existing = collision.existing
        key = (
            collision.kind,
            digest(collision.kind, collision.value),
            existing._meta.label_lower,
            existing.pk,
            collision.attempted_path,
        )  # as `_key_of` reads it back from a conflict
        wanted.setdefault(key, collision)
    if not wanted:
        return
    now = timezone.now()
    with transaction.atomic():
        repeated = _repeated(actor, wanted, source, now)
        ScopeConflict.unscoped.bulk_update(repeated, ["attempts", "last_seen_at", "source"])
        seen = {_key_of(conflict) for conflict in repeated}
        ScopeConflict.unscoped.bulk_create(
            _new_conflict(actor, key, collision, source, now)
            for key, collision in wanted.items()
            if key not in seen
        )
    _changed()


def _key_of(conflict: ScopeConflict) -> tuple:
    """What makes a conflict the same one again: the value, both records, who tried."""
    return (
        conflict.kind,
        conflict.value_digest,
        conflict.existing_type,
        conflict.existing_id,
        conflict.attempted_path,
    )


def _where(source: str, collision: Collision) -> str:
    return (f"{source}, {collision.where}" if collision.where else source)[:300]


def _repeated(actor, wanted: dict, source: str, now) -> list[ScopeConflict]:
    """The open conflicts of these collisions by this actor, each counting one more attempt."""
    digests = sorted({key[1] for key in wanted})
    repeated = []
    for chunk in chunks(digests):  # one query unless thousands of values (SQLite's limit)
        candidates = ScopeConflict.unscoped.filter(
            actor=actor, resolved_at__isnull=True, value_digest__in=chunk
        ).only("kind", "value_digest", "existing_type", "existing_id", "attempted_path")
        for conflict in candidates:
            collision = wanted.get(_key_of(conflict))
            if collision is not None:
                conflict.attempts = F("attempts") + 1
                conflict.last_seen_at = now
                conflict.source = _where(source, collision)
                repeated.append(conflict)
    return repeated


def _new_conflict(actor, key: tuple, collision: Collision, source: str, now) -> ScopeConflict:
    kind, value_digest, existing_type, existing_id, attempted_path = key
    return ScopeConflict(
        kind=kind,
        value_digest=value_digest,
        existing_type=existing_type,
        existing_id=existing_id,
        attempted_path=attempted_path,
        actor=actor,
        value_hint=hint(collision.kind, collision.value),
        existing_label=(collision.existing_label or str(collision.existing))[:300],
        existing_path=collision.existing_path,
        attempted_label=collision.attempted_label[:300],
        common_path=common_ancestor(collision.existing_path, attempted_path),
        source=_where(source, collision),
        last_seen_at=now,
    )


_depth = contextvars.ContextVar("dangvien_conflict_depth", default=0)


def records_conflicts(source: str):
    """Decorate a service (above its @transaction.atomic): an OutsideConflict it raises is
    recorded once its transaction has rolled back, then raised on to the form or the API.
    Only the outermost decorated call records, so a service called by another (admission
    creating the member) leaves the recording to the caller, whose transaction is then over."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(actor, *args, **kwargs):
            outermost = _depth.get() == 0
            token = _depth.set(_depth.get() + 1)
            try:
                return function(actor, *args, **kwargs)
            except OutsideConflict as exc:
                if outermost:
                    record(actor, [exc.collision], source)
                raise
            finally:
                _depth.reset(token)

        return wrapper

    return decorate


def visible_conflicts(user) -> models.QuerySet:
    """Conflicts whose common ancestor lies in the user's scope: they hold both records."""
    orgs = visible(user, ScopeConflict, Capability.MANAGE_ORGS).filter(kind=ConflictKind.ORG_CODE)
    others = visible(user, ScopeConflict, Capability.MANAGE_MEMBERS).exclude(
        kind=ConflictKind.ORG_CODE
    )
    return (orgs | others).select_related("actor", "resolved_by")


_VERSION_KEY = "scope_conflicts_version"
MENU_SECONDS = 300  # how long a worker may show the menu link of a changed list, at most


def _changed() -> None:
    """A conflict was recorded or resolved: every user's menu answer is asked again."""
    cache.set(_VERSION_KEY, timezone.now().timestamp(), None)


def has_open_conflicts(user) -> bool:
    """Whether the menu shows the conflicts page. Kept in the cache (a query on every page
    would be paid by every officer for a list that is nearly always empty) under a version
    that recording and resolving change."""
    key = f"scope_conflicts_open:{user.pk}:{cache.get(_VERSION_KEY, 0)}"
    answer = cache.get(key)
    if answer is None:
        answer = visible_conflicts(user).filter(resolved_at__isnull=True).exists()
        cache.set(key, answer, MENU_SECONDS)
    return answer


@transaction.atomic
def resolve_conflict(actor, conflict: ScopeConflict, note: str) -> ScopeConflict:
    """Close a conflict with how it was settled (a record corrected, a duplicate merged)."""
    require(actor, CAPABILITY.get(conflict.kind, Capability.MANAGE_MEMBERS), conflict.common_path)
    conflict = ScopeConflict.unscoped.select_for_update().get(pk=conflict.pk)
    if conflict.is_resolved:
        raise DomainError("Trường hợp trùng này đã được xử lý.")
    note = note.strip()
    if not note:
        raise DomainError("Hãy ghi cách đã xử lý.", field="note")
    conflict.resolved_at, conflict.resolved_by = timezone.now(), actor
    conflict.resolution_note = note
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    _changed()  # harmless if rolled back: the answer is only asked again
    audit.record(
        actor,
        "conflict.resolve",
        conflict,
        org_path=conflict.common_path,
        changes={"resolved": [False, True]},
        reason=note,
    )
    return conflict
