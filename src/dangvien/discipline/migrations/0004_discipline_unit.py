"""The organisation that places a decision in the tree of any day (`Discipline.unit`): for the
decisions already recorded, the organisation whose path their `subject_path` copies (the copy
follows that organisation's moves, so it names it today)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_units(apps, schema_editor):
    Discipline = apps.get_model("discipline", "Discipline")
    Organization = apps.get_model("organizations", "Organization")
    paths = set(Discipline._base_manager.values_list("subject_path", flat=True))
    by_path = dict(Organization._base_manager.filter(path__in=paths).values_list("path", "pk"))
    Member = apps.get_model("members", "Member")
    for discipline in Discipline._base_manager.filter(unit__isnull=True):
        unit = by_path.get(discipline.subject_path) or discipline.organization_id
        if unit is None:  # a copy that drifted: the member's branch, where they are now
            unit = Member._base_manager.get(pk=discipline.member_id).branch_id
        discipline.unit_id = unit
        discipline.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("discipline", "0003_annulment"),
        ("organizations", "0005_state_path_since_index_postgresql"),
        ("members", "0017_drop_member_search_trigram_postgresql"),
    ]

    operations = [
        migrations.AddField(
            model_name="discipline",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.organization",
                verbose_name="chi bộ, tổ chức của đối tượng khi quyết định",
            ),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="discipline",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organizations.organization",
                verbose_name="chi bộ, tổ chức của đối tượng khi quyết định",
            ),
        ),
    ]
