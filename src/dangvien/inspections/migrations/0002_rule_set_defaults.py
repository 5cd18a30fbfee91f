"""Give the rule sets already stored the inspection rules' default values (missing keys only):
an activity's period when its decision names none (30 working days, configurable: the
regulation's limits are unconfirmed, domain-briefs §3) and no transfer while a member is under
inspection (QĐ 29-QĐ/TW, domain-rules §2.7)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("inspection_default_working_days", "transfer_blocked_while_inspected")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("core", "0005_vietnamese_holidays")]
    operations = [rule_defaults(KEYS)]
