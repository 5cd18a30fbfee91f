"""Give the rule sets already stored the branch-life rules' defaults (missing keys only): the
months of unexcused absence that raise the Điều lệ Đảng Điều 8 flag (3) and the score bands of
a meeting's quality (85, 70, 50: local practice, configurable)."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = (
    "meeting_absence_months_flag",
    "meeting_quality_good_min_score",
    "meeting_quality_fair_min_score",
    "meeting_quality_average_min_score",
)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("core", "0008_audit_action_index")]
    operations = [rule_defaults(KEYS)]
