"""The one mechanism deciding what a user may see and change: subtrees of the organisation tree.

Every scoped model declares `scope_path`, the lookup to the materialised path of the
organisation it belongs to. Reads start from `visible(user, Model)`; writes check
`require(user, capability, org)`. A scoped model's `objects` manager refuses to run outside an
explicit `unscoped()` block, so a query that forgot the scope fails loudly instead of leaking.
"""

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from dangvien.core.errors import ScopeDenied
from dangvien.core.roles import CONFIDENTIAL, ROLE_CAPABILITIES, Capability, Role, role_reads

_unscoped = contextvars.ContextVar("dangvien_unscoped", default=False)


class ScopeError(RuntimeError):
    """A scoped model was queried without a user's scope or an explicit `unscoped()` block."""


@contextmanager
def unscoped() -> Iterator[None]:
    """Enter the "all organisations" scope: management commands, migrations, the demo loader."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


class ScopedManager(models.Manager):
    """`Model.objects` for scoped models: usable only inside `unscoped()`."""

    def get_queryset(self) -> models.QuerySet:
        if not _unscoped.get():
            raise ScopeError(
                f"{self.model.__name__}.objects used without a scope: start from "
                "core.scope.visible(user, Model) or enter core.scope.unscoped()."
            )
        return super().get_queryset()


@dataclass(frozen=True)
class Scope:
    """The subtrees (as path prefixes) a user holds each capability on; `everything` for admins."""

    everything: bool
    paths: dict[str, tuple[str, ...]]

    def paths_for(self, capability: str) -> tuple[str, ...]:
        return self.paths.get(capability, ())

    def covers(self, capability: str) -> bool:
        """Whether `everything` reaches `capability`: not a confidential one (roles.CONFIDENTIAL),
        held only where a role naming it is bound."""
        return self.everything and capability not in CONFIDENTIAL

    def allows(self, capability: str, path: str) -> bool:
        if self.covers(capability):
            return True
        return any(path.startswith(prefix) for prefix in self.paths_for(capability))

    def any(self, capability: str) -> bool:
        return self.covers(capability) or bool(self.paths_for(capability))


NOTHING = Scope(everything=False, paths={})


def _minimal(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one, so filters stay small."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes), key=len):
        if not any(prefix.startswith(shorter) for shorter in kept):
            kept.append(prefix)
    return tuple(sorted(kept))


def scope_of(user) -> Scope:
    """The user's scope, computed once per request and cached on the user object (with the
    subtrees the user inspects, read from the same role bindings)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_dangvien_scope", None)
    if cached is not None:
        return cached
    everything = user.is_superuser
    by_capability: dict[str, list[str]] = {}
    inspects = []
    for role, path, ended_on in role_reads().held_by(user):
        if role == Role.INSPECTOR and ended_on is None:
            inspects.append(path)
        if role == Role.ADMIN:
            everything = True
            continue
        if path is None or ended_on is not None:
            continue
        for capability in ROLE_CAPABILITIES[role]:
            by_capability.setdefault(capability, []).append(path)
    scope = Scope(
        everything=everything,
        paths={cap: _minimal(paths) for cap, paths in by_capability.items()},
    )
    user._dangvien_scope = scope
    # The same read gives the subtrees inspected (core.selectors.inspector_paths: the menu
    # asks on every page): one query for the roles per request, not two.
    user._dangvien_inspects = tuple(sorted(inspects))
    return scope


def path_filter(lookup: str, prefixes: Iterable[str]) -> Q:
    """Q matching rows whose organisation path starts with any of `prefixes`."""
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(**{f"{lookup}__startswith": prefix})
    return condition


def visible(user, model: type[models.Model], capability: str = Capability.VIEW) -> models.QuerySet:
    """The rows of `model` the user holds `capability` on: every read starts here. A model that
    names its own `scope_capability` (a confidential one) is read only with that one."""
    capability = getattr(model, "scope_capability", capability)
    queryset = model._default_manager.all()
    scope = scope_of(user)
    if scope.covers(capability):
        return queryset
    prefixes = scope.paths_for(capability)
    if not prefixes:
        return queryset.none()
    return queryset.filter(path_filter(model.scope_path, prefixes))


def can(user, capability: str, path: str) -> bool:
    return scope_of(user).allows(capability, path)


def require(user, capability: str, path: str) -> None:
    """Raise ScopeDenied unless the user holds `capability` on the organisation at `path`."""
    if not can(user, capability, path):
        raise ScopeDenied()


def sees(actor, path: str) -> bool:
    """Whether `actor` may see a record under `path`, so a refusal may name it (no actor: the
    command line, which acts on all organisations)."""
    return actor is None or can(actor, Capability.VIEW, path)


def sees_org(actor, path: str) -> bool:
    """Whether `actor` may see an organisation: in their scope, or above it (their own
    superiors), so a refusal may name it."""
    if sees(actor, path):
        return True
    return any(prefix.startswith(path) for prefix in scope_of(actor).paths_for(Capability.VIEW))
