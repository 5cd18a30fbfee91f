"""The data generation token (core.models.DataGeneration), seeded with a random value."""

import secrets

from django.db import migrations, models


def seed(apps, schema_editor):
    apps.get_model("core", "DataGeneration").objects.create(pk=1, token=secrets.token_hex(16))


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_vietnamese_holidays'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataGeneration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64, verbose_name='mã thế hệ dữ liệu')),
                ('changed_at', models.DateTimeField(auto_now=True, verbose_name='thời điểm thay đổi')),
            ],
            options={
                'verbose_name': 'thế hệ dữ liệu',
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
