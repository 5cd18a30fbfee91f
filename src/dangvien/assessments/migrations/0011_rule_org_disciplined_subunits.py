"""Give the rule sets already stored the organisation discipline rule's default (missing key
only): more than 20% of the sub-units disciplined in the year leaves an organisation "not
completed" at best (QĐ 132-QĐ/TW Điều 12.4, QĐ 124)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("org_disciplined_subunits_max_percent",)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0010_not_graded_suspended"), ("core", "0005_vietnamese_holidays")]
    operations = [rule_defaults(KEYS)]
