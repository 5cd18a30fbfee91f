"""Fields many records share, as abstract models: who recorded them and when, and an annulment
that keeps the record (who annulled it, when, why) instead of deleting it."""

from django.conf import settings
from django.db import models


class Recorded(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    class Meta:
        abstract = True


class Annullable(models.Model):
    """Annulled (recorded by mistake, or withdrawn): kept, with who, when and why."""

    annulled_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    annul_reason = models.TextField("lý do hủy", blank=True)

    class Meta:
        abstract = True


def one_subject_constraints(prefix: str) -> list[models.BaseConstraint]:
    """A decision on a member or an organisation (`member`, `organization`), never both, and a
    decision number once per subject: the constraints `<prefix>_one_subject`,
    `<prefix>_number_member_unique` and `<prefix>_number_org_unique`."""
    return [
        models.CheckConstraint(
            condition=models.Q(member__isnull=True) ^ models.Q(organization__isnull=True),
            name=f"{prefix}_one_subject",
        ),
        models.UniqueConstraint(
            fields=["decision_number", "member"],
            condition=models.Q(member__isnull=False),
            name=f"{prefix}_number_member_unique",
        ),
        models.UniqueConstraint(
            fields=["decision_number", "organization"],
            condition=models.Q(organization__isnull=False),
            name=f"{prefix}_number_org_unique",
        ),
    ]
