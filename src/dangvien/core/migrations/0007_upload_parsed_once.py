"""An upload keeps what its file said, read once (rows and problems), instead of the raw file.

Uploads made before have no stored reading: their preview asks for the file again.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_data_generation'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='importupload',
            name='content',
        ),
        migrations.AddField(
            model_name='importupload',
            name='parsed',
            field=models.BinaryField(null=True, verbose_name='dữ liệu đã đọc'),
        ),
        migrations.AddField(
            model_name='importupload',
            name='report',
            field=models.JSONField(null=True, verbose_name='kết quả kiểm tra'),
        ),
    ]
