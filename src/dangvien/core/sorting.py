"""Server-side sorting of a long list, one mechanism for every list: the orders a list offers,
read from the query string (an order the list does not offer is a 400), the database order of
each, and the table's column headings as links that sort by them (again: the other way).

A list keeps its own order when the query names none; its sort parameter stays in the query
string, so the pager (`page_query`) and the filters keep it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, OrderBy

from dangvien.core.queryparams import query_option

# A column's order: field names or expressions, or a function returning them (built per request,
# e.g. from the rule sets in force).
Order = tuple | Callable[[], tuple]


@dataclass(frozen=True)
class Heading:
    """One column heading: its label, the link that sorts by it ("" when the column does not
    sort) and its state, as aria-sort says it ("ascending", "descending" or "")."""

    label: str
    url: str = ""
    state: str = ""
    css: str = ""  # the cell's class ("num")


def headings(
    query,
    current: str,
    columns: Iterable[tuple],
    *,
    param: str = "sort",
    default: str = "",
    reset: Iterable[str] = ("page",),
) -> list[Heading]:
    """The headings of a table. `columns` are (label, sort key or None[, css class]); `current`
    is the list's sort key ("" for its own order, `default`); a heading sorts by its key, or the
    other way when the list is already in that order. The link keeps the other parameters of
    `query` but `reset` (the list's page: a new order starts on its first page), and leaves the
    parameter out for the list's own order."""
    effective = current or default
    kept = [(name, value) for name, value in _pairs(query) if name != param and name not in reset]
    result = []
    for label, key, *css in columns:
        if key is None:
            result.append(Heading(label, css=css[0] if css else ""))
            continue
        ascending, descending = effective == key, bool(key) and effective == f"-{key}"
        wanted = f"-{key}" if ascending and key else key
        pairs = kept + ([(param, wanted)] if wanted != default else [])
        state = "ascending" if ascending else "descending" if descending else ""
        result.append(Heading(label, "?" + urlencode(pairs), state, css[0] if css else ""))
    return result


def _pairs(query) -> list[tuple[str, str]]:
    """Every (name, value) of a query dict, a parameter given several times included."""
    if hasattr(query, "lists"):
        return [(name, value) for name, values in query.lists() for value in values]
    return [(name, str(value)) for name, value in query.items()]


@dataclass(frozen=True)
class Sorting:
    """The orders one list offers. `orders` maps a sort key to its column's ascending order
    (`-key` reverses it; a missing value sorts last either way); `then` follows every order as
    given, so equal rows keep one order and pages never overlap; `default` is the list's own
    order (a key, `-` in front for descending)."""

    orders: Mapping[str, Order]
    default: str
    then: tuple = ("sort_key", "id")
    param: str = "sort"

    @property
    def options(self) -> set[str]:
        return {""} | {signed for key in self.orders for signed in (key, f"-{key}")}

    def read(self, query) -> str:
        """The list's sort key in `query` ("" when absent); BadQuery (400) for any other."""
        return query_option(query, self.param, self.options, label="Sắp xếp")

    def order_by(self, key: str) -> list:
        """The database order of `key` ("" is the list's own order)."""
        key = key or self.default
        name, descending = key.removeprefix("-"), key.startswith("-")
        own = self.orders[name]
        own = own() if callable(own) else own
        named = {item for item in own if isinstance(item, str)}
        return [_directed(item, descending) for item in own] + [
            _fixed(item) for item in self.then if item.removeprefix("-") not in named
        ]

    def headings(self, query, current: str, columns, *, reset=("page",)) -> list[Heading]:
        return headings(
            query, current, columns, param=self.param, default=self.default, reset=reset
        )


def _directed(item, descending: bool) -> OrderBy:
    expression = F(item) if isinstance(item, str) else item
    if isinstance(expression, OrderBy):  # a direction of its own, whichever way the column goes
        return expression
    if descending:
        return expression.desc(nulls_last=True)
    return expression.asc(nulls_last=True)


def _fixed(item: str) -> OrderBy:
    return F(item.removeprefix("-")).desc() if item.startswith("-") else F(item).asc()
