"""The rule `quarterly_reviews_in_use` in the assessment rule sets: 1 from QĐ 366-QĐ/TW (in force
30/8/2025), 0 in the sets before it."""

import datetime

from django.db import migrations

KEY = "quarterly_reviews_in_use"
QD_366 = datetime.date(2025, 8, 30)


def add(apps, schema_editor):
    for rule_set in apps.get_model("core", "RuleSet").objects.filter(family="danh_gia"):
        if KEY not in rule_set.values:
            value = 1 if rule_set.effective_from >= QD_366 else 0
            rule_set.values = {**rule_set.values, KEY: value}
            rule_set.save(update_fields=["values"])


def remove(apps, schema_editor):
    for rule_set in apps.get_model("core", "RuleSet").objects.filter(family="danh_gia"):
        if KEY in rule_set.values:
            rule_set.values = {k: v for k, v in rule_set.values.items() if k != KEY}
            rule_set.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("core", "0009_rule_set_families")]
    operations = [migrations.RunPython(add, remove)]
