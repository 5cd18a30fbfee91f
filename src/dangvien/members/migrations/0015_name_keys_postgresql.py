"""On PostgreSQL, the names members bear, each once: `members_name_key` holds every distinct
(sort key, folded name) pair of the member table, kept by triggers (an insert adds the new
rows' names, a rename adds the new name; a name nobody bears any longer stays and matches no
one). A name search looks its words up among these names first (thousands of rows, not
millions) and then reads the members bearing the matching names along the list's name-order
index, in order: over 6 million members the first page of "thi hoa" was read by walking the
name order up to the given names in H (members_selectors.name_keys). SQLite is unchanged."""

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE TABLE IF NOT EXISTS members_name_key ("
    " sort_key bytea NOT NULL, search_name varchar(150) NOT NULL,"
    " PRIMARY KEY (sort_key, search_name))",
    "CREATE INDEX IF NOT EXISTS members_name_key_trgm ON members_name_key "
    "USING gin (search_name gin_trgm_ops)",
    """CREATE OR REPLACE FUNCTION members_name_key_add() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO members_name_key (sort_key, search_name)
        SELECT DISTINCT sort_key, search_name FROM named
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS members_name_key_insert ON members_member",
    "CREATE TRIGGER members_name_key_insert AFTER INSERT ON members_member "
    "REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION members_name_key_add()",
    # A transition table cannot go with a column list (UPDATE OF): a statement that moves a
    # province's members would collect all their rows. A row trigger fires only on a rename.
    """CREATE OR REPLACE FUNCTION members_name_key_rename() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO members_name_key (sort_key, search_name)
        VALUES (NEW.sort_key, NEW.search_name)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$""",
    "DROP TRIGGER IF EXISTS members_name_key_update ON members_member",
    "CREATE TRIGGER members_name_key_update AFTER UPDATE OF sort_key, search_name "
    "ON members_member FOR EACH ROW "
    "WHEN (OLD.sort_key IS DISTINCT FROM NEW.sort_key "
    "OR OLD.search_name IS DISTINCT FROM NEW.search_name) "
    "EXECUTE FUNCTION members_name_key_rename()",
    "INSERT INTO members_name_key (sort_key, search_name) "
    "SELECT DISTINCT sort_key, search_name FROM members_member ON CONFLICT DO NOTHING",
    "ANALYZE members_name_key",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS members_name_key_update ON members_member",
    "DROP TRIGGER IF EXISTS members_name_key_insert ON members_member",
    "DROP FUNCTION IF EXISTS members_name_key_rename()",
    "DROP FUNCTION IF EXISTS members_name_key_add()",
    "DROP TABLE IF EXISTS members_name_key",
]


class Migration(migrations.Migration):
    dependencies = [("members", "0014_drop_unused_pattern_indexes_postgresql")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
