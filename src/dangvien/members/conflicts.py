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

from dangvien.accounts.roles import Capability
from dangvien.core import audit
from dangvien.core.errors import DomainError, OutsideConflict
from dangvien.core.paths import common_ancestor
from dangvien.core.scope import can, require, scope_of, visible
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


def sees(actor, path: str) -> bool:
    """Whether the actor may see a record under `path`, so a conflict with it may name it."""
    return actor is None or can(actor, Capability.VIEW, path)


def sees_org(actor, path: str) -> bool:
    """Whether the actor may see an organisation: in their scope, or above it (their own
    superiors)."""
    if sees(actor, path):
        return True
    return any(prefix.startswith(path) for prefix in scope_of(actor).paths_for(Capability.VIEW))


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
    """Keep each collision for the officers above both sides; an open conflict of the same
    value, records and actor counts one more attempt instead of a new row."""
    collisions = list(collisions)
    if not collisions:
        return
    actor = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    with transaction.atomic():
        for collision in collisions:
            key = {
                "kind": collision.kind,
                "value_digest": digest(collision.kind, collision.value),
                "existing_type": collision.existing._meta.label_lower,
                "existing_id": collision.existing.pk,
                "attempted_path": collision.attempted_path,
                "actor": actor,
                "resolved_at__isnull": True,
            }
            where = f"{source}, {collision.where}" if collision.where else source
            repeated = ScopeConflict.unscoped.filter(**key).update(
                attempts=F("attempts") + 1, last_seen_at=now, source=where[:300]
            )
            if repeated:
                continue
            del key["resolved_at__isnull"]
            ScopeConflict.unscoped.create(
                **key,
                value_hint=hint(collision.kind, collision.value),
                existing_label=(collision.existing_label or str(collision.existing))[:300],
                existing_path=collision.existing_path,
                attempted_label=collision.attempted_label[:300],
                common_path=common_ancestor(collision.existing_path, collision.attempted_path),
                source=where[:300],
                last_seen_at=now,
            )
    _changed()


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
