"""Give the rule sets already stored the discipline rule's default value (missing key only): a
complaint against a discipline decision within 30 working days of it (Điều lệ Đảng, domain-rules §7.3:
one month; domain-rules §7.3)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("discipline_complaint_working_days",)


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial"), ("core", "0005_vietnamese_holidays")]
    operations = [rule_defaults(KEYS)]
