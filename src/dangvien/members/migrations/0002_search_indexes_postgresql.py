"""On PostgreSQL: trigram index for diacritic-free partial-name search, and a pattern index on
member codes. SQLite, the embedded default, needs neither and is left unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_search_trgm ON members_member "
    "USING gin (search_name gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS member_search_trgm"]


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
