"""Give the rule sets already stored the assessment rules' default values (missing keys only)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("excellent_cap_percent_of_good", "excellent_cap_round_up", "disciplined_max_grade_rank")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial"), ("core", "0003_default_rule_sets")]
    operations = [rule_defaults(KEYS)]
