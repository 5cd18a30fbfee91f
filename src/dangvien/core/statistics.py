"""The query planner's statistics on SQLite, which never gathers them by itself (PostgreSQL's
autovacuum analyses a table once enough of it changed): without them, after an import or the
demo, SQLite guesses, and the first page of a 65,000-member list sorted every member
(27.5 ms) instead of reading ten along the name-order index (0.1 ms; docs/performance.md)."""

from django.db import connections

# An import writing at least this many rows refreshes the statistics after its commit.
ANALYZE_AFTER_ROWS = 1000


def refresh_statistics(using: str = "default") -> None:
    """Gather the planner's statistics of every table (SQLite; nothing on PostgreSQL): a whole
    ANALYZE, 0.4 s at 65,000 members. Not with an `analysis_limit`: sampling 1,000 rows an
    index made the member status look selective, and the list still sorted every member."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
