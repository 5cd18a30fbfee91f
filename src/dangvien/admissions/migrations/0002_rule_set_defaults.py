"""Give the rule sets already stored the admission rules' default values (missing keys only)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = (
    "introducer_min_months_together",
    "min_general_education_grade",
    "vote_share_numerator",
    "vote_share_denominator",
    "vote_attempts_before_upper_level",
    "probation_reminder_days",
    "old_card_digits",
)


class Migration(migrations.Migration):
    dependencies = [("admissions", "0001_initial"), ("core", "0005_vietnamese_holidays")]
    operations = [rule_defaults(KEYS)]
