"""One inspection or supervision activity (cuộc kiểm tra, giám sát) on one subject.

The body carrying it out is an organisation's committee, its inspection committee or a branch
(`conducted_by`); `body_path` copies that organisation's path and follows its moves
(`path_copies`), so "what the bodies below a path did in a year" is one range query. The
subject is a member or an organisation, kept as it was decided: one that later ended, moved or
left is still the subject (QĐ 296-QĐ/TW Điều 1, domain-rules §7.1)."""

from django.conf import settings
from django.db import models

from dangvien.core.records import Annullable, Recorded, one_subject_constraints
from dangvien.core.scope import ScopedManager


class Activity(models.TextChoices):
    """Inspection and supervision (Điều lệ Đảng chương VII)."""

    INSPECTION = "kiem_tra", "Kiểm tra"
    SUPERVISION = "giam_sat", "Giám sát"


class InspectionForm(models.TextChoices):
    """The forms of formats.md (`inspections`, `Hình thức`), their slugs those of the report
    (Điều lệ Đảng chương VII; QĐ 296-QĐ/TW; domain-rules §7.1)."""

    REGULAR = "thuong_xuyen", "Thường xuyên"
    THEMATIC = "chuyen_de", "Chuyên đề"
    SIGNS_OF_VIOLATION = "khi_co_dau_hieu_vi_pham", "Khi có dấu hiệu vi phạm"
    EXECUTION = "chap_hanh", "Chấp hành"
    INSPECTION_WORK = (
        "thuc_hien_nhiem_vu_kiem_tra_giam_sat",
        "Thực hiện nhiệm vụ kiểm tra, giám sát",
    )
    DISCIPLINE_WORK = "thi_hanh_ky_luat", "Thi hành kỷ luật"
    FINANCE = "tai_chinh_dang", "Tài chính đảng"


# Who carries an activity out (formats.md `Cơ quan tiến hành`): an organisation's committee, its
# inspection committee, or a branch. Which forms each may use is not confirmed beyond supervision
# being regular or thematic (domain-rules §7.1, [U]): services.py enforces only that.
class Body(models.TextChoices):
    COMMITTEE = "cap_uy", "Cấp ủy"
    INSPECTION_COMMITTEE = "uy_ban_kiem_tra", "Ủy ban kiểm tra"
    BRANCH = "chi_bo", "Chi bộ"


class Conclusion(models.TextChoices):
    PENDING = "chua_ket_luan", "Chưa kết luận"
    NO_VIOLATION = "khong_vi_pham", "Không vi phạm"
    VIOLATION = "vi_pham", "Có vi phạm, chưa đến mức kỷ luật"
    DISCIPLINE_NEEDED = "phai_ky_luat", "Có vi phạm, phải kỷ luật"


VIOLATIONS = (Conclusion.VIOLATION, Conclusion.DISCIPLINE_NEEDED)

ACTION_LABELS = {
    "inspection.record": "Ghi cuộc kiểm tra, giám sát",
    "inspection.import": "Nhập cuộc kiểm tra, giám sát từ tệp",
    "inspection.update": "Sửa cuộc kiểm tra, giám sát",
    "inspection.conclude": "Kết luận kiểm tra, giám sát",
    "inspection.reopen": "Mở lại kết luận kiểm tra, giám sát",
    "inspection.annul": "Hủy cuộc kiểm tra, giám sát",
}


class Inspection(Recorded, Annullable):
    """One activity of one body on one subject (a member or an organisation, never both)."""

    path_copy_field = "body_path"
    scope_path = "body_path"

    body = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="inspections_done",
        verbose_name="chủ thể",
    )
    body_path = models.CharField("đường dẫn của chủ thể", max_length=255)
    conducted_by = models.CharField("cơ quan tiến hành", max_length=20, choices=Body.choices)
    activity = models.CharField("hoạt động", max_length=10, choices=Activity.choices)
    form = models.CharField("hình thức", max_length=40, choices=InspectionForm.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="đảng viên",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="tổ chức đảng",
    )
    decision_number = models.CharField("số quyết định", max_length=60)
    decided_on = models.DateField("ngày quyết định")
    planned = models.ForeignKey(
        "inspections.PlannedActivity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="theo chương trình",
    )
    content = models.TextField("nội dung", blank=True)
    period = models.CharField("thời kỳ kiểm tra, giám sát", max_length=200, blank=True)
    team = models.TextField("đoàn, tổ kiểm tra, giám sát", blank=True)
    # The decision's own end of period, or the rule set's on the day it was recorded: kept as
    # the team was told, not moved by a later change of the holidays or the rules.
    due_on = models.DateField("hạn kết thúc")
    self_report = models.TextField("báo cáo tự kiểm tra của đối tượng", blank=True)
    findings = models.TextField("kết quả thẩm tra, xác minh", blank=True)
    conclusion = models.CharField(
        "kết luận", max_length=20, choices=Conclusion.choices, default=Conclusion.PENDING
    )
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    remedies = models.TextField("yêu cầu khắc phục", blank=True)
    follow_up = models.TextField("kết quả khắc phục", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "cuộc kiểm tra, giám sát"
        verbose_name_plural = "cuộc kiểm tra, giám sát"
        ordering = ["-decided_on", "-id"]
        constraints = one_subject_constraints("inspection")
        indexes = [models.Index(fields=["body_path", "decided_on"], name="inspection_scope_idx")]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.subject} ({self.decision_number})"

    @property
    def subject(self):
        return self.member if self.member_id else self.organization

    @property
    def subject_name(self) -> str:
        subject = self.subject
        return subject.full_name if self.member_id else subject.name

    @property
    def found_violation(self) -> bool:
        return self.conclusion in VIOLATIONS


class DenunciationStatus(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận, đang giải quyết"
    NOT_HANDLED = "not_handled", "Không thụ lý"
    CONCLUDED = "concluded", "Đã kết luận"


class DenunciationResult(models.TextChoices):
    TRUE = "dung", "Tố cáo đúng"
    PARTLY = "dung_mot_phan", "Tố cáo đúng một phần"
    FALSE = "sai", "Tố cáo sai"


DENUNCIATION_ACTIONS = {
    "denunciation.record": "Tiếp nhận đơn tố cáo",
    "denunciation.decide": "Kết luận, không thụ lý đơn tố cáo",
    "denunciation.reopen": "Mở lại đơn tố cáo",
}
ACTION_LABELS.update(DENUNCIATION_ACTIONS)


class Denunciation(Recorded):
    """A denunciation (đơn tố cáo) against a member or an organisation, handled by an
    organisation's inspection committee (QĐ 296-QĐ/TW chương IV).

    The denouncer is protected: this table is read only with `Capability.HANDLE_DENUNCIATIONS`
    (`scope_capability`), which no administrator or officer holds by their role, only the
    inspection-committee officers of `handling_org`'s subtree (core.roles.CONFIDENTIAL). The
    history keeps the changes of status with the record's number only, never a name."""

    path_copy_field = "handling_path"
    scope_path = "handling_path"
    scope_capability = "handle_denunciations"

    handling_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tổ chức có ủy ban kiểm tra giải quyết",
    )
    handling_path = models.CharField("đường dẫn của tổ chức giải quyết", max_length=255)
    received_on = models.DateField("ngày nhận đơn")
    anonymous = models.BooleanField("đơn nặc danh, mạo danh", default=False)
    denouncer_name = models.CharField("người tố cáo", max_length=200, blank=True)
    denouncer_contact = models.CharField(
        "địa chỉ, liên hệ người tố cáo", max_length=300, blank=True
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đảng viên bị tố cáo",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tổ chức đảng bị tố cáo",
    )
    content = models.TextField("nội dung tố cáo")
    due_on = models.DateField("hạn giải quyết")
    status = models.CharField(
        "tình trạng",
        max_length=20,
        choices=DenunciationStatus.choices,
        default=DenunciationStatus.RECEIVED,
    )
    result = models.CharField(
        "kết quả", max_length=20, choices=DenunciationResult.choices, blank=True
    )
    decided_on = models.DateField("ngày kết luận, quyết định", null=True, blank=True)
    conclusion = models.TextField("kết luận, lý do không thụ lý", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đơn tố cáo"
        verbose_name_plural = "đơn tố cáo"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(organization__isnull=True),
                name="denunciation_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["handling_path", "received_on"], name="denunciation_scope_idx")
        ]

    def __str__(self) -> str:
        # What the history and any list outside the handling body may show: a number only.
        return f"Đơn tố cáo số {self.pk}"

    @property
    def subject(self):
        return self.member if self.member_id else self.organization

    @property
    def subject_name(self) -> str:
        return self.member.full_name if self.member_id else self.organization.name


PLAN_ACTIONS = {
    "inspection_plan.record": "Lập chương trình kiểm tra, giám sát",
    "inspection_plan.item": "Thêm nội dung chương trình kiểm tra, giám sát",
    "inspection_plan.item_drop": "Bỏ nội dung chương trình kiểm tra, giám sát",
}
ACTION_LABELS.update(PLAN_ACTIONS)


class InspectionPlan(models.Model):
    """A body's yearly programme of inspection and supervision (chương trình kiểm tra, giám sát,
    usually adopted in January; domain-briefs §3): what it plans, each item then carried out by
    activities recorded against it (planned vs done)."""

    path_copy_field = "body_path"
    scope_path = "body_path"

    body = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chủ thể",
    )
    body_path = models.CharField("đường dẫn của chủ thể", max_length=255)
    conducted_by = models.CharField("cơ quan tiến hành", max_length=20, choices=Body.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.CharField("số chương trình", max_length=60, blank=True)
    adopted_on = models.DateField("ngày ban hành", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "chương trình kiểm tra, giám sát"
        verbose_name_plural = "chương trình kiểm tra, giám sát"
        ordering = ["-year", "conducted_by"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "conducted_by", "year"], name="inspection_plan_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"Chương trình kiểm tra, giám sát năm {self.year} của "
            f"{self.get_conducted_by_display().lower()} {self.body.name}"
        )


class PlannedActivity(models.Model):
    """One item of a programme: what, on whom, when, by whom; done once an activity recorded
    against it stands (not annulled)."""

    scope_path = "plan__body_path"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="items")
    activity = models.CharField("hoạt động", max_length=10, choices=Activity.choices)
    form = models.CharField("hình thức", max_length=40, choices=InspectionForm.choices)
    subject = models.CharField("đối tượng", max_length=300)
    content = models.TextField("nội dung")
    timing = models.CharField("thời gian", max_length=100, blank=True)
    due_on = models.DateField("hạn thực hiện", null=True, blank=True)
    team = models.CharField("người, bộ phận thực hiện", max_length=200, blank=True)
    dropped_at = models.DateTimeField("thời điểm bỏ", null=True, blank=True)
    drop_reason = models.TextField("lý do bỏ", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "nội dung chương trình kiểm tra, giám sát"
        verbose_name_plural = "nội dung chương trình kiểm tra, giám sát"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.subject}: {self.content[:60]}"


class PetitionKind(models.TextChoices):
    """Residents' letters (domain-briefs §5, seed 003), classified; a denunciation is not kept
    here but handed to the inspection committee (its register keeps the denouncer secret)."""

    COMPLAINT = "khieu_nai", "Khiếu nại"
    FEEDBACK = "phan_anh", "Phản ánh"
    PROPOSAL = "kien_nghi", "Kiến nghị"


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", "Đang giải quyết"
    ANSWERED = "answered", "Đã trả lời"
    CLOSED = "closed", "Lưu, không giải quyết"


PETITION_ACTIONS = {
    "petition.record": "Tiếp nhận đơn thư, phản ánh, kiến nghị",
    "petition.forward": "Chuyển đơn thư đến nơi có thẩm quyền",
    "petition.answer": "Trả lời đơn thư, phản ánh, kiến nghị",
    "petition.reopen": "Mở lại đơn thư, phản ánh, kiến nghị",
}
ACTION_LABELS.update(PETITION_ACTIONS)


class Petition(Recorded):
    """A letter from residents or members to a party organisation (đơn thư, phản ánh, kiến
    nghị): registered, classified, routed to the competent organisation (`handling_org`, the
    one whose officers see it now; `received_by` the first), answered by its deadline."""

    path_copy_field = "handling_path"
    scope_path = "handling_path"

    received_by = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="nơi nhận đơn",
    )
    handling_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="nơi giải quyết",
    )
    handling_path = models.CharField("đường dẫn của nơi giải quyết", max_length=255)
    received_on = models.DateField("ngày nhận")
    sender = models.CharField("người gửi", max_length=200)
    sender_address = models.CharField("địa chỉ người gửi", max_length=300, blank=True)
    kind = models.CharField("loại đơn", max_length=20, choices=PetitionKind.choices)
    topic = models.CharField("về việc", max_length=300)
    content = models.TextField("nội dung")
    due_on = models.DateField("hạn trả lời")
    forwarded_on = models.DateField("ngày chuyển", null=True, blank=True)
    status = models.CharField(
        "tình trạng",
        max_length=20,
        choices=PetitionStatus.choices,
        default=PetitionStatus.RECEIVED,
    )
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)
    answer = models.TextField("nội dung trả lời, lý do lưu", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đơn thư, phản ánh, kiến nghị"
        verbose_name_plural = "đơn thư, phản ánh, kiến nghị"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["handling_path", "received_on"], name="petition_scope_idx")]

    def __str__(self) -> str:
        return f"Đơn số {self.pk}: {self.topic}"
