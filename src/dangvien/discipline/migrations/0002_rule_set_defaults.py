"""Give the rule sets already stored the discipline rule's default value (missing key only): a
complaint against a discipline decision within 30 working days of it (Điều lệ Đảng Điều 37:
one month; domain-rules §7.3)."""

from django.db import migrations

KEYS = ("discipline_complaint_working_days",)


def add_defaults(apps, schema_editor):
    from dangvien.core.rules import RULE_KEYS

    RuleSet = apps.get_model("core", "RuleSet")
    for rule_set in RuleSet.objects.all():
        missing = {key: RULE_KEYS[key][1] for key in KEYS if key not in rule_set.values}
        if missing:
            rule_set.values = {**rule_set.values, **missing}
            rule_set.save(update_fields=["values"])


def remove_keys(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    for rule_set in RuleSet.objects.all():
        kept = {key: value for key, value in rule_set.values.items() if key not in KEYS}
        if kept != rule_set.values:
            rule_set.values = kept
            rule_set.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial"), ("core", "0005_vietnamese_holidays")]
    operations = [migrations.RunPython(add_defaults, remove_keys)]
