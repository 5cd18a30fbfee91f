"""Give the rule sets already stored the congress cycles' defaults (missing keys only): months
from a congress to the next by the organisation's kind, and the tolerance (a branch under a
base committee twice in 5 years, ±6 months: Điều lệ Đảng; the other levels unconfirmed)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = (
    "congress_cycle_months_province",
    "congress_cycle_months_upper",
    "congress_cycle_months_base",
    "congress_cycle_months_partial",
    "congress_cycle_months_sub_branch",
    "congress_tolerance_months",
)


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_initial"), ("core", "0008_audit_action_index")]
    operations = [rule_defaults(KEYS)]
