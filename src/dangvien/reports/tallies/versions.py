"""The data version of a scope (its units' versions added up): what cached pages are kept under."""

import functools
from collections.abc import Iterable

from django.db import connections, router
from django.db.models import F, Func, Q, Subquery, Sum

from dangvien.core.models import DataGeneration
from dangvien.core.paths import is_top
from dangvien.organizations.models import Organization
from dangvien.reports.models import UnitVersion
from dangvien.reports.tallies.units import unit_of, unit_top


def version_of(paths: Iterable[str]) -> int:
    """A number that grows with every change to the records below `paths` (a path, "/" for
    the whole tree): the sum of the versions of the units they cover or lie in."""
    condition = _version_condition(paths)
    if not condition:
        return 0
    return UnitVersion.objects.filter(condition).aggregate(n=Sum("version"))["n"] or 0


def cache_version(paths: Iterable[str]) -> tuple[str, int]:
    """The data generation token (core.models.DataGeneration, renewed by a restore) and
    version_of(paths), read in one query: what a cached page of `paths` is kept under."""
    paths = tuple(paths)
    alias = router.db_for_read(DataGeneration)
    statement = _cache_version_statement(paths, alias)
    if statement is not None:
        with connections[alias].cursor() as cursor:
            cursor.execute(*statement)
            row = cursor.fetchone()
        if row is not None:  # PostgreSQL's SUM of integers is a numeric: an int again
            return row[0], int(row[1] or 0)
    token = DataGeneration.objects.order_by("pk").values_list("token", flat=True).first()
    return token or "", version_of(paths)


@functools.lru_cache(maxsize=1024)
def _cache_version_statement(paths: tuple[str, ...], alias: str) -> tuple[str, tuple] | None:
    """The SQL of cache_version's one query, compiled once per process for each scope: it
    depends on the paths only (the units are found in the query), and building it with the
    ORM cost three times running it on a cached member list."""
    condition = _version_condition(paths)
    if not condition:
        return None
    versions = UnitVersion.objects.filter(condition).order_by()
    total = versions.values(n=Func(F("version"), function="SUM"))
    query = (
        DataGeneration.objects.order_by("pk")
        .annotate(n=Subquery(total))
        .values_list("token", "n")[:1]
    )
    sql, params = query.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def _version_condition(paths: Iterable[str]) -> Q:
    condition = Q()
    for path in paths:
        if path == "/":
            condition = Q(pk__isnull=False)  # every row
            break
        if is_top(path):  # a top organisation: its units and itself
            units = Organization.unscoped.filter(depth=1, path__startswith=path).values("pk")
            condition |= Q(unit_id__in=units) | Q(unit_id=unit_top(path))
        elif (unit := unit_of(path)) is not None:
            condition |= Q(unit_id=unit)
    return condition
