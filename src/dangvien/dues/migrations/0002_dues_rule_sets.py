"""The dues rule family (core.rules.Family.DUES, «Đảng phí»): QĐ 342-QĐ/TW (28/12/2010, from
01/01/2011 [U]) and QĐ 01-QĐ/TW (2/2026, from 01/03/2026 [U]) with their values, frozen here as
they were when this migration was written (core.rules.DUES_RULE_SETS); and the PostgreSQL
indexes that make "below a path" a range whatever the collation, for the dues report."""

import datetime

from django.db import migrations

from dangvien.core.migration_ops import postgresql_only

DUES = "dang_phi"
QD_01_2026 = {
    "dues_salary_rate_bp": 100,
    "dues_allowance_rate_bp": 100,
    "dues_pension_rate_bp": 50,
    "dues_student_amount": 5000,
    "dues_other_amount": 5000,
    "dues_rounding_unit": 1,
    "dues_keep_branch_commune_percent": 50,
    "dues_keep_branch_other_percent": 30,
    "dues_keep_base_commune_percent": 90,
    "dues_keep_base_other_percent": 50,
    "dues_unpaid_months_flag": 3,
}
SETS = [
    (
        "QĐ 342-QĐ/TW về chế độ đảng phí",
        "2011-01-01",
        "QĐ 342-QĐ/TW ngày 28/12/2010 của Bộ Chính trị; áp dụng từ 01/01/2011 (ngày hiệu lực "
        "chưa đối chiếu văn bản). Mức cố định của học sinh, sinh viên và đảng viên khác chưa "
        "đối chiếu.",
        {**QD_01_2026, "dues_student_amount": 3000, "dues_other_amount": 3000},
    ),
    (
        "QĐ 01-QĐ/TW về chế độ đảng phí (2026)",
        "2026-03-01",
        "QĐ 01-QĐ/TW của Bộ Chính trị (công bố 06/02/2026): 1% tiền lương làm căn cứ đóng BHXH "
        "tháng trước, hưu trí 0,5%, học sinh, sinh viên 5.000 đồng/tháng. Ngày hiệu lực 01/3/2026 "
        "chưa đối chiếu văn bản; tỷ lệ giữ lại theo QĐ 09-QĐ/TW, HD 724, chưa đối chiếu.",
        QD_01_2026,
    ),
]


def load(apps, schema_editor):
    RuleSet = apps.get_model("core", "RuleSet")
    for name, day, note, values in SETS:
        RuleSet.objects.get_or_create(
            family=DUES,
            effective_from=datetime.date.fromisoformat(day),
            defaults={"name": name, "note": note, "values": values},
        )


def unload(apps, schema_editor):
    apps.get_model("core", "RuleSet").objects.filter(family=DUES).delete()


FORWARD = [
    "CREATE INDEX IF NOT EXISTS dues_payment_path_pg ON dues_duespayment "
    "(branch_path varchar_pattern_ops, month) INCLUDE (amount) WHERE annulled_at IS NULL",
    "CREATE INDEX IF NOT EXISTS dues_remit_path_pg ON dues_duesremittance "
    "(org_path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS dues_payment_path_pg",
    "DROP INDEX IF EXISTS dues_remit_path_pg",
]


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0001_initial"),
        ("core", "0010_quarterly_reviews_rule"),
        ("core", "0011_rule_set_family_dues"),
    ]
    operations = [migrations.RunPython(load, unload), postgresql_only(FORWARD, BACKWARD)]
