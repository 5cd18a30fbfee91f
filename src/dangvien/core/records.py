"""Fields many records share, as abstract models: who recorded them and when, and an annulment
that keeps the record (who annulled it, when, why) instead of deleting it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    def mark_annulled(self, actor, reason: str) -> None:
        """Annulled now by `actor` (None: the command line) for `reason`, checked by the caller;
        saved, the rest of the record untouched."""
        from dangvien.core.audit import acting_user

        self.annulled_at, self.annulled_by = timezone.now(), acting_user(actor)
        self.annul_reason = reason
        fields = ["annulled_at", "annulled_by", "annul_reason"]
        if any(field.name == "updated_at" for field in self._meta.concrete_fields):
            fields.append("updated_at")
        self.save(update_fields=fields)


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


def year_or_term_constraints(prefix: str, owner: str) -> list[models.BaseConstraint]:
    """A record of an organisation (`owner`) for a year or a term (`year` XOR `term_start` <
    `term_end`), once per organisation and period: the constraints `<prefix>_year_or_term`,
    `<prefix>_once_per_year` and `<prefix>_once_per_term` (admission quotas, programmes)."""
    return [
        models.CheckConstraint(
            condition=(
                models.Q(year__isnull=False, term_start__isnull=True, term_end__isnull=True)
                | models.Q(
                    year__isnull=True,
                    term_start__isnull=False,
                    term_end__gt=models.F("term_start"),
                )
            ),
            name=f"{prefix}_year_or_term",
        ),
        models.UniqueConstraint(
            fields=[owner, "year"],
            condition=models.Q(year__isnull=False),
            name=f"{prefix}_once_per_year",
        ),
        models.UniqueConstraint(
            fields=[owner, "term_start", "term_end"],
            condition=models.Q(term_start__isnull=False),
            name=f"{prefix}_once_per_term",
        ),
    ]
