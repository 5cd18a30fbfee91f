"""On PostgreSQL, the states of the units (organisations at depth 1 on some day) by path, so
that a past year's report of a province or of the whole Party finds the units of that year's
tree (reports/tallies/, `_unit_groups`) without reading every organisation's states; and the
reshaping events by date, so that whether a report's subtree was reshaped since its day
(organizations/dated.py, `reshaped_since`) reads the few events after it, not every
establishment. SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS org_state_unit_path_pg ON organizations_orgstate "
    "(path varchar_pattern_ops) WHERE depth = 1",
    "CREATE INDEX IF NOT EXISTS org_event_reshaping_pg ON organizations_orgevent "
    "(effective_on) WHERE annulled_at IS NULL "
    "AND kind IN ('chuyen', 'sap_nhap', 'hop_nhat', 'chia_tach', 'thay_doi')",
]
BACKWARD = [
    "DROP INDEX IF EXISTS org_state_unit_path_pg",
    "DROP INDEX IF EXISTS org_event_reshaping_pg",
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_unit_versions"),
        ("organizations", "0003_org_history"),
    ]
    operations = [postgresql_only(FORWARD, BACKWARD)]
