"""Load the default rule sets (the regulations in force since 2016) into an empty table."""

from django.db import migrations


def load_defaults(apps, schema_editor):
    from dangvien.core.rules import DEFAULT_RULE_SETS, default_values

    RuleSet = apps.get_model("core", "RuleSet")
    for name, effective_from in DEFAULT_RULE_SETS:
        RuleSet.objects.get_or_create(
            effective_from=effective_from, defaults={"name": name, "values": default_values()}
        )


def unload_defaults(apps, schema_editor):
    from dangvien.core.rules import DEFAULT_RULE_SETS

    RuleSet = apps.get_model("core", "RuleSet")
    RuleSet.objects.filter(effective_from__in=[day for _, day in DEFAULT_RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_ruleset_ruleexception")]
    operations = [migrations.RunPython(load_defaults, unload_defaults)]
