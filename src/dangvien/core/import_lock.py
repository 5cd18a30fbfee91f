"""One import per scope at a time, held by a lock that dies with the process that holds it.

Overlap rule (hierarchical locking over the organisation tree): an import locks each root of its
scope (the organisations where the user manages organisations or members) exclusively and every
ancestor of those roots shared; a whole-system import (the command line, an administrator) locks
the tree's root "/" exclusively. Two imports therefore conflict exactly when their scopes
overlap (one contains a root of the other, or they share one); officers of disjoint subtrees
import at the same time. A conflicting import waits at most `WAIT_SECONDS`, then is refused
with `ImportBusy`, before writing anything.

Why these locks: no row in the database is needed (no model, no migration, nothing to clean up
after a crash), and the operating system or the database server releases them when the holder
dies, `kill -9` included:
- PostgreSQL: session advisory locks (`pg_try_advisory_lock[_shared]`) on the connection that
  writes, keyed by a 64-bit hash of the path; the server drops them when the session ends.
- SQLite (and any other database): `flock` on one file per path in a folder beside the database
  file (`<database>.import-locks/`); the kernel drops a flock when its last descriptor closes.
  An in-memory database is private to its process, so its folder is private to the process too.
  SQLite has one writer at a time anyway; the lock turns "database is locked" after a timeout
  into an immediate, explained refusal, and covers the validation that precedes the write.

Entering the lock again for a scope it already covers (the command line locks the whole run,
then the write asks again) does nothing.
"""

import contextvars
import fcntl
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.db import DatabaseError, connection

from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import _minimal, scope_of

logger = logging.getLogger(__name__)

WAIT_SECONDS = 1.0  # how long a conflicting import waits before it is refused
_POLL_SECONDS = 0.05
SHARED, EXCLUSIVE = "shared", "exclusive"
BUSY_MESSAGE = (
    "Đang có một lần nhập dữ liệu khác cho cùng phạm vi tổ chức; vui lòng chờ lần nhập đó "
    "hoàn tất rồi thử lại. Không có dữ liệu nào được ghi."
)
_held: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "dangvien_import_locks", default=frozenset()
)


class ImportBusy(DomainError):
    """Another import holds a lock overlapping this one's scope."""

    def __init__(self) -> None:
        super().__init__(BUSY_MESSAGE)


def lock_keys(actor) -> list[tuple[str, str]]:
    """(path, mode) pairs an import by `actor` (None: the command line) must hold, in order."""
    scope = scope_of(actor) if actor is not None else None
    if scope is None or scope.everything:
        return [("/", EXCLUSIVE)]
    roots = _minimal(
        scope.paths_for(Capability.MANAGE_ORGS) + scope.paths_for(Capability.MANAGE_MEMBERS)
    )
    keys = {"/": SHARED}
    for root in roots:
        ids = root.strip("/").split("/")
        for depth in range(1, len(ids)):
            keys.setdefault("/" + "/".join(ids[:depth]) + "/", SHARED)
        keys[root] = EXCLUSIVE
    return sorted(keys.items())


@contextmanager
def import_lock(actor, *, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the import lock of `actor`'s scope for the block, or raise `ImportBusy`."""
    wanted = frozenset((connection.alias, path, mode) for path, mode in lock_keys(actor))
    if wanted <= _held.get():
        yield
        return
    deadline = time.monotonic() + wait
    with ExitStack() as held:
        while not _try_all(held, wanted):
            held.close()
            if time.monotonic() >= deadline:
                raise ImportBusy
            time.sleep(_POLL_SECONDS)
        token = _held.set(_held.get() | wanted)
        try:
            yield
        finally:
            _held.reset(token)


def _try_all(held: ExitStack, wanted: frozenset) -> bool:
    """Take every lock in path order without waiting; False (some taken) if one is busy."""
    take = _advisory if connection.vendor == "postgresql" else _flock
    for _alias, path, mode in sorted(wanted, key=lambda key: key[1]):
        release = take(path, mode)
        if release is None:
            return False
        held.callback(release)
    return True


def _advisory(path: str, mode: str):
    key = int.from_bytes(
        hashlib.blake2b(f"dangvien.import:{path}".encode(), digest_size=8).digest(),
        "big",
        signed=True,
    )
    suffix = "_shared" if mode == SHARED else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock{suffix}(%s)", [key])
        if not cursor.fetchone()[0]:
            return None

    def release() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT pg_advisory_unlock{suffix}(%s)", [key])
        except DatabaseError:
            # The session is broken; closing it is what releases its locks.
            logger.warning("import lock %s: unlock failed, closing the connection", path)
            connection.close()

    return release


def lock_folder() -> Path:
    """Where the flock files of this database live (beside a file database)."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return Path(name).with_name(Path(name).name + ".import-locks")
    digest = hashlib.blake2b(name.encode(), digest_size=6).hexdigest()
    return Path(tempfile.gettempdir()) / f"dangvien-import-locks-{digest}-{os.getpid()}"


def _flock(path: str, mode: str):
    folder = lock_folder()
    folder.mkdir(mode=0o700, exist_ok=True)
    name = hashlib.blake2b(path.encode(), digest_size=8).hexdigest()
    descriptor = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    operation = fcntl.LOCK_SH if mode == SHARED else fcntl.LOCK_EX
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return lambda: os.close(descriptor)
