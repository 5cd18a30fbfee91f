"""Migration helpers: SQL that only PostgreSQL runs (indexes SQLite neither needs nor has), and
the default values of new rules given to the rule sets already stored."""

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


def rule_defaults(keys: tuple[str, ...]) -> migrations.RunPython:
    """Give every rule set already stored of the keys' family the default value
    (core.rules.RULE_KEYS) of each of `keys` it lacks; unapplied, take those keys out again."""

    def add(apps, schema_editor):
        from dangvien.core.rules import RULE_KEYS, Family, family_of

        for rule_set in apps.get_model("core", "RuleSet").objects.all():
            # Only the sets of the rule's family (core 0009; before it, every set is the
            # Charter's).
            family = getattr(rule_set, "family", Family.CHARTER)
            missing = {
                key: RULE_KEYS[key][1]
                for key in keys
                if key not in rule_set.values and family_of(key) == family
            }
            if missing:
                rule_set.values = {**rule_set.values, **missing}
                rule_set.save(update_fields=["values"])

    def remove(apps, schema_editor):
        for rule_set in apps.get_model("core", "RuleSet").objects.all():
            kept = {key: value for key, value in rule_set.values.items() if key not in keys}
            if kept != rule_set.values:
                rule_set.values = kept
                rule_set.save(update_fields=["values"])

    return migrations.RunPython(add, remove)
