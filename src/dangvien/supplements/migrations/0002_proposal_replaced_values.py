"""Each proposal keeps what its approval wrote over in the record (field → [before, written]), so
an approval can be undone. Proposals approved before this migration get it from the record's
history: the correction their approval made ("member.update", reason «Bổ sung hồ sơ năm N»)."""

from django.db import migrations, models

# supplements.models.PROPOSABLE_FIELDS as of this migration.
PROPOSABLE_FIELDS = (
    "residence",
    "phone",
    "workplace",
    "occupation",
    "general_education",
    "qualification",
    "academic_title",
    "political_theory",
    "foreign_language",
    "it_skill",
    "party_position",
    "state_position",
    "mass_org_position",
    "work_history",
    "family_notes",
)


def fill_replaced(apps, schema_editor):
    proposals = apps.get_model("supplements", "SupplementProposal")
    entries = apps.get_model("core", "AuditEntry")
    approved = proposals._default_manager.filter(status="approved", approved_at__isnull=False)
    for proposal in approved.select_related("round").iterator():
        entry = (
            entries._default_manager.filter(
                action="member.update",
                target_type="members.member",
                target_id=proposal.member_id,
                reason=f"Bổ sung hồ sơ năm {proposal.round.year}",
                at__lte=proposal.approved_at,
            )
            .order_by("-at", "-id")
            .first()
        )
        if entry is None:  # the approval changed nothing in the record
            continue
        replaced = {
            name: values
            for name, values in entry.changes.items()
            if name in PROPOSABLE_FIELDS and name in proposal.changes
        }
        if replaced:
            proposal.replaced = replaced
            proposal.save(update_fields=["replaced"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_audit_action_index"),
        ("supplements", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="supplementproposal",
            name="replaced",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="giá trị hồ sơ trước khi duyệt"
            ),
        ),
        migrations.RunPython(fill_replaced, migrations.RunPython.noop),
    ]
