"""On PostgreSQL, the organisations' states by path also carry the organisation and the end of
the state, so "was the tree below this path reshaped since that day" (organizations.dated,
asked by every past report) reads the states below a province from the index alone: Hà Nội
(61,524 states) 46 → 25 ms, where the table was read whole."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS org_state_path_since_pg ON organizations_orgstate "
    "(path varchar_pattern_ops) INCLUDE (org_id, valid_until)",
]
BACKWARD = ["DROP INDEX IF EXISTS org_state_path_since_pg"]


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_former_codes")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
