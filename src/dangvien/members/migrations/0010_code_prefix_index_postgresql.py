"""On PostgreSQL, the member list's search finds a code by its beginning in any case
("sh0003" → SH000345): Django asks UPPER(code::text) LIKE 'SH0003%', which this index answers
(text_pattern_ops: a LIKE prefix whatever the collation). SQLite is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_code_prefix_idx ON members_member "
    "(UPPER(code::text) text_pattern_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS member_code_prefix_idx"]


class Migration(migrations.Migration):
    dependencies = [("members", "0009_ceremony_date")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
