"""Give the rule sets already stored the assessment rules' default values (missing keys only)."""

from django.db import migrations

KEYS = ("excellent_cap_percent_of_good", "excellent_cap_round_up", "disciplined_max_grade_rank")


def add_defaults(apps, schema_editor):
    from dangvien.core.rules import RULE_KEYS

    RuleSet = apps.get_model("core", "RuleSet")
    for rule_set in RuleSet.objects.all():
        missing = {key: RULE_KEYS[key][1] for key in KEYS if key not in rule_set.values}
        if missing:
            rule_set.values = {**rule_set.values, **missing}
            rule_set.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial"), ("core", "0003_default_rule_sets")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
