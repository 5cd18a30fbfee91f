"""A version counter on each edited record: a stale save is refused (core/versions.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_commitment_scoped_manager")]

    operations = [
        migrations.AddField(
            model_name="memberassessment",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="phiên bản"),
        ),
        migrations.AddField(
            model_name="orgassessment",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="phiên bản"),
        ),
    ]
