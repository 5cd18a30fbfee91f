"""Committees, posts and terms (domain-briefs §13, domain-rules §1): the terms (nhiệm kỳ) of an
organisation, opened by its congress, and the seats its members hold on its bodies in a term:
the committee (cấp ủy; a branch's chi ủy), the standing committee (ban thường vụ) and the
inspection committee (ủy ban kiểm tra), each with its post (bí thư, phó bí thư …).

Both carry `org_path`, a copy of their organisation's path that follows its moves
(`path_copies`), so the scope reads them like every scoped model. Dates are half-open: a term
runs from `starts_on` up to, not including, `ends_on` (the next congress's day); a seat is held
from `elected_on` up to, not including, `ended_on` (ngày thôi), so a successor elected the day
the predecessor leaves never overlaps them. Nothing is deleted: a seat is ended with a reason,
one recorded by mistake is annulled with a reason, a correction is kept in the history.
"""

from django.db import models

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "committee.term_open": "Mở nhiệm kỳ",
    "committee.term_close": "Kết thúc nhiệm kỳ",
    "committee.term_correct": "Sửa thông tin nhiệm kỳ",
    "committee.seat_add": "Ghi cấp ủy viên, chức vụ",
    "committee.seat_correct": "Sửa thông tin chức vụ",
    "committee.seat_end": "Thôi giữ chức vụ",
    "committee.seat_annul": "Hủy chức vụ ghi nhầm",
}


class Body(models.TextChoices):
    """The bodies of an organisation (Điều lệ Đảng, Điều 12, 17, 30)."""

    COMMITTEE = "cap_uy", "Cấp ủy"
    STANDING = "ban_thuong_vu", "Ban thường vụ"
    INSPECTION = "uy_ban_kiem_tra", "Ủy ban kiểm tra"


class Post(models.TextChoices):
    SECRETARY = "bi_thu", "Bí thư"
    DEPUTY_SECRETARY = "pho_bi_thu", "Phó bí thư"
    STANDING_MEMBER = "uy_vien_btv", "Ủy viên ban thường vụ"
    COMMITTEE_MEMBER = "cap_uy_vien", "Cấp ủy viên"
    INSPECTION_CHAIR = "chu_nhiem_ubkt", "Chủ nhiệm ủy ban kiểm tra"
    INSPECTION_DEPUTY = "pho_chu_nhiem_ubkt", "Phó chủ nhiệm ủy ban kiểm tra"
    INSPECTION_MEMBER = "uy_vien_ubkt", "Ủy viên ủy ban kiểm tra"


# The posts of each body: the secretary and deputies are elected by the committee from among
# its members and sit on the standing committee where there is one (Điều lệ Đảng, Điều 12.2,
# 17); the inspection committee elects its chair and deputies (Điều 30).
BODY_POSTS: dict[str, frozenset[str]] = {
    Body.COMMITTEE: frozenset({Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER}),
    Body.STANDING: frozenset({Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.STANDING_MEMBER}),
    Body.INSPECTION: frozenset(
        {Post.INSPECTION_CHAIR, Post.INSPECTION_DEPUTY, Post.INSPECTION_MEMBER}
    ),
}
# The posts a branch with fewer official members than the rule's elects without a chi ủy
# (Điều lệ Đảng, Điều 24: a secretary, and a deputy if needed).
BRANCH_WITHOUT_COMMITTEE_POSTS = frozenset({Post.SECRETARY, Post.DEPUTY_SECRETARY})


class Chosen(models.TextChoices):
    CONGRESS = "dai_hoi", "Bầu tại đại hội"
    COMMITTEE_MEETING = "hoi_nghi_cap_uy", "Bầu tại hội nghị cấp ủy"
    APPOINTED = "chi_dinh", "Chỉ định"


class Term(Recorded):
    """A term of an organisation, opened by its congress; the next congress is due
    `congress_due_on`, and late after `congress_latest_on` (the rule set's cycle and tolerance
    for the organisation's kind on the congress day, committees.terms.congress_dates)."""

    path_copy_field = "org_path"
    scope_path = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="terms",
        verbose_name="tổ chức",
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255)
    label = models.CharField("nhiệm kỳ", max_length=40)
    congress_on = models.DateField("ngày đại hội")
    starts_on = models.DateField("bắt đầu")
    ends_on = models.DateField("kết thúc", null=True, blank=True)
    congress_due_on = models.DateField("hạn đại hội nhiệm kỳ sau")
    congress_latest_on = models.DateField("hạn muộn nhất đại hội nhiệm kỳ sau")
    note = models.TextField("ghi chú", blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["organization", "-starts_on"], name="term_org_start_idx")]
        constraints = [
            models.UniqueConstraint(fields=["organization", "starts_on"], name="term_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(congress_latest_on__gte=models.F("congress_due_on")),
                name="term_latest_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.label}"


class Seat(Recorded, Annullable):
    """A member's seat on a body of an organisation in a term, with its post, how it was
    chosen, the approval (chuẩn y) by the upper level, and when and why it ended."""

    path_copy_field = "org_path"
    scope_path = "org_path"

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="seats")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name="tổ chức",
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255)
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="seats", verbose_name="đảng viên"
    )
    body = models.CharField("cơ quan", max_length=20, choices=Body.choices)
    post = models.CharField("chức vụ", max_length=20, choices=Post.choices)
    chosen = models.CharField("hình thức", max_length=20, choices=Chosen.choices)
    elected_on = models.DateField("ngày bầu, chỉ định")
    approved_on = models.DateField("ngày chuẩn y", null=True, blank=True)
    approval_number = models.CharField("số quyết định chuẩn y", max_length=60, blank=True)
    approval_body = models.CharField("cơ quan chuẩn y", max_length=200, blank=True)
    ended_on = models.DateField("ngày thôi", null=True, blank=True)
    end_reason = models.TextField("lý do thôi", blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "chức vụ trong cấp ủy"
        verbose_name_plural = "chức vụ trong cấp ủy"
        ordering = ["elected_on", "id"]
        indexes = [
            models.Index(fields=["organization", "post", "elected_on"], name="seat_org_post_idx"),
            models.Index(fields=["member", "post", "elected_on"], name="seat_member_post_idx"),
            models.Index(fields=["term", "body"], name="seat_term_body_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body__in=Body.values), name="seat_body_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(post__in=Post.values), name="seat_post_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(chosen__in=Chosen.values), name="seat_chosen_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gt=models.F("elected_on")),
                name="seat_ends_after_election",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()} ({self.get_body_display().lower()})"

    @property
    def is_annulled(self) -> bool:
        return self.annulled_at is not None

    def held_on(self, day) -> bool:
        return (
            not self.is_annulled
            and self.elected_on <= day
            and (self.ended_on is None or day < self.ended_on)
        )
