"""On PostgreSQL, drop the `varchar_pattern_ops` twins Django made beside the indexes of seven
member fields (`db_index` / `unique` on a CharField): they serve only LIKE 'prefix%', which no
query asks of a status, qualification, political theory level, ethnicity, citizen ID, card
number (matched whole) or folded name (searched as '%words%', by its trigram index). Every
write of a member row maintains every index of the table (a reorganisation moving a province's
634,921 members rewrote 35 of them each); the plain and unique indexes stay."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

UNUSED = {
    "members_member_status_0d2ab2b9_like": "status",
    "members_member_qualification_ebe72b78_like": "qualification",
    "members_member_political_theory_b8d736b2_like": "political_theory",
    "members_member_ethnicity_51249102_like": "ethnicity",
    "members_member_citizen_id_125b8f9b_like": "citizen_id",
    "members_member_card_number_429e92e0_like": "card_number",
    "members_member_search_name_943cae1c_like": "search_name",
}
FORWARD = [f"DROP INDEX IF EXISTS {name}" for name in UNUSED]
BACKWARD = [
    f"CREATE INDEX IF NOT EXISTS {name} ON members_member ({column} varchar_pattern_ops)"
    for name, column in UNUSED.items()
]


class Migration(migrations.Migration):
    dependencies = [("members", "0013_transferred_out_status")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
