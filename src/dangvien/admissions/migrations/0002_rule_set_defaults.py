"""Give the rule sets already stored the admission rules' default values (missing keys only)."""

from django.db import migrations

KEYS = (
    "introducer_min_months_together",
    "min_general_education_grade",
    "vote_share_numerator",
    "vote_share_denominator",
    "vote_attempts_before_upper_level",
    "probation_reminder_days",
    "old_card_digits",
)


def add_defaults(apps, schema_editor):
    from dangvien.core.rules import RULE_KEYS

    RuleSet = apps.get_model("core", "RuleSet")
    for rule_set in RuleSet.objects.all():
        missing = {key: RULE_KEYS[key][1] for key in KEYS if key not in rule_set.values}
        if missing:
            rule_set.values = {**rule_set.values, **missing}
            rule_set.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("admissions", "0001_initial"), ("core", "0005_vietnamese_holidays")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
