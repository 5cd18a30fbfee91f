"""A working member's residence branch and its yearly comment (QĐ 213-QĐ/TW, 2/1/2020;
HD 33-HD/BTCTW, 30/10/2020; domain-rules §8).

The workplace base committee introduces the member to the party organisation where they live
(`ResidenceLink`: a branch of this system, or one outside it named in text); each year before
the December review the residence branch committee sends a comment (`ResidenceComment`), on
paper or through the national public-service portal. Both are scoped by the member's current
(workplace) branch, so they follow the member's transfers and the tree's moves. Nothing is
deleted: a link ends with a date and a reason, a comment is
corrected (with a reason, versioned) or withdrawn (kept, with who, when and why).
"""

from django.db import models
from django.db.models import Q

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "residence.link": "Giới thiệu về nơi cư trú",
    "residence.link_end": "Kết thúc giới thiệu về nơi cư trú",
    "residence.comment": "Ghi nhận xét của chi bộ nơi cư trú",
    "residence.comment_correct": "Sửa nhận xét của chi bộ nơi cư trú",
    "residence.comment_withdraw": "Thu hồi nhận xét của chi bộ nơi cư trú",
    "residence.import": "Nhập nhận xét của chi bộ nơi cư trú từ tệp",
}


class Category(models.TextChoices):
    """HD 33-HD/BTCTW §1: who is introduced and commented on each year, who is introduced but
    commented on only when needed (staff procedures, awards, discipline), who is not
    introduced at all."""

    REQUIRED = "phai_nhan_xet", "Phải nhận xét hằng năm"
    # HD 33 §1.1: army and police living in barracks or official housing, members often away
    # or mobile, rotated cadres in official housing, full-time study for the 12 months of the
    # year, students studying away from home.
    NO_YEARLY_COMMENT = "mien_nhan_xet", "Giới thiệu, miễn nhận xét định kỳ"
    # HD 33 §1.2: army and police on special missions who must keep their identity secret,
    # members of combat-ready units; others [U].
    NOT_INTRODUCED = "mien_gioi_thieu", "Miễn giới thiệu về nơi cư trú"


EXEMPT_CATEGORIES = (Category.NO_YEARLY_COMMENT, Category.NOT_INTRODUCED)


class ResidenceLink(Recorded):
    """The member introduced to a residence branch from `introduced_on` (by a letter), or
    exempt from it; in force until `ended_on` (exclusive). One link in force per member; the
    ended ones are the history."""

    scope_path = "member__branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="residence_links",
        verbose_name="đảng viên",
    )
    residence_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chi bộ nơi cư trú (trong hệ thống)",
    )
    outside_name = models.CharField(
        "chi bộ nơi cư trú (ngoài hệ thống)", max_length=255, blank=True
    )
    outside_committee = models.CharField(
        "đảng ủy xã, phường nơi cư trú (ngoài hệ thống)", max_length=255, blank=True
    )
    introduced_on = models.DateField("ngày giới thiệu (hoặc ngày miễn)")
    letter_number = models.CharField("số giấy giới thiệu", max_length=60, blank=True)
    category = models.CharField("diện", max_length=20, choices=Category.choices)
    reason = models.TextField("lý do miễn", blank=True)
    ended_on = models.DateField("ngày kết thúc", null=True, blank=True)
    end_reason = models.TextField("lý do kết thúc", blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "giới thiệu về nơi cư trú"
        verbose_name_plural = "giới thiệu về nơi cư trú"
        ordering = ["-introduced_on", "-id"]
        indexes = [
            models.Index(fields=["member", "introduced_on"], name="residence_link_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="residence_link_category_valid"
            ),
            # Exempt from introduction: no residence branch; otherwise exactly one, in the
            # system or named outside it.
            models.CheckConstraint(
                condition=(
                    Q(
                        category=Category.NOT_INTRODUCED,
                        residence_org__isnull=True,
                        outside_name="",
                    )
                    | (
                        ~Q(category=Category.NOT_INTRODUCED)
                        & (Q(residence_org__isnull=True) ^ Q(outside_name=""))
                    )
                ),
                name="residence_link_one_branch",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("introduced_on")),
                name="residence_link_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="residence_link_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.residence_label}"

    @property
    def residence_label(self) -> str:
        if self.residence_org_id:
            return self.residence_org.name
        if self.outside_name:
            committee = f" ({self.outside_committee})" if self.outside_committee else ""
            return f"{self.outside_name}{committee}"
        return "—"


class Result(models.TextChoices):
    """The residence branch's overall assessment. [U] The wording of the HD 33-HD/BTCTW form
    is not confirmed: domain-rules §8 gives «thực hiện tốt / chưa tốt» as an example; local
    forms use these three levels."""

    GOOD = "tot", "Hoàn thành tốt"
    DONE = "hoan_thanh", "Hoàn thành"
    NOT_DONE = "chua_hoan_thanh", "Chưa hoàn thành"


class Channel(models.TextChoices):
    """How the comment came: on paper, or through the national public-service portal (since
    late 2025, domain-rules §8), whose file reference is then kept."""

    PAPER = "giay", "Giấy"
    PORTAL = "cong_dvc", "Cổng Dịch vụ công quốc gia"


class ResidenceComment(Recorded, Annullable):
    """The residence branch's comment on the member for `year` (phiếu nhận xét, QĐ 213 Điều 4;
    HD 33). One comment in force per member and year; a withdrawn one stays (annulled)."""

    scope_path = "member__branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="residence_comments",
        verbose_name="đảng viên",
    )
    year = models.PositiveSmallIntegerField("năm")
    link = models.ForeignKey(
        ResidenceLink,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name="chi bộ nơi cư trú",
    )
    result = models.CharField("kết quả", max_length=20, choices=Result.choices)
    content = models.TextField("nội dung nhận xét", blank=True)
    commented_on = models.DateField("ngày nhận xét")
    received_on = models.DateField("ngày nhận")
    channel = models.CharField("hình thức", max_length=10, choices=Channel.choices)
    portal_reference = models.CharField("mã hồ sơ trên Cổng", max_length=60, blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "nhận xét của chi bộ nơi cư trú"
        verbose_name_plural = "nhận xét của chi bộ nơi cư trú"
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["year", "member"], name="residence_comment_year_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=Result.values), name="residence_comment_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="residence_comment_channel_valid"
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PORTAL) | ~Q(portal_reference=""),
                name="residence_comment_portal_reference",
            ),
            models.CheckConstraint(
                condition=Q(received_on__gte=models.F("commented_on")),
                name="residence_comment_received_after",
            ),
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(annulled_at__isnull=True),
                name="residence_comment_once_a_year",
            ),
        ]

    def __str__(self) -> str:
        return f"Nhận xét nơi cư trú năm {self.year}: {self.get_result_display()}"
