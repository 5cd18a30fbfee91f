"""Annual quality assessment (đánh giá, xếp loại chất lượng) of members and organisations.

A member's year goes: commitment in January → self-assessment → the branch's proposed grade →
the final grade decided by the competent committee. An organisation is graded by its direct upper
level. A round (one per organisation subtree and year) is opened and closed; after closing,
grades change only by an officer's reasoned correction, kept in the history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field


class Grade(models.TextChoices):
    EXCELLENT = "xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "tot", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "hoan_thanh", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "khong_hoan_thanh", "Không hoàn thành nhiệm vụ"


GRADES = [Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED, Grade.NOT_COMPLETED]
SHORT_LABELS = {
    Grade.EXCELLENT: "Xuất sắc",
    Grade.GOOD: "Tốt",
    Grade.COMPLETED: "Hoàn thành",
    Grade.NOT_COMPLETED: "Không hoàn thành",
}
# 1 = best; a rule "at most completed" compares ranks.
RANK = {grade: index for index, grade in enumerate(GRADES, start=1)}


class NotGraded(models.TextChoices):
    EXEMPT = "exempt", "Miễn công tác và sinh hoạt đảng"
    ILLNESS = "illness", "Ốm đau dài ngày"
    MATERNITY = "maternity", "Nghỉ thai sản"
    NEW_MEMBER = "new_member", "Mới kết nạp, chưa đủ thời gian đánh giá"
    SUSPENDED = "suspended", "Đình chỉ sinh hoạt đảng"
    OTHER = "other", "Lý do khác"


def _grade_field(label: str) -> models.CharField:
    return models.CharField(label, max_length=20, choices=Grade.choices, blank=True)


class Commitment(models.Model):
    """What a member commits to reach this year (đăng ký mức độ hoàn thành nhiệm vụ)."""

    scope_path = "member__branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name="đảng viên",
    )
    year = models.PositiveSmallIntegerField("năm")
    level = _grade_field("mức độ đăng ký")
    pledges = models.TextField("cam kết tu dưỡng, rèn luyện", blank=True)
    registered_at = models.DateTimeField("thời điểm đăng ký", auto_now=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="người ghi",
    )

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đăng ký, cam kết đầu năm"
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="commitment_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}: {self.get_level_display()}"


# A member's result of the year is final once graded, decided (not graded, with reason) or
# imported from the records kept before the system; a proposal alone is not a result.
FINAL = Q(grade__gt="") | Q(decided_at__isnull=False) | Q(imported=True)
NOT_GRADED_FINAL = Q(not_graded__gt="") & (Q(decided_at__isnull=False) | Q(imported=True))


class Round(models.Model):
    """An assessment round of a year for an organisation and everything below it."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    class Status(models.TextChoices):
        OPEN = "open", "Đang đánh giá"
        CLOSED = "closed", "Đã khóa"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        verbose_name="tổ chức",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    opened_at = models.DateTimeField("ngày mở", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField("ngày khóa", null=True, blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đợt đánh giá"
        ordering = ["-year", "org_path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="round_one_per_org_year")
        ]

    def __str__(self) -> str:
        return f"Đánh giá năm {self.year} — {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Outcome(models.Model):
    """What a member's and an organisation's assessment of a year share: the self-grade and the
    final outcome, a grade or a reason not to grade (never both), and who decided it when."""

    year = models.PositiveSmallIntegerField("năm", db_index=True)
    self_grade = _grade_field("tự xếp loại")
    grade = _grade_field("xếp loại")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    not_graded = models.CharField(
        "không xếp loại vì", max_length=20, choices=NotGraded.choices, blank=True
    )
    not_graded_note = models.CharField("ghi chú", max_length=255, blank=True)
    imported = models.BooleanField("nhập từ tệp", default=False)

    version = version_field()  # edits never silently overwrite (core/versions)
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        abstract = True


class MemberAssessment(Outcome):
    """One member's assessment of one year: self-grade, the branch's proposal, the final grade.

    `branch_path` is the path of the branch the member was graded in (their branch at the end
    of the year), so the quality report of any subtree is one aggregate over an indexed path.
    """

    scope_path = "branch_path"
    path_copy_field = "branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="đảng viên",
    )
    branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ",
    )
    branch_path = models.CharField("đường dẫn chi bộ", max_length=255, db_index=True)
    self_assessment = models.TextField("bản tự kiểm điểm", blank=True)
    # The form the member wrote it on (self_forms.SelfForm: Mẫu 2A/2B/2C of HD 25 / HD 43) and,
    # in a year scored out of 100 (QĐ 366), the score they gave themselves.
    self_form = models.CharField("mẫu bản kiểm điểm", max_length=2, blank=True)
    self_score = models.PositiveSmallIntegerField("tự chấm điểm", null=True, blank=True)
    self_submitted_at = models.DateTimeField("ngày nộp bản tự kiểm điểm", null=True, blank=True)
    # A self-assessment written on paper by a member without an account: the day the branch
    # received it and who recorded it (services.record_paper_self_assessment).
    self_paper_on = models.DateField("ngày chi bộ nhận bản giấy", null=True, blank=True)
    self_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # QĐ 366-QĐ/TW Điều 11 (from 2025): the score out of 100 and the conditions on top of it, as
    # the branch records them with its proposal (assessments/grading.py); None = not given.
    score = models.PositiveSmallIntegerField("điểm (thang 100)", null=True, blank=True)
    tasks_on_time = models.BooleanField(
        "hoàn thành 100% nhiệm vụ đúng hạn, bảo đảm chất lượng", null=True, blank=True
    )
    exceeding_percent = models.PositiveSmallIntegerField(
        "tỷ lệ nhiệm vụ vượt yêu cầu (%)", null=True, blank=True
    )
    shortcomings_remedied = models.BooleanField(
        "đã khắc phục hết hạn chế, khuyết điểm đã chỉ ra", null=True, blank=True
    )
    # HD 21-HD/BTCTW mục II.6: sick leave of 3 months or more in the year caps the grade.
    sick_months = models.PositiveSmallIntegerField(
        "số tháng nghỉ ốm trong năm", null=True, blank=True
    )
    proposed_grade = _grade_field("chi bộ đề xuất")
    # The branch's proposal not to grade, kept apart from the committee's final `not_graded`.
    proposed_not_graded = models.CharField(
        "chi bộ đề xuất không xếp loại vì", max_length=20, choices=NotGraded.choices, blank=True
    )
    branch_comment = models.TextField("nhận xét của chi bộ", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    disciplined_in_year = models.BooleanField("bị kỷ luật trong năm", default=False)

    class Meta:
        verbose_name = "đánh giá đảng viên"
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="assessment_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(grade="") | models.Q(not_graded=""),
                name="assessment_graded_or_not",
            ),
        ]
        indexes = [models.Index(fields=["year", "branch_path"], name="assessment_year_path_idx")]

    def __str__(self) -> str:
        outcome = self.get_grade_display() or self.get_not_graded_display()
        return f"{self.member} {self.year}: {outcome}"


class OrgAssessment(Outcome):
    """An organisation's grade of a year, decided by the standing committee of its upper level."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="tổ chức",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True)
    report = models.TextField("báo cáo kiểm điểm", blank=True)
    # QĐ 366-QĐ/TW Điều 11 (from 2025): the collective's score out of 100 and the conditions on
    # top of it (assessments/grading.py); None = not given.
    score = models.PositiveSmallIntegerField("điểm (thang 100)", null=True, blank=True)
    late_percent = models.PositiveSmallIntegerField(
        "tỷ lệ nhiệm vụ chậm tiến độ (%)", null=True, blank=True
    )
    exceeding_percent = models.PositiveSmallIntegerField(
        "tỷ lệ nhiệm vụ vượt yêu cầu (%)", null=True, blank=True
    )
    discipline_in_year = models.BooleanField(
        "có tổ chức trực thuộc hoặc cấp ủy viên bị kỷ luật trong năm", default=False
    )

    class Meta:
        verbose_name = "đánh giá tổ chức đảng"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="org_assessment_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(grade="") | models.Q(not_graded=""),
                name="org_assessment_graded_or_not",
            ),
        ]
        indexes = [models.Index(fields=["year", "org_path"], name="org_assessment_year_path_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.get_grade_display()}"


class QuarterReview(models.Model):
    """A member's review of one quarter (QĐ 366-QĐ/TW Điều 1: reviews by term, year, quarter or
    when needed), recorded by the branch: the grade, the score out of 100 when given, a comment.
    `branch_path` is the branch that reviewed (a path copy, as `MemberAssessment`)."""

    scope_path = "branch_path"
    path_copy_field = "branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="quarter_reviews",
        verbose_name="đảng viên",
    )
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ",
    )
    branch_path = models.CharField("đường dẫn chi bộ", max_length=255, db_index=True)
    grade = _grade_field("xếp loại")
    score = models.PositiveSmallIntegerField("điểm (thang 100)", null=True, blank=True)
    comment = models.CharField("nhận xét", max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đánh giá hằng quý"
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "quarter"], name="quarter_review_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_review_quarter"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "branch_path"], name="quarter_path_idx")]

    def __str__(self) -> str:
        return f"{self.member} quý {self.quarter}/{self.year}: {self.get_grade_display()}"
