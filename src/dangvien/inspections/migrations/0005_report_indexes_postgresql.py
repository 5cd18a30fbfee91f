"""On PostgreSQL, the index of the inspection report (reports/inspection.py): the activities of
a year by the bodies of a subtree, read from the index alone. The path in pattern order makes
`body_path LIKE '/1/7/%'` a range of the index whatever the database's collation (the plain
index of 0001 serves SQLite and equality); annulled activities are left out, as the report
leaves them. At 6 million members with 372,695 activities, a branch's report read every row of
the table in each of its six statements (36 ms each) without it.

SQLite, the embedded default, needs none and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS inspection_report_pg ON inspections_inspection "
    "(body_path varchar_pattern_ops, decided_on) "
    "INCLUDE (activity, form, conclusion, concluded_on, member_id, organization_id) "
    "WHERE annulled_at IS NULL",
    "ANALYZE inspections_inspection",
]
BACKWARD = ["DROP INDEX IF EXISTS inspection_report_pg"]


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_denunciation_rule_default")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
