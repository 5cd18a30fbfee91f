"""On PostgreSQL, indexes for the member list of a whole province (300,000 members):

- a b-tree on religion, walked by the skip scan that lists the religions present in a scope
  (members.selectors.distinct_values) instead of reading every member;
- trigram indexes on the three position columns, upper-cased as Django's icontains compares
  them, for the position filter ("bí thư"), which otherwise reads every member twice (the
  count, then the page, planned from a wrong estimate).

SQLite, the embedded default, needs none of them and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

POSITIONS = ("party_position", "state_position", "mass_org_position")
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_religion_idx ON members_member (religion)",
    *(
        f"CREATE INDEX IF NOT EXISTS member_{column}_trgm ON members_member "
        f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        for column in POSITIONS
    ),
    # Statistics of the indexed expressions: without them the planner guesses a handful of rows
    # for any position and reads the whole table to sort them.
    "ANALYZE members_member",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_religion_idx",
    *(f"DROP INDEX IF EXISTS member_{column}_trgm" for column in POSITIONS),
]


class Migration(migrations.Migration):
    dependencies = [("members", "0002_search_indexes_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
