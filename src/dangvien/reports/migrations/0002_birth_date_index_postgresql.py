"""On PostgreSQL, active members by birth date with their path and dates, so that the age bands
of a province or of the whole Party count the members born in each band's boundary year (the
part the unit tallies cannot hold) with an index-only range scan. SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_birth_active_pg ON members_member (birth_date) "
    "INCLUDE (branch_path, admitted_on, left_on) WHERE status IN ('official', 'probationary')",
]
BACKWARD = ["DROP INDEX IF EXISTS member_birth_active_pg"]


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_unit_tallies"), ("members", "0005_card_ended_event")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
