"""A unit's row for a past year now counts its subtree as it stood on that year's 31/12
(reports/tallies/); rows stored before counted it by today's tree, which differs wherever an
organisation moved since. Those rows are dropped: a report counts a year with no rows from the
records (and stores them on the primary database), and `dangvien recount --all` rebuilds them at
once. Today's rows (year 0) keep their meaning and stay."""

from django.db import migrations

TODAY = 0


def drop_past_rows(apps, schema_editor):
    apps.get_model("reports", "UnitTally").objects.exclude(year=TODAY).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_unit_state_path_index_postgresql")]
    operations = [migrations.RunPython(drop_past_rows, migrations.RunPython.noop)]
