"""Party age and re-admission (issue 17): the member's re-admission date, the days outside the
Party not counted in party age, the re-admission events, and the rules of re-admission and
party badges in the stored Charter rule sets (the keys of core.rules' party age and badges block)."""

from django.db import migrations, models

from dangvien.core.migration_ops import rule_defaults


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0017_drop_member_search_trigram_postgresql'),
        ('core', '0010_quarterly_reviews_rule'),
    ]

    operations = [
        migrations.AddField(
            model_name='member',
            name='party_age_gap_days',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='số ngày không tính tuổi đảng'),
        ),
        migrations.AddField(
            model_name='member',
            name='readmitted_on',
            field=models.DateField(blank=True, null=True, verbose_name='ngày kết nạp lại'),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='kind',
            field=models.CharField(choices=[('admitted', 'Kết nạp vào Đảng'), ('recognised', 'Công nhận đảng viên chính thức'), ('transferred', 'Chuyển sinh hoạt đảng'), ('exempted', 'Miễn công tác và sinh hoạt đảng'), ('exemption_ended', 'Trở lại sinh hoạt đảng'), ('resigned', 'Xin ra khỏi Đảng'), ('removed', 'Xóa tên'), ('expelled', 'Khai trừ'), ('deceased', 'Từ trần'), ('reinstated', 'Hủy việc ra khỏi Đảng, trở lại sinh hoạt đảng'), ('card_issued', 'Cấp thẻ đảng viên'), ('card_ended', 'Thẻ đảng viên hết dùng (mất, hỏng, thu hồi)'), ('readmitted', 'Kết nạp lại vào Đảng'), ('readmission_void', 'Hủy quyết định kết nạp lại')], max_length=20, verbose_name='sự kiện'),
        ),
        rule_defaults(
            (
                "readmission_min_months_after_leaving",
                "readmission_min_months_after_record_cleared",
                "readmission_max_times",
                "badge_first_milestone_years",
                "badge_second_milestone_years",
                "badge_milestone_step_years",
                "badge_last_milestone_years",
                "badge_early_months_short",
                "badge_early_short_until_years",
                "badge_early_months_long",
                "badge_ceremony_1_mmdd",
                "badge_ceremony_2_mmdd",
                "badge_ceremony_3_mmdd",
                "badge_ceremony_4_mmdd",
            )
        ),
    ]
