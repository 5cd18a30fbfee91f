"""On PostgreSQL, the members not graded in a year by the branch they were graded in: after a
reorganisation the quality report of a past year reads the branches' year-end states, not
today's paths, so it looks the ungraded up by branch (Hà Nội's 2024 page after the 2025
reorganisation at 6m: 1.2 s scanning every grade of 2024, 0.25 s with this index). Only
rows without a grade (about 5%). SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS assessment_not_graded_branch_pg ON assessments_memberassessment "
    "(year, branch_id) INCLUDE (not_graded, member_id) WHERE grade = ''",
    "ANALYZE assessments_memberassessment",
]
BACKWARD = ["DROP INDEX IF EXISTS assessment_not_graded_branch_pg"]


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_paper_self_assessment")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
