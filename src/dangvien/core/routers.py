"""Reports read from a streaming replica when one is configured (`DANGVIEN_REPLICA_DATABASE_URL`).

Long aggregates then leave the primary to the writes of the working day. Only code that asks for
it reads there (`on_replica()`: the report pages and `dangvien report`), because a replica lags
the primary by a moment: a page that has just written must read its own write from the primary.
Without a replica everything stays on "default".
"""

import contextvars
import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_on_replica = contextvars.ContextVar("dangvien_on_replica", default=False)


@contextmanager
def on_replica() -> Iterator[None]:
    """Reads inside go to the replica, if there is one; writes always go to the primary."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def reads_from_replica(view):
    """A view whose reads (the report it renders) may come from the replica."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with on_replica():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by replication
