"""Reports kept in the cache for the pages that show them, under the data version of the
organisation reported on.

The key holds the report's name, the organisation's path, the arguments the report was built
with, today's date (a report of "today" changes at midnight) and tallies.cache_version of that
path: the unit versions grow in the same transaction as any change to the members, placements,
grades, organisations or transfers below it, and the data generation is renewed by a restore.
So a change shows on the next request, and the report is never served to anyone the page's
own scope check (done before, in the view) would refuse: the cache does not know the user, only
the organisation the user was allowed to see.
"""

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from dangvien.organizations.models import Organization

Report = TypeVar("Report")


def report_cache_key(name: str, org: Organization, arguments: list) -> str:
    """The key of `name`'s report of `org` built with `arguments`, at today's data version."""
    from dangvien.reports import tallies

    path = "/" if org.pk is None else org.path
    # Read once per request: the page's reports and fragments are kept under the same version.
    version = getattr(org, "_dangvien_cache_version", None)
    if version is None:
        version = org._dangvien_cache_version = tallies.cache_version([path])
    signature = json.dumps(
        [name, path, arguments, timezone.localdate().isoformat(), version],
        ensure_ascii=False,
        default=str,
    )
    return f"report:{name}:" + hashlib.sha256(signature.encode()).hexdigest()


def cached_report(
    name: str, org: Organization, arguments: list, build: Callable[[], Report]
) -> Report:
    """`build()` (the report of `org` with `arguments`, or any figure of the data below `org`
    alone), read from the cache while that data has not changed; built every time when
    REPORT_CACHE_SECONDS is 0."""
    seconds = settings.REPORT_CACHE_SECONDS
    if not seconds:
        return build()
    key = report_cache_key(name, org, arguments)
    report = cache.get(key, _MISSING)
    if report is _MISSING:
        report = build()
        cache.set(key, report, seconds)
    return report


_MISSING = object()
