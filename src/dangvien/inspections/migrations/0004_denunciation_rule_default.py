"""Give the rule sets already stored the denunciation rule's default value (missing key only):
60 working days to handle a denunciation (unconfirmed, domain-rules §7.3: configurable)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("denunciation_handling_working_days",)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_denunciation")]
    operations = [rule_defaults(KEYS)]
