"""The member record (hồ sơ đảng viên), its lifecycle events and where it was active when.

A member is never deleted: leaving, removal, expulsion and death are states with a date and a
decision. `branch_path` copies the branch's materialised path so that every statistic over a
subtree is one indexed prefix query on this table alone.
"""

import datetime

from django.conf import settings
from django.db import models

from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field
from dangvien.core.vntext import fold, name_sort_key


class Gender(models.TextChoices):
    MALE = "Nam", "Nam"
    FEMALE = "Nữ", "Nữ"


class Status(models.TextChoices):
    PROBATIONARY = "probationary", "Dự bị"
    OFFICIAL = "official", "Chính thức"
    RESIGNED = "resigned", "Xin ra khỏi Đảng"
    REMOVED = "removed", "Xóa tên"
    EXPELLED = "expelled", "Khai trừ"
    DECEASED = "deceased", "Từ trần"
    # Still a party member, active in an organisation outside this system since `left_on`
    # (chuyển sinh hoạt đảng ra ngoài: transfers app): in no count of this system from then.
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển sinh hoạt ra ngoài hệ thống"


ACTIVE_STATUSES = (Status.PROBATIONARY, Status.OFFICIAL)
LEFT_STATUSES = (Status.RESIGNED, Status.REMOVED, Status.EXPELLED, Status.DECEASED)

QUALIFICATIONS = ["Sơ cấp", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ", "Tiến sĩ"]
THEORY_LEVELS = ["Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"]
ACADEMIC_TITLES = ["Phó Giáo sư", "Giáo sư"]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class Member(models.Model):
    """One party member's record, with the fields of the official member form."""

    scope_path = "branch_path"
    path_copy_field = "branch_path"

    code = models.CharField("mã đảng viên", max_length=40, unique=True)
    # Identity
    full_name = models.CharField("họ và tên", max_length=150)
    birth_name = models.CharField("họ và tên khai sinh", max_length=150, blank=True)
    other_names = models.CharField("tên gọi khác, bí danh", max_length=150, blank=True)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    birthplace = models.CharField("nơi sinh", max_length=255, blank=True)
    place_of_origin = models.CharField("quê quán", max_length=255, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=50, blank=True, db_index=True)
    religion = models.CharField("tôn giáo", max_length=50, blank=True)
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    # Party data
    admitted_on = models.DateField("ngày vào Đảng", db_index=True)
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    # The 12 months of probation run from the ceremony (Điều lệ Đảng, Điều 5.1): unknown for
    # records imported from before, whose probation then runs from `admitted_on` (R2.7).
    ceremony_on = models.DateField("ngày lễ kết nạp", null=True, blank=True)
    card_number = models.CharField(
        "số thẻ đảng viên", max_length=30, null=True, blank=True, unique=True
    )
    card_issued_on = models.DateField("ngày cấp thẻ", null=True, blank=True)
    record_number = models.CharField("số lý lịch đảng viên", max_length=20, blank=True)
    branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="chi bộ",
    )
    branch_path = models.CharField(
        "đường dẫn chi bộ", max_length=255, db_index=True, editable=False
    )
    status = models.CharField(
        "tình trạng",
        max_length=20,
        choices=Status.choices,
        default=Status.PROBATIONARY,
        db_index=True,
    )
    left_on = models.DateField("ngày ra khỏi Đảng / từ trần", null=True, blank=True)
    # Re-admission (kết nạp lại, QĐ 294-QĐ/TW §3.5): `admitted_on` stays the first admission,
    # from which party age counts; the new probation runs from the re-admission (its ceremony
    # when recorded). The days spent outside the Party before it, summed, so that party age
    # milestones select in SQL (members.party_age; HD 01-HD/TW).
    readmitted_on = models.DateField("ngày kết nạp lại", null=True, blank=True)
    party_age_gap_days = models.PositiveIntegerField(
        "số ngày không tính tuổi đảng", default=0, editable=False
    )
    exempt_since = models.DateField("miễn công tác và sinh hoạt từ", null=True, blank=True)
    # Work and residence
    occupation = models.CharField("nghề nghiệp hiện nay", max_length=200, blank=True)
    workplace = models.CharField("nơi công tác", max_length=255, blank=True)
    residence = models.CharField("nơi cư trú", max_length=255, blank=True)
    residence_org = models.CharField("tổ chức đảng nơi cư trú", max_length=255, blank=True)
    # Qualifications
    general_education = models.CharField("giáo dục phổ thông", max_length=10, blank=True)
    qualification = models.CharField(
        "chuyên môn", max_length=20, blank=True, db_index=True, choices=_choices(QUALIFICATIONS)
    )
    academic_title = models.CharField(
        "học hàm", max_length=20, blank=True, choices=_choices(ACADEMIC_TITLES)
    )
    political_theory = models.CharField(
        "lý luận chính trị",
        max_length=20,
        blank=True,
        db_index=True,
        choices=_choices(THEORY_LEVELS),
    )
    foreign_language = models.CharField("ngoại ngữ", max_length=100, blank=True)
    it_skill = models.CharField("tin học", max_length=100, blank=True)
    # Positions and history
    party_position = models.CharField("chức vụ Đảng", max_length=200, blank=True)
    state_position = models.CharField("chức vụ chính quyền", max_length=200, blank=True)
    mass_org_position = models.CharField("chức vụ đoàn thể", max_length=200, blank=True)
    work_history = models.TextField("quá trình công tác", blank=True)
    family_notes = models.TextField("hoàn cảnh gia đình", blank=True)
    # The member's own account, for self-service (their record only)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_record",
        verbose_name="tài khoản đăng nhập",
    )
    # Derived keys for Vietnamese order and diacritic-free search
    sort_key = models.BinaryField("khóa sắp xếp", editable=False, default=b"")
    search_name = models.CharField(
        "tên không dấu", max_length=150, editable=False, default="", db_index=True
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("ngày cập nhật", auto_now=True)

    version = version_field()  # edits never silently overwrite (core/versions)
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        ordering = ["sort_key", "id"]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="member_order_idx"),
            models.Index(fields=["branch_path", "status"], name="member_scope_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official_on__isnull=True)
                | models.Q(official_on__gte=models.F("admitted_on")),
                name="member_official_after_admission",
            ),
            models.CheckConstraint(
                condition=models.Q(admitted_on__gt=models.F("birth_date")),
                name="member_admitted_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.refresh_keys()
        super().save(*args, **kwargs)

    @property
    def probation_start(self) -> datetime.date:
        """The day the probation runs from: the admission ceremony, or where no ceremony date
        is known (an imported record) the admission decision (domain-rules R2.7); for a member
        re-admitted, the re-admission (full probation again, QĐ 294-QĐ/TW §3.5)."""
        return self.ceremony_on or self.readmitted_on or self.admitted_on

    def refresh_keys(self) -> None:
        self.sort_key = name_sort_key(self.full_name)
        self.search_name = fold(self.full_name)
        if self.branch_id and not self.branch_path:
            self.branch_path = self.branch.path

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class MemberPhoto(models.Model):
    """The 3×4 photo, kept in the database so every app host serves the same one."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="photo", primary_key=True
    )
    content = models.BinaryField()
    content_type = models.CharField(max_length=50)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Ảnh của {self.member_id}"


class EventKind(models.TextChoices):
    ADMITTED = "admitted", "Kết nạp vào Đảng"
    RECOGNISED = "recognised", "Công nhận đảng viên chính thức"
    TRANSFERRED = "transferred", "Chuyển sinh hoạt đảng"
    EXEMPTED = "exempted", "Miễn công tác và sinh hoạt đảng"
    EXEMPTION_ENDED = "exemption_ended", "Trở lại sinh hoạt đảng"
    RESIGNED = "resigned", "Xin ra khỏi Đảng"
    REMOVED = "removed", "Xóa tên"
    EXPELLED = "expelled", "Khai trừ"
    DECEASED = "deceased", "Từ trần"
    REINSTATED = "reinstated", "Hủy việc ra khỏi Đảng, trở lại sinh hoạt đảng"
    CARD_ISSUED = "card_issued", "Cấp thẻ đảng viên"
    CARD_ENDED = "card_ended", "Thẻ đảng viên hết dùng (mất, hỏng, thu hồi)"
    READMITTED = "readmitted", "Kết nạp lại vào Đảng"
    READMISSION_ANNULLED = "readmission_void", "Hủy quyết định kết nạp lại"


class MemberEvent(models.Model):
    """A step of the member's life in the Party, with its date and decision (the timeline)."""

    scope_path = "member__branch_path"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("sự kiện", max_length=20, choices=EventKind.choices)
    on = models.DateField("ngày")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    reason = models.TextField("lý do, ghi chú", blank=True)
    from_branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_branch = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện của đảng viên"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class Placement(models.Model):
    """The branch a member was active in from `start` to `end` (inclusive; None = still)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="placements")
    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="placements"
    )
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "quá trình sinh hoạt"
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["branch", "start"], name="placement_branch_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.branch_id} {self.start}–{self.end or ''}"


class ConflictKind(models.TextChoices):
    MEMBER_CODE = "member_code", "Mã đảng viên"
    CITIZEN_ID = "citizen_id", "Số CCCD"
    CARD_NUMBER = "card_number", "Số thẻ đảng viên"
    ORG_CODE = "org_code", "Mã tổ chức"


class ScopeConflict(models.Model):
    """A unique value refused because a record outside the actor's scope already holds it.

    The actor is told only "trùng với một hồ sơ ngoài phạm vi quản lý"; this row tells the
    officers whose scope covers both sides (`common_path`, the nearest common ancestor) which
    records collide, so they can resolve it. Personal numbers are kept masked, with a keyed
    digest to group repeated attempts: the existing record, which these officers may open,
    holds the full value.
    """

    scope_path = "common_path"
    path_copy_field = "common_path"

    kind = models.CharField("loại trùng", max_length=20, choices=ConflictKind.choices)
    value_hint = models.CharField("giá trị (che bớt)", max_length=40)
    value_digest = models.CharField("dấu vân của giá trị", max_length=64, db_index=True)
    existing_type = models.CharField("loại hồ sơ đã có", max_length=40)
    existing_id = models.BigIntegerField("mã hồ sơ đã có")
    existing_label = models.CharField("hồ sơ đã có", max_length=300)
    existing_path = models.CharField("đường dẫn tổ chức của hồ sơ đã có", max_length=255)
    attempted_label = models.CharField("hồ sơ đang nhập", max_length=300, blank=True)
    attempted_path = models.CharField("đường dẫn tổ chức bên nhập", max_length=255)
    common_path = models.CharField("cấp trên chung", max_length=255, db_index=True)
    source = models.CharField("nơi phát sinh", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField("lần đầu", auto_now_add=True)
    last_seen_at = models.DateTimeField("lần gần nhất")
    attempts = models.PositiveIntegerField("số lần", default=1)
    resolved_at = models.DateTimeField("ngày xử lý", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người xử lý",
    )
    resolution_note = models.TextField("cách xử lý", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "trùng hồ sơ ngoài phạm vi"
        verbose_name_plural = "trùng hồ sơ ngoài phạm vi"
        ordering = ["-last_seen_at", "-id"]
        indexes = [
            models.Index(fields=["common_path", "resolved_at"], name="conflict_scope_open_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_hint}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Readmission(models.Model):
    """A re-admission (kết nạp lại) of a member who left, as decided (QĐ 294-QĐ/TW §3.5;
    domain-rules §2.10, R2.13), with the provincial standing committee's written consent and what
    the record was before, so that an annulment restores it."""

    scope_path = "member__branch_path"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="readmissions")
    decided_on = models.DateField("ngày quyết định kết nạp lại")
    decision_number = models.CharField("số quyết định", max_length=60)
    decision_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    ceremony_on = models.DateField("ngày lễ kết nạp lại", null=True, blank=True)
    consent_number = models.CharField(
        "số văn bản đồng ý của ban thường vụ tỉnh ủy, thành ủy", max_length=60
    )
    consent_on = models.DateField("ngày văn bản đồng ý")
    record_cleared_on = models.DateField("ngày được xóa án tích", null=True, blank=True)
    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    # The record as it was before, restored by an annulment.
    left_on = models.DateField("ngày ra khỏi Đảng trước đó")
    left_status = models.CharField("hình thức ra khỏi Đảng", max_length=20, choices=Status.choices)
    previous_official_on = models.DateField(null=True, blank=True)
    previous_ceremony_on = models.DateField(null=True, blank=True)
    previous_branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    gap_days = models.PositiveIntegerField("số ngày ngoài Đảng")
    exception_reason = models.TextField("lý do chính đáng (người đã xin ra khỏi Đảng)", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)
    annulled_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    annul_reason = models.TextField("lý do hủy", blank=True)

    class Meta:
        verbose_name = "kết nạp lại"
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"Kết nạp lại {self.member_id} ngày {self.decided_on:%d/%m/%Y}"

    @property
    def is_annulled(self) -> bool:
        return self.annulled_at is not None
