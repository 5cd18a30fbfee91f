"""On PostgreSQL, the index of the discipline figures of the inspection report (`ky_luat`,
reports/inspection.py): the decisions of a year on subjects of a subtree, read from the index
alone, the path in pattern order (`subject_path LIKE '/1/7/%'` a range whatever the collation),
annulled decisions left out.

SQLite, the embedded default, needs none and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS discipline_report_pg ON discipline_discipline "
    "(subject_path varchar_pattern_ops, decided_on) INCLUDE (form, member_id) "
    "WHERE annulled_at IS NULL",
    "ANALYZE discipline_discipline",
]
BACKWARD = ["DROP INDEX IF EXISTS discipline_report_pg"]


class Migration(migrations.Migration):
    dependencies = [("discipline", "0006_complaint")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
