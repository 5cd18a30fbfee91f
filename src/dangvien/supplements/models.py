"""The annual record supplement (bổ sung hồ sơ đảng viên hằng năm): rounds and proposals.

An officer opens the year's round for a subtree; each member proposes changes to their own record;
the branch confirms; the officer approves, and only then are the changes written to the record
(append-only amendments with approval: domain-rules §3.1, QĐ 24 §6.2.4).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dangvien.core.scope import ScopedManager
from dangvien.members.models import Member

# Fields of the record a member may propose to change in the yearly supplement form; identity,
# party dates, card and status change only through an officer's correction or a lifecycle action.
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


def field_label(name: str) -> str:
    """The record field's label as a heading: "chức vụ Đảng" → "Chức vụ Đảng"."""
    label = str(Member._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


ACTION_LABELS = {
    "supplement.open": "Mở đợt bổ sung hồ sơ",
    "supplement.close": "Kết thúc đợt bổ sung hồ sơ",
    "supplement.reopen": "Mở lại đợt bổ sung hồ sơ",
    "supplement.draft": "Lưu nháp phiếu bổ sung hồ sơ",
    "supplement.submit": "Gửi phiếu bổ sung hồ sơ",
    "supplement.paper": "Ghi nhận phiếu bổ sung nộp bản giấy",
    "supplement.confirm": "Chi bộ xác nhận phiếu bổ sung",
    "supplement.approve": "Duyệt phiếu bổ sung hồ sơ",
    "supplement.unapprove": "Hoàn tác duyệt phiếu bổ sung hồ sơ",
    "supplement.reject": "Trả lại phiếu bổ sung hồ sơ",
}


class SupplementRound(models.Model):
    """The supplement of one year for the members of one organisation's whole subtree."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    year = models.PositiveSmallIntegerField("năm")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="supplement_rounds",
        verbose_name="tổ chức",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True, editable=False)
    deadline = models.DateField("hạn nộp")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người mở đợt",
    )
    opened_at = models.DateTimeField("thời điểm mở", default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người kết thúc đợt",
    )
    closed_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đợt bổ sung hồ sơ"
        verbose_name_plural = "đợt bổ sung hồ sơ"
        ordering = ["-year", "org_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="supplement_round_org_year_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1930), name="supplement_round_year_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Bổ sung hồ sơ năm {self.year} – {self.organization.name}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    SUBMITTED = "submitted", "Chờ chi bộ xác nhận"
    CONFIRMED = "confirmed", "Chờ cấp ủy duyệt"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Bị trả lại"


# A member "has submitted" once the proposal left the draft and was not sent back.
SUBMITTED_STATES = (ProposalStatus.SUBMITTED, ProposalStatus.CONFIRMED, ProposalStatus.APPROVED)
CONFIRMED_STATES = (ProposalStatus.CONFIRMED, ProposalStatus.APPROVED)


def _actor(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class SupplementProposal(models.Model):
    """One member's proposed changes in a round: `changes` maps field → [old, new]."""

    scope_path = "member__branch_path"

    round = models.ForeignKey(
        SupplementRound, on_delete=models.PROTECT, related_name="proposals", verbose_name="đợt"
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="supplement_proposals",
        verbose_name="đảng viên",
    )
    changes = models.JSONField("nội dung đề nghị", default=dict, blank=True)
    # What the approval wrote over: field → [the record's value before, the value written]; an
    # undone approval puts these back (services.undo_approval).
    replaced = models.JSONField("giá trị hồ sơ trước khi duyệt", default=dict, blank=True)
    note = models.TextField("ghi chú của đảng viên", blank=True)
    on_paper = models.BooleanField("nộp bản giấy", default=False)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
        db_index=True,
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)
    submitted_at = models.DateTimeField("thời điểm gửi", null=True, blank=True)
    submitted_by = _actor("người gửi")
    confirmed_at = models.DateTimeField("thời điểm chi bộ xác nhận", null=True, blank=True)
    confirmed_by = _actor("người xác nhận")
    approved_at = models.DateTimeField("thời điểm duyệt", null=True, blank=True)
    approved_by = _actor("người duyệt")
    rejected_at = models.DateTimeField("thời điểm trả lại", null=True, blank=True)
    rejected_by = _actor("người trả lại")
    rejection_reason = models.TextField("lý do trả lại", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "phiếu bổ sung hồ sơ"
        verbose_name_plural = "phiếu bổ sung hồ sơ"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live proposal per member and round; a rejected one may be followed by a new one.
            models.UniqueConstraint(
                fields=["round", "member"],
                condition=~models.Q(status="rejected"),
                name="supplement_one_live_proposal",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProposalStatus.values),
                name="supplement_proposal_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="supplement_round_status_idx")]

    def __str__(self) -> str:
        return f"Phiếu bổ sung năm {self.round.year} – {self.member.full_name}"

    @property
    def badge(self) -> str:
        """CSS class of the status badge."""
        return STATUS_BADGES.get(self.status, "")


STATUS_BADGES = {
    ProposalStatus.SUBMITTED: "warning",
    ProposalStatus.APPROVED: "success",
    ProposalStatus.REJECTED: "danger",
}
