"""On PostgreSQL, the member list sorted by «Ngày chính thức» either way reads an index, members
not yet official last both ways (ORDER BY official_on ASC / DESC NULLS LAST): without one, the
whole country's first page sorted 5.8 million rows. SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_official_on_idx ON members_member (official_on)",
    "CREATE INDEX IF NOT EXISTS member_official_on_desc_idx ON members_member "
    "(official_on DESC NULLS LAST)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_official_on_idx",
    "DROP INDEX IF EXISTS member_official_on_desc_idx",
]


class Migration(migrations.Migration):
    dependencies = [("members", "0011_event_kind_reinstated")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
