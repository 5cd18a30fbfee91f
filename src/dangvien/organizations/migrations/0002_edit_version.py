"""A version counter on each edited record: a stale save is refused (core/versions.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="phiên bản"),
        ),
    ]
