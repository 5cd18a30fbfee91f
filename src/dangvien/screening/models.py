"""The striking-off case (hồ sơ xóa tên) and the application to leave (xin ra khỏi Đảng) of a
member, with their steps: self-review requests, votes at each level, complaints.

One model for both kinds (Điều lệ Đảng Điều 8; QĐ 24-QĐ/TW §8.1; domain-rules §2.9). The grounds
are boolean columns so that the exit statistics count each ground in one aggregate. `branch` is
the member's branch when the case was opened; `branch_path` copies its path (scope, and it
follows the tree's moves like every path copy). `exit_event` is the timeline's «Xóa tên» / «Xin ra
khỏi Đảng» the decision recorded: the statistics read its day."""

from django.conf import settings
from django.db import models

from dangvien.core.records import Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field


class CaseKind(models.TextChoices):
    STRIKE_OFF = "xoa_ten", "Xóa tên"
    RESIGNATION = "xin_ra", "Xin ra khỏi Đảng"


class CaseStatus(models.TextChoices):
    OPEN = "dang_xet", "Đang xem xét"
    DECIDED = "da_quyet_dinh", "Đã có quyết định"
    COMPLAINED = "khieu_nai", "Đang giải quyết khiếu nại"
    WITHDRAWN = "da_rut", "Đã dừng xem xét"
    ANNULLED = "da_huy", "Đã hủy"


# The grounds of Điều lệ Đảng Điều 8 / QĐ 24-QĐ/TW §8.1 (domain-rules §2.9): field → label.
GROUNDS = {
    "ground_absence": "(a) Bỏ sinh hoạt đảng 3 tháng trong năm không có lý do chính đáng",
    "ground_dues": "(a) Không đóng đảng phí 3 tháng trong năm không có lý do chính đáng",
    "ground_card": "(b) Tự ý trả thẻ đảng viên hoặc tự hủy thẻ đảng viên",
    "ground_no_progress": (
        "(c) Giảm sút ý chí, không thực hiện nhiệm vụ đảng viên, được giáo dục 12 tháng không "
        "tiến bộ"
    ),
    "ground_not_completed": (
        "(d) Hai năm liền vi phạm tư cách đảng viên (không hoàn thành nhiệm vụ)"
    ),
    "ground_political": "(e) Không đủ tiêu chuẩn chính trị",
}
# The grounds whose wording carries a rule value (the months of (a), the years of (d)): the
# pages say them with the rule set of the year (`screening.flags.ground_labels`).
GROUND_TEXTS = {
    "ground_absence": (
        "(a) Bỏ sinh hoạt đảng {absence_months} tháng trong năm không có lý do chính đáng"
    ),
    "ground_dues": (
        "(a) Không đóng đảng phí {dues_months} tháng trong năm không có lý do chính đáng"
    ),
    "ground_not_completed": (
        "(d) {not_completed_years} năm liền vi phạm tư cách đảng viên (không hoàn thành nhiệm vụ)"
    ),
}
RESIGNATION_LABEL = "Xin ra khỏi Đảng"


class VoteLevel(models.TextChoices):
    """The bodies that vote, in order (domain-rules §2.9)."""

    BRANCH = "chi_bo", "Chi bộ"
    BASE = "dang_uy_co_so", "Đảng ủy cơ sở"
    STANDING = "ban_thuong_vu", "Ban thường vụ cấp ủy có thẩm quyền"


class StepKind(models.TextChoices):
    REVIEW_REQUESTED = "yeu_cau_kiem_diem", "Yêu cầu đảng viên viết bản tự kiểm điểm"
    REVIEW_REFUSED = "tu_choi_kiem_diem", "Đảng viên không viết bản tự kiểm điểm"
    REVIEW_DONE = "da_kiem_diem", "Đảng viên đã tự kiểm điểm, chi bộ đã kiểm điểm"
    VOTE = "bieu_quyet", "Biểu quyết"
    COMPLAINT = "khieu_nai", "Nhận đơn khiếu nại"
    COMPLAINT_ANSWERED = "tra_loi_khieu_nai", "Giải quyết khiếu nại: giữ nguyên quyết định"


ACTION_LABELS = {
    "screening.open": "Mở hồ sơ xóa tên, xin ra khỏi Đảng",
    "screening.step": "Ghi bước xét xóa tên, xin ra khỏi Đảng",
    "screening.decide": "Quyết định xóa tên, cho ra khỏi Đảng",
    "screening.complaint": "Nhận khiếu nại về xóa tên",
    "screening.complaint_answer": "Giải quyết khiếu nại về xóa tên",
    "screening.withdraw": "Dừng xem xét hồ sơ xóa tên, xin ra khỏi Đảng",
    "screening.annul": "Hủy hồ sơ, quyết định xóa tên, cho ra khỏi Đảng",
}


class Case(Recorded):
    """One striking-off case or application to leave of one member."""

    path_copy_field = "branch_path"
    scope_path = "branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="screening_cases",
        verbose_name="đảng viên",
    )
    kind = models.CharField("loại hồ sơ", max_length=10, choices=CaseKind.choices)
    status = models.CharField(
        "tình trạng", max_length=15, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ khi mở hồ sơ",
    )
    branch_path = models.CharField("đường dẫn chi bộ", max_length=255)
    opened_on = models.DateField("ngày mở hồ sơ")
    # Probationary on the day the case was opened: the thresholds of domain-rules §2.9.
    probationary = models.BooleanField("đảng viên dự bị", default=False)
    ground_absence = models.BooleanField(GROUNDS["ground_absence"], default=False)
    ground_dues = models.BooleanField(GROUNDS["ground_dues"], default=False)
    ground_card = models.BooleanField(GROUNDS["ground_card"], default=False)
    ground_no_progress = models.BooleanField(GROUNDS["ground_no_progress"], default=False)
    ground_not_completed = models.BooleanField(GROUNDS["ground_not_completed"], default=False)
    ground_political = models.BooleanField(GROUNDS["ground_political"], default=False)
    facts = models.TextField("sự việc, căn cứ")
    application_on = models.DateField("ngày làm đơn xin ra khỏi Đảng", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    deciding_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cấp ủy quyết định",
    )
    complaint_until = models.DateField("hạn khiếu nại", null=True, blank=True)
    exit_event = models.ForeignKey(
        "members.MemberEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField("thời điểm dừng, hủy", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField("lý do dừng, hủy", blank=True)
    version = version_field()

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "hồ sơ xóa tên, xin ra khỏi Đảng"
        verbose_name_plural = "hồ sơ xóa tên, xin ra khỏi Đảng"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["branch_path", "status"], name="screening_case_scope_idx"),
        ]
        constraints = [
            # One case under way per member at a time.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["dang_xet", "khieu_nai"]),
                name="screening_one_open_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member.full_name}"

    @property
    def grounds(self) -> list[str]:
        if self.kind == CaseKind.RESIGNATION:
            return [RESIGNATION_LABEL]
        return [label for field, label in GROUNDS.items() if getattr(self, field)]

    @property
    def is_open(self) -> bool:
        return self.status in (CaseStatus.OPEN, CaseStatus.COMPLAINED)


class CaseStep(Recorded):
    """One step of a case: a self-review request, refusal or review, a vote of one body, a
    complaint received or answered. A vote keeps the body's size, present, for and against,
    and whether it reached the rule set's share (a vote short of it is kept, and refused as a
    pass)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("bước", max_length=20, choices=StepKind.choices)
    on = models.DateField("ngày")
    note = models.TextField("nội dung", blank=True)
    level = models.CharField("cấp biểu quyết", max_length=15, choices=VoteLevel.choices, blank=True)
    body_size = models.PositiveIntegerField("số thành viên (mẫu số)", null=True, blank=True)
    present = models.PositiveIntegerField("số có mặt", null=True, blank=True)
    votes_for = models.PositiveIntegerField("số tán thành", null=True, blank=True)
    votes_against = models.PositiveIntegerField("số không tán thành", null=True, blank=True)
    passed = models.BooleanField("đạt tỷ lệ", null=True, blank=True)
    threshold = models.CharField("tỷ lệ cần đạt", max_length=60, blank=True)

    class Meta:
        verbose_name = "bước xét xóa tên"
        verbose_name_plural = "bước xét xóa tên"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.level:
            label += f" ({self.get_level_display()})"
        return f"{label} {self.on:%d/%m/%Y}"
