"""On PostgreSQL, the list order index also carries the diacritic-free name, so that a name
search read along the name order (a common name, thousands of matches) is checked from the
index alone: "nguyen van" over 6 million members took 286 ms reading a row per member passed
and takes 14 ms from the index. It replaces member_order_scope_idx. SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_order_search_idx ON members_member "
    "(sort_key, id) INCLUDE (branch_path, status, search_name)",
    "DROP INDEX IF EXISTS member_order_scope_idx",
    "ANALYZE members_member",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS member_order_scope_idx ON members_member "
    "(sort_key, id) INCLUDE (branch_path, status)",
    "DROP INDEX IF EXISTS member_order_search_idx",
]


class Migration(migrations.Migration):
    dependencies = [("members", "0005_card_ended_event")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
