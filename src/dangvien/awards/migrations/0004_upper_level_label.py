"""The upper level of an award is named neutrally «Cấp trên trực tiếp cơ sở» (no district level
since 01/07/2025, QĐ 294-QĐ/TW); the stored value is unchanged, so this only relabels."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0003_path_indexes_postgresql'),
    ]

    operations = [
        migrations.AlterField(
            model_name='award',
            name='level',
            field=models.CharField(choices=[('co_so', 'Cấp ủy cơ sở'), ('cap_tren_co_so', 'Cấp trên trực tiếp cơ sở'), ('tinh', 'Cấp tỉnh'), ('trung_uong', 'Trung ương')], max_length=20, verbose_name='cấp khen'),
        ),
        migrations.AlterField(
            model_name='proposal',
            name='level',
            field=models.CharField(choices=[('co_so', 'Cấp ủy cơ sở'), ('cap_tren_co_so', 'Cấp trên trực tiếp cơ sở'), ('tinh', 'Cấp tỉnh'), ('trung_uong', 'Trung ương')], max_length=20, verbose_name='cấp khen'),
        ),
    ]
