"""On PostgreSQL, the index of the members not graded in a year (by branch path) also carries
the branch and the note, so the quality report's list of them (the first 500 by branch and
code) is read from the index alone: after Hà Nội's reorganisation had rewritten the paths of
its grades, reading its 75,431 rows of 2025 from the table took 143 ms, from the index 29 ms. It
replaces assessment_not_graded_pg, which held the same rows with fewer columns."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS assessment_not_graded_list_pg ON assessments_memberassessment "
    "(year, branch_path varchar_pattern_ops) "
    "INCLUDE (not_graded, member_id, branch_id, not_graded_note) WHERE grade = ''",
    "DROP INDEX IF EXISTS assessment_not_graded_pg",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS assessment_not_graded_pg ON assessments_memberassessment "
    "(year, branch_path varchar_pattern_ops) INCLUDE (not_graded, member_id) WHERE grade = ''",
    "DROP INDEX IF EXISTS assessment_not_graded_list_pg",
]


class Migration(migrations.Migration):
    dependencies = [("assessments", "0008_not_graded_by_branch_index_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
