"""A version counter on each edited record: a stale save is refused (core/versions.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0006_list_order_search_index_postgresql")]

    operations = [
        migrations.AddField(
            model_name="member",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="phiên bản"),
        ),
    ]
