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
