"""A page deep in the member list's name order, read from a page mark instead of past every
member before it.

`LIMIT 50 OFFSET n` makes the database read and drop n entries of the name-order index: the
middle page of the whole Party (page 58,196, 2.9 million entries) took 371-448 ms, of a province
of 300,000 members 90 ms. The list's (sort key, id) of every MARK_EVERY-th member is a mark; page
N is read from the mark at or before its first row: a seek along the index to the mark, then at
most MARK_EVERY rows more (the list's order is (sort_key, id), unique, so a mark is one place).

The marks of a list are counted in one pass (a window over its rows in name order) the first
time a page past the first mark is asked for, and kept in the cache under the list's filters and
the data version of its scope (`tallies.cache_version`: the unit versions grow in the same
transaction as any change to a member or a branch below, a restore renews the generation), so a
page is never cut by the marks of other data.
"""

import hashlib
import json

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

# Members between two marks: a page read from a mark passes at most this many rows first.
MARK_EVERY = 250
# How long the marks of a data version are kept: a change makes a new key, so the time only
# bounds memory.
MARKS_SECONDS = 3600


def page_from_marks(
    ordered: QuerySet, version: tuple, offset: int, size: int, *, count: bool
) -> list[int] | None:
    """The ids of rows `offset` to `offset + size` of `ordered` (the list's ids in name order,
    `version` the data version of its scope, `tallies.cache_version`): read from the marks,
    counted first when `count` and not yet kept; None when they are not kept and not to be
    counted."""
    key = _marks_key(ordered, version)
    marks = cache.get(key)
    if marks is None:
        if not count:
            return None
        marks = _count_marks(ordered)
        cache.set(key, marks, MARKS_SECONDS)
    index = offset // MARK_EVERY
    if index >= len(marks):
        return []
    sort_key, pk = marks[index]
    skip = offset - index * MARK_EVERY
    # The rows from the mark on: sort_key >= the mark's is the index's range; the mark's
    # namesakes of smaller ids are left out by the filter.
    after = ordered.filter(sort_key__gte=sort_key).exclude(sort_key=sort_key, pk__lt=pk)
    return list(after[skip : skip + size])


def _marks_key(ordered: QuerySet, version: tuple) -> str:
    """The list (its SQL and parameters) and the data version of its scope."""
    sql, params = ordered.query.sql_with_params()
    signature = json.dumps([sql, [str(param) for param in params], version], ensure_ascii=False)
    return "members-marks:" + hashlib.sha256(signature.encode()).hexdigest()


def _count_marks(ordered: QuerySet) -> list[tuple[bytes, int]]:
    """(sort key, id) of rows 0, MARK_EVERY, 2 × MARK_EVERY … of `ordered`, in one pass in name
    order (PostgreSQL reads it along the name-order index, from the index alone)."""
    numbered = (
        ordered.order_by()
        .annotate(mark_row=Window(RowNumber(), order_by=[F("sort_key").asc(), F("pk").asc()]))
        .values_list("sort_key", "pk", "mark_row")
    )
    sql, params = numbered.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({sql}) numbered "
            f"WHERE (mark_row - 1) %% {int(MARK_EVERY)} = 0 ORDER BY mark_row",
            params,
        )
        return [(bytes(sort_key), pk) for sort_key, pk, _ in cursor.fetchall()]
