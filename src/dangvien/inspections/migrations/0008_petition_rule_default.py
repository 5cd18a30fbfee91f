"""Give the rule sets already stored the petition rule's default value (missing key only): 30
working days to answer a letter (unconfirmed, domain-briefs §5: configurable)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = ("petition_reply_working_days",)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0007_petitions")]
    operations = [rule_defaults(KEYS)]
