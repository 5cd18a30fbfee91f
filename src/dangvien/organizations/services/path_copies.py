"""The copies of organisation paths kept on other tables (models declaring `path_copy_field`:
a member's branch path, a grade's, an audit entry's …) follow every move, so that scopes and
today's statistics follow the tree. One move rewrites them with one UPDATE a table; a batch of
thousands of moves (a province's reorganisation) can queue them and rewrite each table once
for the whole batch (`deferred`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from dangvien.core.changes import records_changed

Move = tuple[str, str]  # (old path, new path) of a moved organisation


def _prefixes(path: str) -> list[str]:
    """ "/1/2/" → ["/1/", "/1/2/"]: the paths on the way down to it, itself included."""
    return [path[: cut + 1] for cut in range(1, len(path)) if path[cut] == "/"]


class _Queue:
    """Moves waiting, kept independent of one another: no old path of one lies on or under an
    old or new path of another, nor above it, so each copy is rewritten by at most one of them
    and one statement a table gives what one statement a move, in order, would. (New paths may
    lie under one another: moves under a committee moved in the same batch.)"""

    def __init__(self) -> None:
        self.moves: list[Move] = []
        self.olds: set[str] = set()
        self.paths: set[str] = set()  # the old and the new paths
        self.down_to_olds: set[str] = set()  # the _prefixes of the old paths
        self.down_to_paths: set[str] = set()  # the _prefixes of every path

    def independent_of(self, old: str, new: str) -> bool:
        return not (
            old in self.down_to_paths
            or new in self.down_to_olds
            or any(path in self.paths for path in _prefixes(old))
            or any(path in self.olds for path in _prefixes(new))
        )

    def add(self, old: str, new: str) -> None:
        self.moves.append((old, new))
        self.olds.add(old)
        self.paths.update((old, new))
        self.down_to_olds.update(_prefixes(old))
        self.down_to_paths.update(_prefixes(old), _prefixes(new))

    def take(self) -> list[Move]:
        moves = self.moves
        self.__init__()
        return moves


_queue: ContextVar[_Queue | None] = ContextVar("path_copy_queue", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Inside the block, a move's path copies are queued and rewritten at the block's end, each
    table once for all the moves queued (a move that depends on a queued one rewrites those
    first). Code inside the block that reads path copies calls `flush` first. A refusal inside
    the block must roll the whole block back (the org-events import does): a flush within a
    savepoint rolled back would leave the moves before it unfollowed."""
    if _queue.get() is not None:
        yield
        return
    token = _queue.set(_Queue())
    try:
        yield
        flush()
    finally:
        _queue.reset(token)


def flush() -> None:
    """Rewrite the copies of the moves queued so far (none outside `deferred`)."""
    queue = _queue.get()
    if queue is not None and queue.moves:
        _follow(queue.take())


def follow_move(old: str, new: str) -> None:
    """The copies of `old` and the paths below it become `new` …, and the subscribers of
    core.changes hear of the move (the report tallies mark both places): now, or queued."""
    queue = _queue.get()
    if queue is None:
        _follow([(old, new)])
        return
    if not queue.independent_of(old, new):
        _follow(queue.take())
    queue.add(old, new)


def _follow(moves: list[Move]) -> None:
    records_changed(moves=moves)  # once for the batch: each unit's version grows once
    _rewrite(moves)


def _copies() -> list[tuple]:
    return [
        (model, field)
        for model in apps.get_models()
        if (field := getattr(model, "path_copy_field", None))
    ]


def _rewrite(moves: list[Move]) -> None:
    """Independent moves: on PostgreSQL one UPDATE a table for them all (each old path found
    by a range of the field's pattern index), elsewhere one UPDATE a table a move."""
    if len(moves) > 1 and connection.vendor == "postgresql":
        for model, field in _copies():
            _rewrite_together(model, field, moves)
        return
    for old, new in moves:
        for model, field in _copies():
            model._default_manager.filter(**{f"{field}__startswith": old}).update(
                **{field: Concat(Value(new), Substr(field, len(old) + 1))}
            )


def _rewrite_together(model, field: str, moves: list[Move]) -> None:
    """`~>=~` and `~<~` compare bytes, as the field's `varchar_pattern_ops` index does: the
    paths starting with "/1/2/" are those from "/1/2/" up to, not including, "/1/20"."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    olds = [old for old, _new in moves]
    uppers = [old[:-1] + "0" for old in olds]  # "/" + 1 is "0"
    news = [new for _old, new in moves]
    cuts = [len(old) + 1 for old in olds]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {column} = m.new || SUBSTR(t.{column}, m.cut) "
            "FROM UNNEST(%s::text[], %s::text[], %s::text[], %s::int[]) AS m(old, upper, new, cut) "
            f"WHERE t.{column}::text ~>=~ m.old AND t.{column}::text ~<~ m.upper",
            [olds, uppers, news, cuts],
        )
