"""On PostgreSQL, the units (organisations at depth 1) by path, so that the reports and the
member list of a province or of the whole Party find their few hundred units without reading
the 290,000 organisations of the tree. SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS organization_unit_path_pg ON organizations_organization "
    "(path varchar_pattern_ops) WHERE depth = 1",
]
BACKWARD = ["DROP INDEX IF EXISTS organization_unit_path_pg"]


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_birth_date_index_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
