"""An award (khen thưởng) of an organisation or a member, and the proposals (đề nghị) that lead
to awards (HD 21-HD/BTCTW, 18/10/2019; domain-briefs §10).

An award keeps its subject as it was decided: `unit` is the member's branch (or the
organisation itself) on the day of the decision and `subject_path` copies its path, following
the tree's moves (`path_copy_field`), so "the awards below a path" is one range query, as for
discipline decisions. Nothing is deleted: an award is corrected with a reason (versioned) or
annulled with a reason (kept, with who, when and why)."""

import datetime

from django.db import models
from django.db.models import F, Q

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "awards.record": "Ghi khen thưởng",
    "awards.correct": "Sửa khen thưởng",
    "awards.annul": "Hủy khen thưởng",
    "awards.import": "Nhập khen thưởng từ tệp",
    "awards.propose": "Lập đề nghị khen thưởng",
    "awards.reject": "Không đề nghị khen thưởng",
    "awards.decide": "Ghi quyết định khen thưởng",
    "awards.withdraw": "Rút đề nghị khen thưởng",
}


class AwardForm(models.TextChoices):
    """The forms of party commendation in use (HD 21-HD/BTCTW; provincial regulations name the
    forms and who grants them [U]: «Khác» with a name for the rest)."""

    GIAY_KHEN = "giay_khen", "Giấy khen"
    BANG_KHEN = "bang_khen", "Bằng khen"
    CO_THI_DUA = "co_thi_dua", "Cờ thi đua"
    DANH_HIEU = "danh_hieu", "Danh hiệu"
    KHAC = "khac", "Khác"


class AwardLevel(models.TextChoices):
    """The level of the body that grants it. The direct upper level of the base organisations
    was the district or the bloc until 30/06/2025; since QĐ 294-QĐ/TW (01/07/2025) there is no
    district level, and the commune, ward or special-zone committee (or another committee
    directly under the province) is it (domain-rules §1): the choice is named neutrally, an
    award by what that level was on its date (`level_label`)."""

    CO_SO = "co_so", "Cấp ủy cơ sở"
    CAP_TREN_CO_SO = "cap_tren_co_so", "Cấp trên trực tiếp cơ sở"
    TINH = "tinh", "Cấp tỉnh"
    TRUNG_UONG = "trung_uong", "Trung ương"


# QĐ 294-QĐ/TW: the district level ends on 01/07/2025 (domain-rules §1, "New system").
DISTRICT_LEVEL_ENDED = datetime.date(2025, 7, 1)
OLD_UPPER_LEVEL = "Cấp huyện, khối (cấp trên trực tiếp cơ sở)"
NEW_UPPER_LEVEL = "Cấp xã, phường, đặc khu, đảng bộ trực thuộc tỉnh (cấp trên trực tiếp cơ sở)"


def level_label(level: str, day: datetime.date | None) -> str:
    """The level as it was called on `day` (an award's decision, a proposal's date): the
    direct upper level of the base organisations was the district or the bloc before
    01/07/2025, the commune-level or province-attached committee since."""
    if level != AwardLevel.CAP_TREN_CO_SO or day is None:
        return AwardLevel(level).label if level in AwardLevel.values else level
    return OLD_UPPER_LEVEL if day < DISTRICT_LEVEL_ENDED else NEW_UPPER_LEVEL


class Basis(models.TextChoices):
    """What a proposal is for (HD 21-HD/BTCTW [C]: excellent organisations «Trong sạch, vững mạnh
    tiêu biểu» and members «Hoàn thành xuất sắc nhiệm vụ tiêu biểu», yearly and 5 years running;
    thematic awards, e.g. admissions work in Quảng Nam, seed 002)."""

    STREAK = "xuat_sac_nhieu_nam", "Hoàn thành xuất sắc nhiệm vụ tiêu biểu nhiều năm liền"
    YEARLY = "xuat_sac_nam", "Hoàn thành xuất sắc nhiệm vụ tiêu biểu trong năm"
    ADMISSIONS = "phat_trien_dang_vien", "Thành tích xuất sắc trong công tác phát triển đảng viên"


class Award(Recorded, Annullable):
    """One award decided for one subject: a member or an organisation, never both."""

    scope_path = "subject_path"
    path_copy_field = "subject_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name="đảng viên",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name="tổ chức đảng",
    )
    unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ, tổ chức của đối tượng khi khen",
    )
    subject_path = models.CharField("đường dẫn của đối tượng khi khen", max_length=255)
    form = models.CharField("hình thức", max_length=20, choices=AwardForm.choices)
    form_other = models.CharField("hình thức khác", max_length=120, blank=True)
    level = models.CharField("cấp khen", max_length=20, choices=AwardLevel.choices)
    title = models.CharField("danh hiệu, nội dung", max_length=500)
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm")
    decision_number = models.CharField("số quyết định", max_length=60)
    decided_on = models.DateField("ngày quyết định")
    deciding_body = models.CharField("cơ quan quyết định", max_length=200)
    reason = models.TextField("lý do, thành tích", blank=True)
    entry = models.OneToOneField(
        "awards.ProposalEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award",
        verbose_name="theo đề nghị",
    )

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["subject_path", "year_to"], name="award_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True) ^ Q(organization__isnull=True),
                name="award_one_subject",
            ),
            models.CheckConstraint(condition=Q(form__in=AwardForm.values), name="award_form_valid"),
            models.CheckConstraint(
                condition=Q(level__in=AwardLevel.values), name="award_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(year_to__gte=F("year_from")), name="award_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_label}: {self.title} ({self.years_label})"

    @property
    def subject(self):
        return self.member if self.member_id else self.organization

    @property
    def level_label(self) -> str:
        return level_label(self.level, self.decided_on)

    @property
    def form_label(self) -> str:
        if self.form == AwardForm.KHAC and self.form_other:
            return self.form_other
        return self.get_form_display()

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return f"năm {self.year_to}"
        return f"{self.year_from}–{self.year_to}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "de_nghi", "Đã đề nghị, chờ quyết định"
    DECIDED = "da_quyet_dinh", "Đã có quyết định"
    WITHDRAWN = "da_rut", "Đã rút"


class Proposal(Recorded):
    """A proposal (tờ trình đề nghị khen thưởng) of an organisation for its subtree, for one
    basis and the award it asks for; the competent level records its decision on it."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="award_proposals",
        verbose_name="tổ chức đề nghị",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField("năm xét")
    basis = models.CharField("diện xét", max_length=30, choices=Basis.choices)
    streak_years = models.PositiveSmallIntegerField("số năm liền", default=1)
    form = models.CharField("hình thức đề nghị", max_length=20, choices=AwardForm.choices)
    form_other = models.CharField("hình thức khác", max_length=120, blank=True)
    level = models.CharField("cấp khen", max_length=20, choices=AwardLevel.choices)
    title = models.CharField("danh hiệu, nội dung", max_length=500)
    number = models.CharField("số tờ trình", max_length=60, blank=True)
    proposed_on = models.DateField("ngày đề nghị")
    note = models.TextField("ghi chú", blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    deciding_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    withdraw_reason = models.TextField("lý do rút", blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        ordering = ["-year", "-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=Basis.values), name="award_proposal_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="award_proposal_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Đề nghị khen thưởng năm {self.year}: {self.title}"

    @property
    def level_label(self) -> str:
        return level_label(self.level, self.proposed_on)

    @property
    def year_from(self) -> int:
        return self.year - self.streak_years + 1


class EntryStatus(models.TextChoices):
    PROPOSED = "de_nghi", "Đề nghị"
    REJECTED = "khong_de_nghi", "Không đề nghị"
    AWARDED = "da_khen", "Đã khen thưởng"


class ProposalEntry(models.Model):
    """One organisation or member on a proposal's list; a rejected one keeps its reason."""

    scope_path = "proposal__org_path"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="entries", verbose_name="đề nghị"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    achievement = models.CharField("thành tích", max_length=300, blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=EntryStatus.choices, default=EntryStatus.PROPOSED
    )
    reject_reason = models.TextField("lý do không đề nghị", blank=True)
    rejected_at = models.DateTimeField("thời điểm", null=True, blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "người, tổ chức được đề nghị"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True) ^ Q(organization__isnull=True),
                name="award_entry_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.REJECTED) | ~Q(reject_reason=""),
                name="award_entry_rejected_reason",
            ),
            models.UniqueConstraint(
                fields=["proposal", "member"],
                condition=Q(member__isnull=False),
                name="award_entry_member_once",
            ),
            models.UniqueConstraint(
                fields=["proposal", "organization"],
                condition=Q(organization__isnull=False),
                name="award_entry_org_once",
            ),
        ]

    def __str__(self) -> str:
        subject = self.member or self.organization
        return str(subject)

    @property
    def subject(self):
        return self.member if self.member_id else self.organization
