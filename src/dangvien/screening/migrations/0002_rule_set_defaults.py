"""Give the rule sets already stored the striking-off rules' defaults (missing keys only): the
vote shares at each level (Điều lệ Đảng Điều 8; QĐ 24-QĐ/TW §8.1, [C] for a probationary member,
[U] for an official one), the self-review requests and the complaint period ([U])."""

from django.db import migrations

from dangvien.core.migration_ops import rule_defaults

KEYS = (
    "strike_off_probationary_branch_numerator",
    "strike_off_probationary_branch_denominator",
    "strike_off_probationary_base_numerator",
    "strike_off_probationary_base_denominator",
    "strike_off_probationary_standing_numerator",
    "strike_off_probationary_standing_denominator",
    "strike_off_official_branch_numerator",
    "strike_off_official_branch_denominator",
    "strike_off_official_base_numerator",
    "strike_off_official_base_denominator",
    "strike_off_official_standing_numerator",
    "strike_off_official_standing_denominator",
    "strike_off_self_review_requests",
    "strike_off_complaint_working_days",
)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial"), ("core", "0010_quarterly_reviews_rule")]
    operations = [rule_defaults(KEYS)]
