"""Fill the working-day calendar with Vietnam's public holidays from 2010 to 2040."""

from django.db import migrations

YEARS = range(2010, 2041)


def load_holidays(apps, schema_editor):
    from dangvien.core.workdays import vietnamese_holidays

    Holiday = apps.get_model("core", "Holiday")
    existing = set(Holiday.objects.values_list("day", flat=True))
    Holiday.objects.bulk_create(
        Holiday(day=day, name=name[:150])
        for day, name in vietnamese_holidays(YEARS)
        if day not in existing
    )


def unload_holidays(apps, schema_editor):
    apps.get_model("core", "Holiday").objects.filter(
        day__year__gte=YEARS.start, day__year__lt=YEARS.stop
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_holiday")]
    operations = [migrations.RunPython(load_holidays, unload_holidays)]
