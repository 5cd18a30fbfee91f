"""Migration helpers: SQL that only PostgreSQL runs (indexes SQLite neither needs nor has)."""

from django.db import migrations


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A reversible operation running `forward` (and `backward` when unapplied) on PostgreSQL."""
    return migrations.RunPython(_run(forward), _run(backward))
