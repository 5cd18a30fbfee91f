"""Give the rule sets already stored the transfer rules' default values (missing keys only):
60 working days to start a permanent transfer, 30 to present the letter, temporary from 3 to
under 12 months, full-time study up to 24 months (QĐ 294-QĐ/TW; domain-rules §2.7)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = (
    "transfer_start_working_days",
    "transfer_present_working_days",
    "transfer_temporary_min_months",
    "transfer_temporary_max_months",
    "transfer_study_max_months",
)


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_transfers"), ("core", "0005_vietnamese_holidays")]
    operations = [rule_defaults(KEYS)]
