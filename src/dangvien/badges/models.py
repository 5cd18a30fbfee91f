"""Party badges (Huy hiệu Đảng): HD 01-HD/TW 2021 §18 (domain-rules §6, R6.1–R6.4).

A badge is one milestone (30, 40, 45, …, 90 years of party age) of one member, followed from the
proposal of the base organisation to the ceremony: proposed → checked (the upper level checks
the party age against the file) → decided (decision number, date, body) → numbered (badge and
certificate numbers) → awarded (the ceremony). Each step is a `BadgeStep` with who and when; a
step recorded by mistake is undone with a reason (kept), the whole badge annulled with a reason.
A member who leaves the Party (expelled, struck off, resigned) returns the badge: it is marked
«to recover» and the recovery recorded with its date; after death the family keeps it.
"""

from django.conf import settings
from django.db import models

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "badge.propose": "Đề nghị tặng Huy hiệu Đảng",
    "badge.check": "Thẩm định tuổi đảng đề nghị tặng Huy hiệu Đảng",
    "badge.decide": "Quyết định tặng Huy hiệu Đảng",
    "badge.number": "Ghi số Huy hiệu Đảng, số giấy chứng nhận",
    "badge.award": "Trao Huy hiệu Đảng",
    "badge.undo": "Hủy bước ghi nhầm của Huy hiệu Đảng",
    "badge.annul": "Hủy hồ sơ Huy hiệu Đảng",
    "badge.reissue": "Cấp lại Huy hiệu Đảng bị mất",
    "badge.to_recover": "Huy hiệu Đảng phải thu hồi",
    "badge.recover": "Thu hồi Huy hiệu Đảng",
    "badge.import": "Nhập Huy hiệu Đảng đã trao",
}


class Stage(models.TextChoices):
    PROPOSED = "proposed", "Đã đề nghị"
    CHECKED = "checked", "Đã thẩm định"
    DECIDED = "decided", "Đã có quyết định"
    NUMBERED = "numbered", "Đã có số huy hiệu"
    AWARDED = "awarded", "Đã trao"


STAGE_ORDER = [Stage.PROPOSED, Stage.CHECKED, Stage.DECIDED, Stage.NUMBERED, Stage.AWARDED]


class Badge(Recorded, Annullable):
    scope_path = "member__branch_path"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="badges", verbose_name="đảng viên"
    )
    milestone = models.PositiveSmallIntegerField("mốc (năm tuổi đảng)")
    stage = models.CharField("bước", max_length=10, choices=Stage.choices, default=Stage.PROPOSED)
    reached_on = models.DateField("ngày đủ tuổi đảng")
    ceremony_planned = models.DateField("đợt trao dự kiến", null=True, blank=True)
    proposed_on = models.DateField("ngày đề nghị", null=True, blank=True)
    proposed_by = models.CharField("tổ chức đề nghị", max_length=255, blank=True)
    posthumous = models.BooleanField("truy tặng", default=False)
    early = models.BooleanField("trao sớm do ốm nặng", default=False)
    medical_note = models.TextField("hồ sơ bệnh án, xác nhận (trao sớm)", blank=True)
    checked_on = models.DateField("ngày thẩm định", null=True, blank=True)
    check_note = models.TextField("ý kiến thẩm định", blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_on = models.DateField("ngày quyết định", null=True, blank=True)
    decision_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    badge_number = models.CharField("số Huy hiệu Đảng", max_length=40, blank=True)
    certificate_number = models.CharField("số giấy chứng nhận", max_length=40, blank=True)
    awarded_on = models.DateField("ngày trao", null=True, blank=True)
    # Recovery when the member leaves the Party (not after death: the family keeps it).
    recover_due_on = models.DateField("phải thu hồi từ", null=True, blank=True)
    recovered_on = models.DateField("ngày thu hồi", null=True, blank=True)
    version = version_field()

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "Huy hiệu Đảng"
        verbose_name_plural = "Huy hiệu Đảng"
        ordering = ["member_id", "milestone", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "milestone"],
                condition=models.Q(annulled_at__isnull=True),
                name="badge_one_per_milestone",
            )
        ]
        indexes = [models.Index(fields=["ceremony_planned", "stage"], name="badge_ceremony_idx")]

    def __str__(self) -> str:
        return f"Huy hiệu {self.milestone} năm tuổi Đảng"

    @property
    def title(self) -> str:
        return f"Huy hiệu {self.milestone} năm tuổi Đảng"

    @property
    def is_annulled(self) -> bool:
        return self.annulled_at is not None

    @property
    def state_label(self) -> str:
        if self.is_annulled:
            return "Đã hủy"
        if self.recovered_on:
            return f"Đã thu hồi ngày {self.recovered_on:%d/%m/%Y}"
        if self.recover_due_on:
            return "Phải thu hồi"
        return self.get_stage_display()


class StepKind(models.TextChoices):
    PROPOSE = "propose", "Đề nghị"
    CHECK = "check", "Thẩm định tuổi đảng"
    DECIDE = "decide", "Quyết định tặng"
    NUMBER = "number", "Số huy hiệu, số giấy chứng nhận"
    AWARD = "award", "Trao huy hiệu"
    UNDO = "undo", "Hủy bước ghi nhầm"
    REISSUE = "reissue", "Cấp lại do mất"
    TO_RECOVER = "to_recover", "Phải thu hồi (ra khỏi Đảng)"
    RECOVER = "recover", "Thu hồi"
    ANNUL = "annul", "Hủy hồ sơ"
    IMPORT = "import", "Nhập từ tệp"


class BadgeStep(models.Model):
    """One step of a badge, in order: what, on which day, by whom, with its details."""

    scope_path = "badge__member__branch_path"

    badge = models.ForeignKey(Badge, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("bước", max_length=12, choices=StepKind.choices)
    on = models.DateField("ngày")
    detail = models.TextField("nội dung", blank=True)
    reason = models.TextField("lý do", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        verbose_name = "bước của Huy hiệu Đảng"
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"
