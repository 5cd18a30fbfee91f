"""Party development (phát triển đảng viên): the candidate pool, the admission file, probation
reviews, party cards and admission quotas (domain-rules §2.1–§2.6).

A candidate (quần chúng ưu tú) is kept in the pool of the branch where they work or study. Their
admission file is a checklist of dated steps; the admission decision creates the member record
from the candidate's own data. The probation review is a second checklist on the member. Quotas
(chỉ tiêu kết nạp) are set per organisation for a year or for a congress term.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from dangvien.core.records import year_or_term_constraints
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field
from dangvien.core.vntext import fold, name_sort_key
from dangvien.members.models import QUALIFICATIONS, THEORY_LEVELS, Gender

ACTION_LABELS = {
    "candidate.create": "Thêm quần chúng vào nguồn kết nạp",
    "candidate.update": "Sửa thông tin quần chúng",
    "candidate.class": "Ghi nhận học lớp bồi dưỡng nhận thức về Đảng",
    "candidate.introducer": "Phân công đảng viên giúp đỡ",
    "candidate.introduction": "Giấy giới thiệu người vào Đảng",
    "candidate.step": "Ghi nhận bước trong hồ sơ kết nạp",
    "candidate.withdraw": "Dừng xem xét kết nạp",
    "candidate.move": "Chuyển quần chúng sang chi bộ khác",
    "candidate.admit": "Quyết định kết nạp đảng viên",
    "candidate.reopen": "Tiếp tục xem xét kết nạp",
    "candidate.annul_admission": "Hủy quyết định kết nạp",
    "candidate.introducer_remove": "Bỏ phân công đảng viên giúp đỡ",
    "candidate.introducer_replace": "Thay đảng viên giúp đỡ",
    "candidate.introduction_correct": "Sửa ngày giấy giới thiệu",
    "probation.step": "Ghi nhận bước xét công nhận chính thức",
    "probation.not_recognised": "Không công nhận đảng viên chính thức, xóa tên",
    "probation.strike_off_annulled": "Hủy quyết định xóa tên đảng viên dự bị",
    "card.issue": "Cấp thẻ đảng viên",
    "card.end": "Báo mất, thu hồi thẻ đảng viên",
    "card.end_undo": "Hủy ghi nhận mất, hỏng, thu hồi thẻ đảng viên",
    "target.set": "Đặt chỉ tiêu kết nạp",
    "target.import": "Nhập chỉ tiêu kết nạp từ tệp",
}


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class Stage(models.TextChoices):
    """Where a candidate stands on the way to admission (domain-rules §2.1)."""

    POOL = "pool", "Quần chúng ưu tú"
    SYMPATHISER = "sympathiser", "Đã học lớp nhận thức về Đảng"
    FILE = "file", "Đang hoàn thiện hồ sơ"
    BRANCH_RESOLVED = "branch_resolved", "Chi bộ đã đề nghị kết nạp"
    COMMITTEE_RESOLVED = "committee_resolved", "Đảng ủy cơ sở đã đề nghị"
    ADMITTED = "admitted", "Đã kết nạp"
    WITHDRAWN = "withdrawn", "Dừng xem xét"


OPEN_STAGES = (
    Stage.POOL,
    Stage.SYMPATHISER,
    Stage.FILE,
    Stage.BRANCH_RESOLVED,
    Stage.COMMITTEE_RESOLVED,
)


class Candidate(models.Model):
    """An outstanding non-member in the pool of the branch where they work, study or live."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name="chi bộ",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True, editable=False)
    # Identity, as the application and personal history (1-KNĐ, 2-KNĐ) carry it
    full_name = models.CharField("họ và tên", max_length=150)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    birthplace = models.CharField("nơi sinh", max_length=255, blank=True)
    place_of_origin = models.CharField("quê quán", max_length=255, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=50, blank=True)
    religion = models.CharField("tôn giáo", max_length=50, blank=True)
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=200, blank=True)
    workplace = models.CharField("đơn vị công tác, học tập", max_length=255, blank=True)
    residence = models.CharField("nơi cư trú", max_length=255, blank=True)
    residence_org = models.CharField("tổ chức đảng nơi cư trú", max_length=255, blank=True)
    general_education = models.CharField("giáo dục phổ thông", max_length=10, blank=True)
    qualification = models.CharField(
        "chuyên môn", max_length=20, blank=True, choices=_choices(QUALIFICATIONS)
    )
    political_theory = models.CharField(
        "lý luận chính trị", max_length=20, blank=True, choices=_choices(THEORY_LEVELS)
    )
    youth_union_member = models.BooleanField("đoàn viên TNCS Hồ Chí Minh", default=False)
    # The awareness class (lớp bồi dưỡng nhận thức về Đảng) and its certificate
    class_attended_on = models.DateField("ngày cấp giấy chứng nhận lớp nhận thức", null=True)
    class_certificate_number = models.CharField("số giấy chứng nhận", max_length=60, blank=True)
    class_organiser = models.CharField("nơi tổ chức lớp", max_length=200, blank=True)
    # Progress
    stage = models.CharField(
        "giai đoạn", max_length=20, choices=Stage.choices, default=Stage.POOL, db_index=True
    )
    selected_on = models.DateField("ngày đưa vào nguồn")
    withdrawn_reason = models.TextField("lý do dừng xem xét", blank=True)
    member = models.OneToOneField(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate",
        verbose_name="hồ sơ đảng viên",
    )
    sort_key = models.BinaryField("khóa sắp xếp", editable=False, default=b"")
    search_name = models.CharField("tên không dấu", max_length=150, editable=False, default="")
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    version = version_field()  # edits never silently overwrite (core/versions)
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "quần chúng ưu tú"
        verbose_name_plural = "quần chúng ưu tú"
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["org_path", "stage"], name="candidate_scope_stage_idx")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.sort_key = name_sort_key(self.full_name)
        self.search_name = fold(self.full_name)
        if self.organization_id and not self.org_path:
            self.org_path = self.organization.path
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class Introducer(models.Model):
    """An official member assigned to help a candidate, who later writes the introduction letter
    (3-KNĐ) after working, studying or living beside them for 12 months (Điều lệ Đảng, Điều 4)."""

    scope_path = "candidate__org_path"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", verbose_name="đảng viên"
    )
    assigned_on = models.DateField("ngày phân công giúp đỡ")
    together_since = models.DateField("cùng công tác, học tập hoặc cư trú từ ngày")
    introduced_on = models.DateField("ngày viết giấy giới thiệu", null=True, blank=True)

    class Meta:
        verbose_name = "đảng viên giúp đỡ, giới thiệu"
        ordering = ["assigned_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "member"], name="introducer_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.candidate_id}"


class AdmissionStepKind(models.TextChoices):
    """The documents and votes of an admission file, in their order (HD 12-HD/BTCTW, II.1.1)."""

    APPLICATION = "application", "Đơn xin vào Đảng (mẫu 1-KNĐ)"
    PERSONAL_HISTORY = "personal_history", "Lý lịch của người xin vào Đảng (mẫu 2-KNĐ)"
    BACKGROUND_CHECK = "background_check", "Văn bản thẩm tra lý lịch"
    YOUTH_UNION = "youth_union", "Nghị quyết giới thiệu đoàn viên ưu tú (mẫu 4-KNĐ)"
    MASS_ORG_COMMENT = "mass_org_comment", "Nhận xét của đoàn thể nơi công tác (mẫu 5-KNĐ)"
    RESIDENCE_COMMENT = "residence_comment", "Nhận xét của chi ủy nơi cư trú (mẫu 5-KNĐ)"
    BRANCH_VOTE = "branch_vote", "Nghị quyết chi bộ đề nghị kết nạp (mẫu 6-KNĐ)"
    COMMITTEE_VOTE = "committee_vote", "Nghị quyết đảng ủy cơ sở (mẫu 8-KNĐ)"
    DECISION = "decision", "Quyết định kết nạp (mẫu 9-KNĐ)"
    CEREMONY = "ceremony", "Lễ kết nạp"


class StepOutcome(models.TextChoices):
    DONE = "done", "Đã xong"
    FAILED = "failed", "Chưa đạt tỷ lệ biểu quyết"
    UPPER_LEVEL = "upper_level", "Cấp trên quyết định sau 3 lần không đạt"


class StepRecord(models.Model):
    """A dated step of a procedure: its document, the vote where there is one, who recorded it."""

    done_on = models.DateField("ngày")
    document_number = models.CharField("số văn bản", max_length=60, blank=True)
    body = models.CharField("cơ quan, người ký", max_length=200, blank=True)
    votes_for = models.PositiveSmallIntegerField("số tán thành", null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField("tổng số có quyền biểu quyết", null=True)
    outcome = models.CharField(
        "kết quả", max_length=20, choices=StepOutcome.choices, default=StepOutcome.DONE
    )
    attempts = models.PositiveSmallIntegerField("số lần biểu quyết", default=1)
    note = models.TextField("ghi chú", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_done(self) -> bool:
        return self.outcome != StepOutcome.FAILED


class AdmissionStep(StepRecord):
    scope_path = "candidate__org_path"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("bước", max_length=20, choices=AdmissionStepKind.choices)

    class Meta:
        verbose_name = "bước trong hồ sơ kết nạp"
        ordering = ["done_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind"], name="admission_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d/%m/%Y}"


class RecognitionStepKind(models.TextChoices):
    """The review at the end of probation (Điều lệ Đảng, Điều 5; domain-rules §2.4)."""

    SELF_REVIEW = "self_review", "Bản tự kiểm điểm của đảng viên dự bị"
    INTRODUCER_OPINION = "introducer_opinion", "Nhận xét của đảng viên được phân công giúp đỡ"
    MASS_ORG_COMMENT = "mass_org_comment", "Nhận xét của đoàn thể và chi ủy nơi cư trú"
    BRANCH_VOTE = "branch_vote", "Nghị quyết chi bộ đề nghị công nhận chính thức"
    COMMITTEE_VOTE = "committee_vote", "Nghị quyết đảng ủy cơ sở"
    DECISION = "decision", "Quyết định công nhận đảng viên chính thức"
    STRIKE_OFF_VOTE = "strike_off_vote", "Nghị quyết chi bộ đề nghị không công nhận, xóa tên"
    STRIKE_OFF = "strike_off", "Quyết định xóa tên đảng viên dự bị"


class RecognitionStep(StepRecord):
    scope_path = "member__branch_path"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="recognition_steps"
    )
    kind = models.CharField("bước", max_length=20, choices=RecognitionStepKind.choices)

    class Meta:
        verbose_name = "bước xét công nhận đảng viên chính thức"
        ordering = ["done_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="recognition_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d/%m/%Y}"


class CardSeries(models.TextChoices):
    OLD = "old", "Thẻ theo Chỉ thị 29 (8 chữ số)"
    CHIP = "chip", "Thẻ gắn chip (Chỉ thị 51, 2025)"


class CardEnd(models.TextChoices):
    LOST = "lost", "Mất thẻ"
    DAMAGED = "damaged", "Hỏng thẻ"
    REPLACED = "replaced", "Đổi thẻ mới"
    REVOKED = "revoked", "Thu hồi"


class PartyCard(models.Model):
    """A party card issued to an official member; ended cards stay, with how they ended."""

    scope_path = "member__branch_path"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="cards")
    number = models.CharField("số thẻ", max_length=30, unique=True)
    series = models.CharField("loại thẻ", max_length=10, choices=CardSeries.choices)
    issued_on = models.DateField("ngày cấp")
    decision_number = models.CharField("số quyết định phát thẻ", max_length=60, blank=True)
    ended_on = models.DateField("ngày hết dùng", null=True, blank=True)
    end_reason = models.CharField(
        "lý do hết dùng", max_length=10, choices=CardEnd.choices, blank=True
    )
    note = models.TextField("ghi chú", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        verbose_name = "thẻ đảng viên"
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ended_on__isnull=True),
                name="one_card_in_use",
            )
        ]

    def __str__(self) -> str:
        return self.number


def period_label(year: int | None, term: tuple[int, int] | None) -> str:
    """ "năm 2024" or "nhiệm kỳ 2020-2025", as a sentence names a quota's period."""
    return f"năm {year}" if year is not None else f"nhiệm kỳ {term[0]}-{term[1]}"


def quota_key(year: int | None, term: tuple[int, int] | None) -> str:
    """The history's field name of a quota: "quota_2024" or "quota_2020_2025" (labelled
    "Chỉ tiêu kết nạp năm 2024" / "... nhiệm kỳ 2020-2025" by the history page)."""
    return f"quota_{year}" if year is not None else f"quota_{term[0]}_{term[1]}"


class AdmissionTarget(models.Model):
    """The number of new members an organisation is to admit in a year or in a congress term."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="admission_targets",
        verbose_name="tổ chức",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    term_start = models.PositiveSmallIntegerField("nhiệm kỳ từ năm", null=True, blank=True)
    term_end = models.PositiveSmallIntegerField("nhiệm kỳ đến năm", null=True, blank=True)
    quota = models.PositiveIntegerField("chỉ tiêu kết nạp")
    # The target the organisation strives for beyond the congress's quota (chỉ tiêu phấn đấu),
    # never below it; and the decision giving both (nghị quyết đại hội, quyết định giao chỉ tiêu).
    stretch_quota = models.PositiveIntegerField("chỉ tiêu phấn đấu", null=True, blank=True)
    decision_number = models.CharField("số văn bản giao chỉ tiêu", max_length=60, blank=True)
    decision_on = models.DateField("ngày văn bản", null=True, blank=True)
    decision_body = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "chỉ tiêu kết nạp"
        ordering = ["org_path", "year", "term_start"]
        constraints = [
            *year_or_term_constraints("target", "organization"),
            models.CheckConstraint(
                condition=Q(stretch_quota__isnull=True) | Q(stretch_quota__gte=F("quota")),
                name="target_stretch_not_below_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period_label}: {self.quota}"

    @property
    def history_key(self) -> str:
        return quota_key(self.year, self.term)

    @property
    def term(self) -> tuple[int, int] | None:
        return None if self.year is not None else (self.term_start, self.term_end)

    @property
    def period_label(self) -> str:
        label = period_label(self.year, self.term)
        return label[:1].upper() + label[1:]

    @property
    def decision_label(self) -> str:
        """Such as "Nghị quyết 01-NQ/ĐH ngày 15/06/2025 của Đại hội Đảng bộ phường"; "" if none."""
        parts = [self.decision_number]
        if self.decision_on:
            parts.append(f"ngày {self.decision_on:%d/%m/%Y}")
        if self.decision_body:
            parts.append(f"của {self.decision_body}")
        return " ".join(p for p in parts if p)
