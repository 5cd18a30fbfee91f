"""On PostgreSQL, drop the trigram index of the members' folded names (members/0002). A name
search looks its words up in the names table first (members/0015) and reads the members by their
sort keys along the name-order index; with the trigram index there, the planner still chose to
AND it with the scope, and collecting its row ids for a common word took most of the request
("duc": 290,810 ids, 47 ms; "nguyen van" for an upper committee: 199,343 ids, 122 ms, to find
582). Without it, on 6 million members (bench/list_search.py, p95 in process): Hà Nội's "duc"
242.7 → 97.6 ms, an upper committee's "nguyen van" 195.4 → 74.1 ms, no search slower than 123 ms.
Every insert and rename of a member no longer maintains it either."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = ["DROP INDEX IF EXISTS member_search_trgm"]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS member_search_trgm ON members_member "
    "USING gin (search_name gin_trgm_ops)"
]


class Migration(migrations.Migration):
    dependencies = [("members", "0016_branch_path_statistics_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
