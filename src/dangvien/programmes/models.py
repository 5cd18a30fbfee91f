"""Action programmes (chương trình hành động) and resolution study (học tập, quán triệt).

An `ActionProgramme` is a committee's programme for a year or a congress term; its
`ProgrammeTarget`s are either computed from the records (`Indicator`, formats.md `programme`)
or tracked by hand, their results recorded with evidence (`TargetResult`, every recording kept).
A `ProgrammeReview` (sơ kết 6 tháng, tổng kết năm, tổng kết nhiệm kỳ) freezes each target's
actual value and met / not met as of its day (`ReviewFigure`): the past is never rewritten, a
figure is corrected only with a recorded reason.

A `StudyDocument` (a resolution, directive …) is studied by the base organisations of a
`StudyPlan`'s owner by its deadline: each holds `StudySession`s, with the members present, and
members hand in learning reports (`LearningReport`)."""

from django.conf import settings
from django.db import models

from dangvien.core.records import Annullable, Recorded, year_or_term_constraints
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field


class Indicator(models.TextChoices):
    """The targets computed from the records (formats.md, `programme`), label → slug."""

    MEMBERS_GOOD = "dang_vien_tot_tro_len", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên"
    BASE_GOOD = "tccsd_tot_tro_len", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"
    ADMITTED = "ket_nap", "Số đảng viên kết nạp"
    NEW_PRIVATE = (
        "tccsd_moi_dn_tu_nhan",
        "Số tổ chức cơ sở đảng thành lập mới trong doanh nghiệp tư nhân",
    )
    STUDIED = "tccsd_quan_triet", "Tỷ lệ tổ chức cơ sở đảng tổ chức quán triệt nghị quyết"


# The indicators measured in percent (the others are counts).
PERCENT_INDICATORS = frozenset({Indicator.MEMBERS_GOOD, Indicator.BASE_GOOD, Indicator.STUDIED})


class Comparator(models.TextChoices):
    """How the actual value is compared with the target: "trên 90%" is `>`."""

    GT = ">", "trên (>)"
    GE = "≥", "từ … trở lên (≥)"
    EQ = "=", "bằng (=)"
    LE = "≤", "không quá (≤)"
    LT = "<", "dưới (<)"


class ReviewKind(models.TextChoices):
    MID_YEAR = "so_ket_6_thang", "Sơ kết 6 tháng"
    YEAR_END = "tong_ket_nam", "Tổng kết năm"
    TERM_END = "tong_ket_nhiem_ky", "Tổng kết nhiệm kỳ"


ACTION_LABELS = {
    "programme.record": "Ban hành chương trình hành động",
    "programme.update": "Sửa chương trình hành động",
    "programme.import": "Nhập chỉ tiêu chương trình hành động từ tệp",
    "programme_target.record": "Thêm chỉ tiêu chương trình hành động",
    "programme_target.update": "Sửa chỉ tiêu chương trình hành động",
    "programme_target.result": "Ghi kết quả chỉ tiêu theo dõi thủ công",
    "programme_review.record": "Sơ kết, tổng kết chương trình hành động",
    "programme_review.correct": "Đính chính số liệu sơ kết, tổng kết",
    "study_document.record": "Ghi văn bản học tập, quán triệt",
    "study_plan.record": "Ban hành kế hoạch học tập, quán triệt",
    "study_plan.annul": "Hủy kế hoạch học tập, quán triệt",
    "study_session.record": "Ghi buổi học tập, quán triệt",
    "study_session.annul": "Hủy buổi học tập, quán triệt",
    "learning_report.record": "Ghi bài thu hoạch",
}


class ActionProgramme(Recorded):
    """A committee's action programme for a year or a term (never both)."""

    path_copy_field = "owner_path"
    scope_path = "owner_path"

    owner = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tổ chức ban hành",
    )
    owner_path = models.CharField("đường dẫn của tổ chức", max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    term_start = models.PositiveSmallIntegerField("nhiệm kỳ từ năm", null=True, blank=True)
    term_end = models.PositiveSmallIntegerField("nhiệm kỳ đến năm", null=True, blank=True)
    title = models.CharField("tên chương trình", max_length=300, blank=True)
    number = models.CharField("số văn bản", max_length=60, blank=True)
    adopted_on = models.DateField("ngày ban hành", null=True, blank=True)
    version = version_field()

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "chương trình hành động"
        verbose_name_plural = "chương trình hành động"
        ordering = ["-year", "-term_end", "owner_path"]
        constraints = year_or_term_constraints("programme", "owner")

    def __str__(self) -> str:
        return f"Chương trình hành động {self.period_label}"

    @property
    def first_year(self) -> int:
        return self.year if self.year is not None else self.term_start

    @property
    def last_year(self) -> int:
        return self.year if self.year is not None else self.term_end

    @property
    def period_label(self) -> str:
        if self.year is not None:
            return f"năm {self.year}"
        return f"nhiệm kỳ {self.term_start}-{self.term_end}"

    @property
    def period_key(self) -> str:
        """ "2022" or "2020-2025", as the import's `Năm / Nhiệm kỳ` column writes it."""
        return str(self.year) if self.year is not None else f"{self.term_start}-{self.term_end}"


class ProgrammeTarget(models.Model):
    """One target: a computed indicator (`indicator`), or a text tracked by hand (`indicator`
    empty, `label` its key within the programme). Its current hand-recorded result is copied
    from the latest `TargetResult`."""

    scope_path = "programme__owner_path"

    programme = models.ForeignKey(ActionProgramme, on_delete=models.PROTECT, related_name="targets")
    indicator = models.CharField(
        "chỉ tiêu tính từ dữ liệu", max_length=40, choices=Indicator.choices, blank=True
    )
    label = models.CharField("chỉ tiêu", max_length=300)
    comparator = models.CharField("so sánh", max_length=1, choices=Comparator.choices)
    value = models.DecimalField("giá trị", max_digits=12, decimal_places=2)
    position = models.PositiveIntegerField("thứ tự", default=0)
    # The latest result recorded by hand (a hand-tracked target only), with its evidence.
    actual = models.DecimalField(
        "kết quả ghi nhận", max_digits=12, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField("căn cứ, minh chứng", blank=True)
    result_on = models.DateField("ngày ghi nhận kết quả", null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = version_field()

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "chỉ tiêu chương trình hành động"
        verbose_name_plural = "chỉ tiêu chương trình hành động"
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator"],
                condition=~models.Q(indicator=""),
                name="programme_indicator_once",
            ),
            models.UniqueConstraint(
                fields=["programme", "label"],
                condition=models.Q(indicator=""),
                name="programme_hand_target_once",
            ),
            models.CheckConstraint(
                condition=models.Q(comparator__in=[">", "≥", "=", "≤", "<"]),
                name="programme_target_comparator_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.comparator} {self.value_text}"

    @property
    def computed(self) -> bool:
        return bool(self.indicator)

    @property
    def is_percent(self) -> bool:
        return self.indicator in PERCENT_INDICATORS

    @property
    def key(self) -> str:
        """The slug of a computed indicator, the text of a hand-tracked one (formats.md)."""
        return self.indicator or self.label

    @property
    def value_text(self) -> str:
        text = f"{self.value.normalize():f}".replace(".", ",")
        return f"{text}%" if self.is_percent else text


class TargetResult(models.Model):
    """A result of a hand-tracked target as recorded (the history: none is overwritten)."""

    scope_path = "target__programme__owner_path"

    target = models.ForeignKey(ProgrammeTarget, on_delete=models.PROTECT, related_name="results")
    actual = models.DecimalField("kết quả", max_digits=12, decimal_places=2)
    result_on = models.DateField("ngày ghi nhận")
    evidence = models.TextField("căn cứ, minh chứng")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "kết quả chỉ tiêu"
        verbose_name_plural = "kết quả chỉ tiêu"
        ordering = ["-result_on", "-id"]

    def __str__(self) -> str:
        return f"{self.target.label}: {self.actual} ({self.result_on:%d/%m/%Y})"


class ProgrammeReview(Recorded):
    """A 6-month, year-end or term-end review of a programme on `reviewed_on`, about `year`:
    each target's figures frozen as of that day (`figures`)."""

    scope_path = "programme__owner_path"

    programme = models.ForeignKey(ActionProgramme, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField("loại", max_length=20, choices=ReviewKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    reviewed_on = models.DateField("ngày sơ kết, tổng kết")
    note = models.TextField("nhận xét", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "sơ kết, tổng kết chương trình hành động"
        verbose_name_plural = "sơ kết, tổng kết chương trình hành động"
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "year"], name="programme_review_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} ({self.reviewed_on:%d/%m/%Y})"


class ReviewFigure(models.Model):
    """A target as it stood at a review: its target then, its actual and met then. A
    correction keeps its reason here and the old value in the history."""

    scope_path = "review__programme__owner_path"

    review = models.ForeignKey(ProgrammeReview, on_delete=models.PROTECT, related_name="figures")
    target = models.ForeignKey(ProgrammeTarget, on_delete=models.PROTECT, related_name="+")
    label = models.CharField("chỉ tiêu", max_length=300)
    comparator = models.CharField("so sánh", max_length=1, choices=Comparator.choices)
    value = models.DecimalField("giá trị", max_digits=12, decimal_places=2)
    actual = models.DecimalField("kết quả", max_digits=12, decimal_places=2, null=True, blank=True)
    met = models.BooleanField("đạt", null=True)
    corrected_reason = models.TextField("lý do đính chính", blank=True)
    version = version_field()

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "số liệu sơ kết, tổng kết"
        verbose_name_plural = "số liệu sơ kết, tổng kết"
        ordering = ["review", "target__position", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "target"], name="review_figure_once")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.actual}"


class DocumentKind(models.TextChoices):
    RESOLUTION = "nghi_quyet", "Nghị quyết"
    DIRECTIVE = "chi_thi", "Chỉ thị"
    CONCLUSION = "ket_luan", "Kết luận"
    REGULATION = "quy_dinh", "Quy định"
    GUIDANCE = "huong_dan", "Hướng dẫn"


class StudyDocument(Recorded):
    """A document to study (nghị quyết, chỉ thị …): public texts, one catalogue for all."""

    kind = models.CharField("loại văn bản", max_length=20, choices=DocumentKind.choices)
    number = models.CharField("số hiệu", max_length=60)
    title = models.CharField("trích yếu", max_length=500)
    issued_on = models.DateField("ngày ban hành")
    issuing_body = models.CharField("cơ quan ban hành", max_length=200)
    # The document's text as uploaded (core.attachments: a PDF, Word document or image, kept in
    # the database so every app server serves it); none when only its reference is recorded.
    file_name = models.CharField("tên tệp", max_length=200, blank=True)
    file_type = models.CharField("loại tệp", max_length=100, blank=True)
    file_size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    file_sha256 = models.CharField("mã băm SHA-256", max_length=64, blank=True)
    file_content = models.BinaryField("nội dung tệp", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "văn bản học tập, quán triệt"
        verbose_name_plural = "văn bản học tập, quán triệt"
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issued_on"], name="study_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number} ngày {self.issued_on:%d/%m/%Y}"


class StudyPlan(Recorded, Annullable):
    """An organisation's plan to study a document: every base organisation of its subtree (as
    it stood on the deadline) is expected to hold a session by `deadline`."""

    path_copy_field = "owner_path"
    scope_path = "owner_path"

    document = models.ForeignKey(StudyDocument, on_delete=models.PROTECT, related_name="plans")
    owner = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tổ chức ban hành kế hoạch",
    )
    owner_path = models.CharField("đường dẫn của tổ chức", max_length=255, db_index=True)
    number = models.CharField("số kế hoạch", max_length=60, blank=True)
    deadline = models.DateField("hạn hoàn thành")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "kế hoạch học tập, quán triệt"
        verbose_name_plural = "kế hoạch học tập, quán triệt"
        ordering = ["-deadline", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "owner"],
                condition=models.Q(annulled_at__isnull=True),
                name="study_plan_once_per_owner",
            )
        ]
        indexes = [models.Index(fields=["owner_path", "deadline"], name="study_plan_scope_idx")]

    def __str__(self) -> str:
        return f"Kế hoạch học tập {self.document}"


class SessionMode(models.TextChoices):
    IN_PERSON = "truc_tiep", "Trực tiếp"
    ONLINE = "truc_tuyen", "Trực tuyến"


class StudySession(Recorded, Annullable):
    """A base organisation's study session (hội nghị học tập, quán triệt) of a plan: members
    present, and the members it had that day (computed from the records when recorded)."""

    path_copy_field = "org_path"
    scope_path = "org_path"

    plan = models.ForeignKey(StudyPlan, on_delete=models.PROTECT, related_name="sessions")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tổ chức cơ sở đảng",
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255, db_index=True)
    held_on = models.DateField("ngày tổ chức")
    mode = models.CharField("hình thức", max_length=20, choices=SessionMode.choices)
    present = models.PositiveIntegerField("số đảng viên dự")
    members = models.PositiveIntegerField("số đảng viên của tổ chức ngày đó")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "buổi học tập, quán triệt"
        verbose_name_plural = "buổi học tập, quán triệt"
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(present__lte=models.F("members")),
                name="study_session_present_le_members",
            )
        ]

    def __str__(self) -> str:
        return f"Học tập {self.plan.document.number} ngày {self.held_on:%d/%m/%Y}"


class SessionAttendance(models.Model):
    """A member present at a session (optional: a session may record the count only)."""

    scope_path = "session__org_path"

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="study_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} dự {self.session_id}"


class LearningReport(Recorded):
    """A member's learning report (bài thu hoạch) on a plan: its text, or marked received."""

    path_copy_field = "org_path"
    scope_path = "org_path"

    plan = models.ForeignKey(StudyPlan, on_delete=models.PROTECT, related_name="reports")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField("đường dẫn chi bộ", max_length=255, db_index=True)
    submitted_on = models.DateField("ngày nộp")
    text = models.TextField("nội dung", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "bài thu hoạch"
        verbose_name_plural = "bài thu hoạch"
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="learning_report_once")
        ]

    def __str__(self) -> str:
        return f"Bài thu hoạch {self.plan.document.number}"
