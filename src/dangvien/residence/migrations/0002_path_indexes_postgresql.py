"""On PostgreSQL, the path copies of the residence links and comments in pattern order, so a
move of an organisation rewrites them (organizations/services/path_copies.py) without reading
the whole tables, and the scope reads them as a range. SQLite needs none."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS residence_link_path_pg ON residence_residencelink "
    "(branch_path varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS residence_comment_path_pg ON residence_residencecomment "
    "(branch_path varchar_pattern_ops, year)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS residence_link_path_pg",
    "DROP INDEX IF EXISTS residence_comment_path_pg",
]


class Migration(migrations.Migration):
    dependencies = [("residence", "0001_initial")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
