"""A unit's rows for a past year now also hold its members on that 31/12 by status, breakdown
field and birth year, so that the structure report of a province or the whole Party on the
31/12 of a past year adds them up (reports/tallies/, reports/structure.py) instead of
counting millions of placements. Rows stored before lack them: they are dropped, as 0006 did; a
report counts a year with no rows from the records until `dangvien recount --all` rebuilds
them. Today's rows (year 0) stay."""

from django.db import migrations

TODAY = 0


def drop_past_rows(apps, schema_editor):
    apps.get_model("reports", "UnitTally").objects.exclude(year=TODAY).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_past_tallies_by_year_end_tree")]
    operations = [migrations.RunPython(drop_past_rows, migrations.RunPython.noop)]
