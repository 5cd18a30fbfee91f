"""Reads shared across areas: the change history of the user's subtree."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from dangvien.core.models import AuditEntry
from dangvien.core.scope import visible


def recent_changes(user, days: str | int | None = None, limit: int = 500) -> QuerySet[AuditEntry]:
    """Changes in the user's subtree in the last `days` days (default 31): "this month"."""
    try:
        days = max(1, min(int(days or 31), 3660))
    except ValueError:
        days = 31
    since = timezone.now() - datetime.timedelta(days=days)
    return visible(user, AuditEntry).filter(at__gte=since).select_related("actor")[:limit]
