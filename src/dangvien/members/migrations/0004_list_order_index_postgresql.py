"""On PostgreSQL, the list order index carrying the scope columns, so that a page deep in a
province's list (OFFSET 145,000) is found from the index alone, without a heap read per skipped
row. SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_order_scope_idx ON members_member "
    "(sort_key, id) INCLUDE (branch_path, status)",
    "ANALYZE members_member",
]
BACKWARD = ["DROP INDEX IF EXISTS member_order_scope_idx"]


class Migration(migrations.Migration):
    dependencies = [("members", "0003_list_indexes_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
