"""On PostgreSQL, the indexes that make "below a path" a range whatever the database's
collation (the path in pattern order): the yearly sums the compliance page reads
(meetings/compliance.py: a province's organisations and absentees, each from its index alone),
and the path copies of the meetings and roll calls, which a move of an organisation rewrites
(organizations/services/path_copies.py) without reading the whole table.

SQLite, the embedded default, needs none and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS meeting_year_pg ON meetings_meetingyear "
    "(org_path varchar_pattern_ops, year) INCLUDE (organization_id, regular_months, "
    "thematic_quarters, regular_held, held, unapproved, expected, present)",
    "CREATE INDEX IF NOT EXISTS absence_year_pg ON meetings_absenceyear "
    "(org_path varchar_pattern_ops, year, months) INCLUDE (member_id)",
    "CREATE INDEX IF NOT EXISTS meeting_path_pg ON meetings_meeting "
    "(org_path varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS attendance_path_pg ON meetings_attendance "
    "(org_path varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS task_path_pg ON meetings_task (org_path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS meeting_year_pg",
    "DROP INDEX IF EXISTS absence_year_pg",
    "DROP INDEX IF EXISTS meeting_path_pg",
    "DROP INDEX IF EXISTS attendance_path_pg",
    "DROP INDEX IF EXISTS task_path_pg",
]


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_yearly_sums")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
