"""Give the rule sets already stored the transfer rules' default values (missing keys only):
60 working days to start a permanent transfer, 30 to present the letter, temporary from 3 to
under 12 months, full-time study up to 24 months (QĐ 294-QĐ/TW; domain-rules §2.7)."""

from django.db import migrations

KEYS = (
    "transfer_start_working_days",
    "transfer_present_working_days",
    "transfer_temporary_min_months",
    "transfer_temporary_max_months",
    "transfer_study_max_months",
)


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
    dependencies = [("transfers", "0001_transfers"), ("core", "0005_vietnamese_holidays")]
    operations = [migrations.RunPython(add_defaults, remove_keys)]
