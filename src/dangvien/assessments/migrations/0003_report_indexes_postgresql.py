"""On PostgreSQL, indexes for the quality report of a whole province (300,000 members, years
of grades), so that every figure is read from a narrow index rather than the wide rows:

- the grades of a year (or years) in a subtree: (year, branch_path) with the grade included,
  path in pattern order, so `branch_path LIKE '/1/7/%'` is a range of the index whatever the
  database's collation (index-only scans);
- the members not graded in a year and subtree (counted by reason, listed by branch): the same
  key with the reason and the member, only rows without a grade;
- members gone by a date (`left_on`), for counting the members of a past year from the
  placements without reading every member's record.

SQLite, the embedded default, needs none of them and is left unchanged."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS assessment_grades_pg ON assessments_memberassessment "
    "(year, branch_path varchar_pattern_ops) INCLUDE (grade)",
    "CREATE INDEX IF NOT EXISTS assessment_not_graded_pg ON assessments_memberassessment "
    "(year, branch_path varchar_pattern_ops) INCLUDE (not_graded, member_id) WHERE grade = ''",
    "CREATE INDEX IF NOT EXISTS member_left_on_pg ON members_member (left_on) "
    "WHERE left_on IS NOT NULL",
    "ANALYZE assessments_memberassessment",
]
BACKWARD = [
    "DROP INDEX IF EXISTS assessment_grades_pg",
    "DROP INDEX IF EXISTS assessment_not_graded_pg",
    "DROP INDEX IF EXISTS member_left_on_pg",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_rule_set_defaults"), ("members", "0001_initial")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
