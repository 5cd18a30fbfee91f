"""On PostgreSQL, the indexes that make "below a path" a range whatever the database's
collation: the path copies of terms and seats, which the scope reads and a move of an
organisation rewrites (organizations/services/path_copies.py).

SQLite, the embedded default, needs none and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS committee_term_path_pg ON committees_term "
    "(org_path varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS committee_seat_path_pg ON committees_seat "
    "(org_path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS committee_term_path_pg",
    "DROP INDEX IF EXISTS committee_seat_path_pg",
]


class Migration(migrations.Migration):
    dependencies = [("committees", "0002_rule_set_defaults")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
