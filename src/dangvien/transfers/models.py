"""Transfers of party activity between organisations (chuyển sinh hoạt đảng, domain-rules §2.7).

A transfer is one introduction letter and what came of it: permanent (the member's branch
changes on the day they arrive), temporary (3 months to under 1 year) or for full-time study
(up to 2 years), where the member stays counted at home and is hosted elsewhere. It runs
within the system (the sending side issues the letter, the receiving side confirms the
arrival), out of it (a destination outside: the member leaves this system's counts on the day
they leave) or into it from outside.

`from_path` and `to_path` copy the branches' paths as they were when the transfer was recorded
and when the member arrived: "arrived in the period below a path" is one indexed range query on
this table alone (the structure report's transfers in and out).
"""

from django.conf import settings
from django.db import models

from dangvien.core.scope import ScopedManager


class TransferKind(models.TextChoices):
    PERMANENT = "permanent", "Chính thức"
    TEMPORARY = "temporary", "Tạm thời"
    STUDY = "study", "Tạm thời (đi học tập trung)"


TEMPORARY_KINDS = (TransferKind.TEMPORARY, TransferKind.STUDY)


class Direction(models.TextChoices):
    WITHIN = "within", "Trong hệ thống"
    OUT = "out", "Ra ngoài hệ thống"
    IN = "in", "Từ ngoài hệ thống vào"


class TransferStatus(models.TextChoices):
    LETTER_ISSUED = "letter_issued", "Đã cấp giấy giới thiệu, chờ đến sinh hoạt"
    ARRIVED = "arrived", "Đã đến sinh hoạt"
    CANCELLED = "cancelled", "Đã hủy"
    RETURNED = "returned", "Đã trở về sinh hoạt ở nơi cũ"


ACTION_LABELS = {
    "transfer.issue": "Cấp giấy giới thiệu sinh hoạt đảng",
    "transfer.arrive": "Xác nhận đảng viên đến sinh hoạt",
    "transfer.cancel": "Hủy giấy giới thiệu sinh hoạt đảng",
    "transfer.reopen": "Mở lại việc chuyển sinh hoạt đảng",
    "transfer.return": "Đảng viên trở về sau chuyển sinh hoạt tạm thời",
    "transfer.receive": "Tiếp nhận đảng viên từ ngoài hệ thống",
    "transfer.import": "Nhập chuyển sinh hoạt đảng từ tệp",
    # a read (transfers.identify): a record transferred out, looked up by the member's papers
    "transfer.identify": "Tìm hồ sơ đã chuyển ra ngoài hệ thống theo giấy tờ",
    # on the member: the status the transfers give and take back
    "member.leave_system": "Chuyển sinh hoạt ra ngoài hệ thống",
    "member.return_to_system": "Trở lại sinh hoạt trong hệ thống",
}


class Transfer(models.Model):
    """One introduction letter (giấy giới thiệu sinh hoạt đảng) and the member's arrival."""

    # Generic reads go by the member's current branch; the transfer pages read both sides
    # (transfers.selectors.visible_transfers: the sending and the receiving branch).
    scope_path = "member__branch_path"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(
        "loại", max_length=20, choices=TransferKind.choices, default=TransferKind.PERMANENT
    )
    direction = models.CharField(
        "hướng", max_length=10, choices=Direction.choices, default=Direction.WITHIN
    )
    from_branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name="chi bộ chuyển đi",
    )
    from_path = models.CharField("đường dẫn nơi chuyển đi", max_length=255, blank=True)
    to_branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name="chi bộ chuyển đến",
    )
    to_path = models.CharField("đường dẫn nơi chuyển đến", max_length=255, blank=True)
    outside_destination = models.CharField(
        "nơi chuyển đến (ngoài hệ thống)", max_length=255, blank=True
    )
    outside_origin = models.CharField("nơi chuyển đi (ngoài hệ thống)", max_length=255, blank=True)
    trigger_on = models.DateField(
        "ngày phát sinh (nhận công tác mới, nghỉ hưu, chuyển nơi ở…)", null=True, blank=True
    )
    letter_number = models.CharField("số giấy giới thiệu", max_length=60, blank=True)
    letter_issued_on = models.DateField("ngày cấp giấy giới thiệu", null=True, blank=True)
    arrived_on = models.DateField("ngày đến sinh hoạt", null=True, blank=True)
    temporary_until = models.DateField("sinh hoạt tạm thời đến ngày", null=True, blank=True)
    returned_on = models.DateField("ngày trở về", null=True, blank=True)
    status = models.CharField(
        "tình trạng",
        max_length=20,
        choices=TransferStatus.choices,
        default=TransferStatus.LETTER_ISSUED,
    )
    late_explanation = models.TextField("giải trình chậm hạn", blank=True)
    cancel_reason = models.TextField("lý do hủy", blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("thời điểm xác nhận", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "chuyển sinh hoạt đảng"
        verbose_name_plural = "chuyển sinh hoạt đảng"
        ordering = ["-letter_issued_on", "-arrived_on", "-id"]
        indexes = [
            # arrived in a period below a path: one prefix + range scan each way
            models.Index(fields=["to_path", "arrived_on"], name="transfer_in_idx"),
            models.Index(fields=["from_path", "arrived_on"], name="transfer_out_idx"),
            # letters waiting for the member (pending, overdue)
            models.Index(fields=["status", "letter_issued_on"], name="transfer_pending_idx"),
            models.Index(fields=["member", "arrived_on"], name="transfer_member_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction="in") | models.Q(from_branch__isnull=False),
                name="transfer_has_origin",
            ),
            models.CheckConstraint(
                condition=models.Q(to_branch__isnull=False) | ~models.Q(outside_destination=""),
                name="transfer_has_destination",
            ),
            models.CheckConstraint(
                condition=models.Q(arrived_on__isnull=True)
                | models.Q(letter_issued_on__isnull=True)
                | models.Q(arrived_on__gte=models.F("letter_issued_on")),
                name="transfer_arrival_after_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"Chuyển sinh hoạt đảng: {self.member} → {self.destination}"

    @property
    def destination(self) -> str:
        return self.to_branch.name if self.to_branch_id else self.outside_destination

    @property
    def origin(self) -> str:
        return self.from_branch.name if self.from_branch_id else self.outside_origin

    @property
    def is_temporary(self) -> bool:
        return self.kind in TEMPORARY_KINDS
