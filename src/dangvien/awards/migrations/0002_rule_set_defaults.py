"""Give the rule sets already stored the awards' defaults (missing keys only): the years running
of an excellent streak (HD 21-HD/BTCTW) and the admissions share of the thematic award [U]."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("award_streak_years", "award_admissions_min_percent")


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial"), ("core", "0010_quarterly_reviews_rule")]
    operations = [rule_defaults(KEYS)]
