"""On PostgreSQL, the indexes that make "below a path" a range whatever the database's
collation: the path copies of awards and proposals, which the scope reads and a move of an
organisation rewrites (organizations/services/path_copies.py). SQLite needs none."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS award_subject_path_pg ON awards_award "
    "(subject_path varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS award_proposal_path_pg ON awards_proposal "
    "(org_path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS award_subject_path_pg",
    "DROP INDEX IF EXISTS award_proposal_path_pg",
]


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_rule_set_defaults")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
