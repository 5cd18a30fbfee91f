"""On PostgreSQL, the indexes of the compliance page (meetings/compliance.py): the members'
meetings held in a year by a subtree's branches, and the absences without a reason below a path
in a year, each read from its index. The path in pattern order makes `org_path LIKE '/1/7/%'` a
range of the index whatever the database's collation (the plain indexes of 0001 serve SQLite,
equality and the rewriting of path copies).

SQLite, the embedded default, needs none and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS meeting_held_pg ON meetings_meeting "
    "(organization_id, \"on\") "
    "INCLUDE (kind, minutes_approved_at, expected_count, present_count) "
    "WHERE body = 'dang_vien' AND held_at IS NOT NULL AND cancelled_at IS NULL "
    "AND annulled_at IS NULL",
    "CREATE INDEX IF NOT EXISTS attendance_path_pg ON meetings_attendance "
    "(org_path varchar_pattern_ops, \"on\")",
    "CREATE INDEX IF NOT EXISTS attendance_unexcused_pg ON meetings_attendance "
    "(org_path varchar_pattern_ops, \"on\") INCLUDE (member_id, meeting_id) "
    "WHERE status = 'vang_khong_ly_do'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS meeting_held_pg",
    "DROP INDEX IF EXISTS attendance_path_pg",
    "DROP INDEX IF EXISTS attendance_unexcused_pg",
]


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_rule_set_defaults")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
