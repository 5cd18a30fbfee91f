"""Give the rule sets already stored the training rule's default (missing keys only): the
new-member class certificate needed for recognition ([U] HD 12-HD/BTCTW 2022, practice)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("new_member_class_required",)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("core", "0010_quarterly_reviews_rule")]
    operations = [rule_defaults(KEYS)]
