"""Branch life (sinh hoạt chi bộ, domain-rules §9, domain-briefs §1): the meetings of a branch
and of a committee, who attended, the minutes and the resolutions voted there, and the tasks the
branch gives its members.

A meeting belongs to the organisation that holds it; `org_path` copies that organisation's path
and follows its moves (`path_copies`), so "the meetings held in a year below a path" is one
range query on this table, and the scope reads it like every scoped model. Nothing is deleted:
a meeting recorded by mistake is annulled, one that did not take place is cancelled, a document
withdrawn is kept with who withdrew it and why, approved minutes are corrected by new entries.
"""

from django.conf import settings
from django.db import models

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "meeting.prepare": "Chuẩn bị cuộc họp",
    "meeting.update": "Sửa thông tin cuộc họp",
    "meeting.publish": "Thông báo cuộc họp cho đảng viên",
    "meeting.attendance": "Điểm danh",
    "meeting.excuse": "Xin vắng họp",
    "meeting.minutes": "Ghi biên bản",
    "meeting.approve": "Thông qua biên bản",
    "meeting.correct": "Đính chính biên bản",
    "meeting.cancel": "Hoãn, hủy cuộc họp",
    "meeting.annul": "Hủy cuộc họp ghi nhầm",
    "meeting.document": "Tải lên tài liệu họp",
    "meeting.document_remove": "Gỡ tài liệu họp",
    "meeting.resolution": "Ghi nghị quyết",
    "meeting.resolution_annul": "Hủy nghị quyết ghi nhầm",
    "task.assign": "Phân công nhiệm vụ",
    "task.report": "Báo cáo kết quả nhiệm vụ",
    "task.check": "Kiểm tra kết quả nhiệm vụ",
    "task.cancel": "Hủy nhiệm vụ",
}


class Kind(models.TextChoices):
    # Điều lệ Đảng Điều 24: the branch meets monthly; HD 12-HD/BTCTW 2018: a thematic meeting at
    # least once a quarter, not replacing the monthly one.
    REGULAR = "dinh_ky", "Sinh hoạt định kỳ"
    THEMATIC = "chuyen_de", "Sinh hoạt chuyên đề"
    EXTRAORDINARY = "bat_thuong", "Họp bất thường"
    CONGRESS = "dai_hoi", "Đại hội"


class Body(models.TextChoices):
    """Who meets: all the members (a branch meeting, a base organisation's plenary), or its
    committee (chi ủy, đảng ủy: Điều lệ Đảng Điều 24)."""

    MEMBERS = "dang_vien", "Toàn thể đảng viên"
    COMMITTEE = "cap_uy", "Cấp ủy"


class Quality(models.TextChoices):
    """The meeting's quality as the branch grades it (HD 12-HD/BTCTW 2018; the score's bands
    are the rule set's)."""

    GOOD = "tot", "Tốt"
    FAIR = "kha", "Khá"
    AVERAGE = "trung_binh", "Trung bình"
    POOR = "kem", "Kém"


class Meeting(Recorded, Annullable):
    """One meeting, prepared ahead (published to the members around the 20th of the month
    before), held (the roll called), closed by approving its minutes."""

    path_copy_field = "org_path"
    scope_path = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name="tổ chức họp",
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255)
    body = models.CharField("thành phần", max_length=10, choices=Body.choices)
    kind = models.CharField("loại", max_length=12, choices=Kind.choices)
    on = models.DateField("ngày họp")
    starts_at = models.TimeField("giờ bắt đầu", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    online = models.BooleanField("họp trực tuyến", default=False)
    topic = models.CharField("chủ đề", max_length=255)
    agenda = models.TextField("chương trình họp", blank=True)
    chair = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chủ trì",
    )
    minutes_writer = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="thư ký",
    )
    published_at = models.DateTimeField("thời điểm thông báo", null=True, blank=True)
    held_at = models.DateTimeField("thời điểm bắt đầu điểm danh", null=True, blank=True)
    minutes = models.TextField("biên bản", blank=True)
    ideology = models.TextField("nhận định tình hình tư tưởng", blank=True)
    quality_score = models.PositiveSmallIntegerField("điểm chất lượng", null=True, blank=True)
    quality = models.CharField("chất lượng", max_length=12, choices=Quality.choices, blank=True)
    minutes_approved_at = models.DateTimeField(
        "thời điểm thông qua biên bản", null=True, blank=True
    )
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField("thời điểm hoãn, hủy", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField("lý do hoãn, hủy", blank=True)
    # The roll's tallies, kept by each roll call (meetings.roll): averages over many meetings
    # read them instead of the attendance rows.
    expected_count = models.PositiveIntegerField("số đảng viên phải dự", default=0)
    present_count = models.PositiveIntegerField("số đảng viên có mặt", default=0)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "cuộc họp"
        verbose_name_plural = "cuộc họp"
        ordering = ["-on", "-id"]
        indexes = [
            models.Index(fields=["org_path", "on"], name="meeting_path_day_idx"),
            models.Index(fields=["organization", "on"], name="meeting_org_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(body__in=Body.values), name="meeting_body_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(quality_score__isnull=True) | models.Q(quality_score__lte=100),
                name="meeting_score_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}: {self.topic}"

    @property
    def is_live(self) -> bool:
        """Neither cancelled nor annulled."""
        return self.cancelled_at is None and self.annulled_at is None

    @property
    def is_closed(self) -> bool:
        return self.minutes_approved_at is not None

    @property
    def state_label(self) -> str:
        if self.annulled_at:
            return "Đã hủy (ghi nhầm)"
        if self.cancelled_at:
            return "Hoãn, không họp"
        if self.minutes_approved_at:
            return "Đã họp, biên bản đã thông qua"
        if self.held_at:
            return "Đang họp, biên bản chưa thông qua"
        if self.published_at:
            return "Đã thông báo"
        return "Đang chuẩn bị"


class MeetingDocument(Recorded):
    """A document for a meeting (PDF, Word, image), kept by the app in the database so every
    app server serves it (the app tier keeps no files); withdrawn, it stays with who and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    name = models.CharField("tên tệp", max_length=200)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    content = models.BinaryField("nội dung")
    removed_at = models.DateTimeField("thời điểm gỡ", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    remove_reason = models.TextField("lý do gỡ", blank=True)

    class Meta:
        verbose_name = "tài liệu họp"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Presence(models.TextChoices):
    PRESENT = "co_mat", "Có mặt"
    EXCUSED = "vang_co_ly_do", "Vắng có lý do"
    UNEXCUSED = "vang_khong_ly_do", "Vắng không lý do"
    # Điều lệ Đảng Điều 8: a member exempted from work and activities (miễn công tác và sinh
    # hoạt đảng) is not expected; a member active elsewhere for a while (chuyển sinh hoạt tạm
    # thời) attends there.
    EXEMPT = "mien", "Được miễn sinh hoạt"
    AWAY = "sinh_hoat_tam_thoi_noi_khac", "Sinh hoạt tạm thời nơi khác"


# Those the attendance rate counts: the members expected at the meeting.
EXPECTED = (Presence.PRESENT, Presence.EXCUSED, Presence.UNEXCUSED)


class Attendance(models.Model):
    """One member's attendance at one meeting; an excuse the member sent ahead is one too.
    `org_path` and `on` copy the meeting's (the path follows moves): "absent without a reason
    in a year below a path" is one range query on this table."""

    path_copy_field = "org_path"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="attendance"
    )
    org_path = models.CharField("đường dẫn của tổ chức họp", max_length=255)
    on = models.DateField("ngày họp")
    status = models.CharField("điểm danh", max_length=30, choices=Presence.choices)
    reason = models.CharField("lý do vắng", max_length=500, blank=True)
    hosted = models.BooleanField("sinh hoạt tạm thời tại chi bộ", default=False)
    by_member = models.BooleanField("đảng viên tự báo", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now=True)

    class Meta:
        verbose_name = "điểm danh"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=Presence.values), name="attendance_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "on"], name="attendance_member_idx"),
            models.Index(fields=["org_path", "on"], name="attendance_path_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}: {self.get_status_display()}"


class MinutesCorrection(Recorded):
    """A correction to approved minutes: the minutes stay as approved, this follows them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    text = models.TextField("nội dung đính chính")
    reason = models.TextField("lý do")

    class Meta:
        verbose_name = "đính chính biên bản"
        ordering = ["id"]


class Resolution(Recorded, Annullable):
    """A resolution voted at a meeting, for the resolution book (sổ nghị quyết): valid when
    more than half the members of the body vote for it (Điều lệ Đảng Điều 10.3)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    number = models.CharField("số nghị quyết", max_length=60, blank=True)
    title = models.CharField("trích yếu", max_length=255)
    content = models.TextField("nội dung")
    members_entitled = models.PositiveIntegerField("số thành viên có quyền biểu quyết")
    votes_for = models.PositiveIntegerField("tán thành")
    votes_against = models.PositiveIntegerField("không tán thành", default=0)
    votes_abstain = models.PositiveIntegerField("không biểu quyết", default=0)
    passed = models.BooleanField("được thông qua")

    class Meta:
        verbose_name = "nghị quyết"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Nghị quyết {self.number or self.pk}: {self.title}"


class TaskStatus(models.TextChoices):
    OPEN = "dang_thuc_hien", "Đang thực hiện"
    REPORTED = "da_bao_cao", "Đã báo cáo, chờ chi bộ kiểm tra"
    DONE = "hoan_thanh", "Hoàn thành"
    NOT_DONE = "khong_hoan_thanh", "Không hoàn thành"
    CANCELLED = "huy", "Đã hủy"


class Task(Recorded):
    """A task the branch gives a member (phân công nhiệm vụ): the member reports on it, the
    branch checks it; the year's tasks feed the member's self-assessment."""

    path_copy_field = "org_path"
    scope_path = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="chi bộ giao",
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="giao tại cuộc họp",
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="đảng viên được giao",
    )
    title = models.CharField("nhiệm vụ", max_length=255)
    detail = models.TextField("yêu cầu cụ thể", blank=True)
    assigned_on = models.DateField("ngày giao")
    due_on = models.DateField("hạn hoàn thành")
    status = models.CharField(
        "tình trạng", max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    report = models.TextField("báo cáo của đảng viên", blank=True)
    reported_at = models.DateTimeField("thời điểm báo cáo", null=True, blank=True)
    check_note = models.TextField("nhận xét của chi bộ", blank=True)
    checked_at = models.DateTimeField("thời điểm kiểm tra", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "nhiệm vụ được giao"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["org_path", "due_on"], name="task_path_due_idx"),
            models.Index(fields=["member", "assigned_on"], name="task_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("assigned_on")),
                name="task_due_after_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.member_id})"


class MeetingYear(models.Model):
    """What an organisation's members' meetings held in a year add up to, kept by every change
    of a meeting (meetings.tallies): the months with a regular meeting and the quarters with a
    thematic one (as bits: 1 << month, 1 << quarter), the regular meetings held, the meetings
    whose minutes are not approved, the roll calls' tallies. The compliance page reads one row an
    organisation instead of its meetings."""

    path_copy_field = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="meeting_years"
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255)
    year = models.PositiveSmallIntegerField("năm")
    regular_months = models.PositiveIntegerField(default=0)
    thematic_quarters = models.PositiveSmallIntegerField(default=0)
    regular_held = models.PositiveSmallIntegerField(default=0)
    held = models.PositiveSmallIntegerField(default=0)
    unapproved = models.PositiveSmallIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="meeting_year_once")
        ]
        indexes = [models.Index(fields=["org_path", "year"], name="meeting_year_path_idx")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}: {self.held} cuộc họp"


class AbsenceYear(models.Model):
    """The months of a year in which a member missed a members' meeting without a reason, kept
    by every roll call (meetings.tallies), under the branch of the last such meeting (the
    member's own on that day for a plenary's); `org_path` copies its path and follows its moves.
    The Điều lệ Đảng Điều 8 flag reads these rows, the subtree as it stood at the year's end."""

    path_copy_field = "org_path"

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField("đường dẫn của tổ chức", max_length=255)
    months = models.PositiveSmallIntegerField("số tháng vắng không lý do", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="absence_year_once")]
        indexes = [
            models.Index(fields=["org_path", "year", "months"], name="absence_year_path_idx")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}: {self.months} tháng"
