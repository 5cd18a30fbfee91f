"""On PostgreSQL, sample the members' `branch_path` ten times finer (statistics target 1,000, the
default 100): every scope is a `branch_path LIKE 'path%'` condition, and the planner sizes it from
the column's histogram. With 100 buckets over 6 million members an upper committee of 17,382
members was estimated at 59,401 in one ANALYZE and at a handful in another, and the list's
ethnicity filter then walked the ethnicity index through 14,206 members of other scopes (58 ms
per value, 288 ms per list page) instead of the scope's own rows (0.2 ms); at 1,000 the estimate
was 18,150. ANALYZE of the 6-million-member table took 13.0 s at that target."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "ALTER TABLE members_member ALTER COLUMN branch_path SET STATISTICS 1000",
    "ANALYZE members_member",
]
BACKWARD = ["ALTER TABLE members_member ALTER COLUMN branch_path SET STATISTICS -1"]


class Migration(migrations.Migration):
    dependencies = [("members", "0015_name_keys_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
