"""A discipline decision (quyết định kỷ luật) on a member or an organisation.

The subject is kept as it was decided: a member who later left, or an organisation that later
ended or moved, still has its decisions (QĐ 296-QĐ/TW Điều 1: discipline covers organisations
that ended and members who left). `unit` is where the subject stood on the day of the decision
(the member's branch, the organisation itself); `subject_path` copies its path and follows its
moves (`path_copies`), so "decided in the year below a path" is one range query on this table,
and a report of a year the tree was reshaped since reads the unit's state of that year."""

from django.conf import settings
from django.db import models

from dangvien.core.records import Annullable, Recorded, one_subject_constraints
from dangvien.core.scope import ScopedManager


class DisciplineForm(models.TextChoices):
    """The forms, lightest first (Điều lệ Đảng; domain-rules §7.2; domain-rules §7.2)."""

    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    REMOVAL = "cach_chuc", "Cách chức"
    EXPULSION = "khai_tru", "Khai trừ"
    DISBANDMENT = "giai_tan", "Giải tán"


# Điều lệ Đảng, domain-rules §7.2: organisations khiển trách, cảnh cáo, giải tán; official members
# khiển trách, cảnh cáo, cách chức, khai trừ; a probationary member khiển trách or cảnh cáo only.
ORGANIZATION_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISBANDMENT)
OFFICIAL_FORMS = (
    DisciplineForm.REPRIMAND,
    DisciplineForm.WARNING,
    DisciplineForm.REMOVAL,
    DisciplineForm.EXPULSION,
)
PROBATIONARY_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING)

ACTION_LABELS = {
    "discipline.record": "Ghi quyết định kỷ luật",
    "discipline.import": "Nhập quyết định kỷ luật từ tệp",
    "discipline.annul": "Hủy quyết định kỷ luật",
    "discipline.received": "Ghi ngày nhận quyết định kỷ luật",
}


class Discipline(Recorded, Annullable):
    """One decision on one subject: a member or an organisation, never both; annulled when
    recorded by mistake or found wrongful (QĐ 117-QĐ/TW), kept with who, when and why."""

    path_copy_field = "subject_path"
    scope_path = "subject_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disciplines",
        verbose_name="đảng viên",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disciplines",
        verbose_name="tổ chức đảng",
    )
    # The organisation that places the decision in the tree of any day (reports read its state
    # on their date): the member's branch on the decision's day, or the organisation itself.
    unit = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="chi bộ, tổ chức của đối tượng khi quyết định",
    )
    subject_path = models.CharField("đường dẫn của đối tượng khi quyết định", max_length=255)
    form = models.CharField("hình thức", max_length=20, choices=DisciplineForm.choices)
    decision_number = models.CharField("số quyết định", max_length=60)
    decided_on = models.DateField("ngày quyết định")
    deciding_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="disciplines_decided",
        verbose_name="tổ chức quyết định",
    )
    violation = models.TextField("nội dung vi phạm", blank=True)
    # The day the subject received the decision: the complaint period runs from it (R7.2);
    # until it is recorded, from the decision's day.
    received_on = models.DateField("ngày nhận quyết định", null=True, blank=True)
    # Kept, not computed on reading: the printed decision states it (Điều 2), so a later change
    # of the holidays or the rule set must not move it (recomputed only from a new received_on).
    complaint_until = models.DateField("hạn khiếu nại")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "quyết định kỷ luật"
        verbose_name_plural = "quyết định kỷ luật"
        ordering = ["-decided_on", "-id"]
        constraints = one_subject_constraints("discipline")
        indexes = [models.Index(fields=["subject_path", "decided_on"], name="discipline_scope_idx")]

    def __str__(self) -> str:
        subject = self.member or self.organization
        return f"{self.get_form_display()} {subject} ({self.decision_number})"

    @property
    def subject(self):
        return self.member if self.member_id else self.organization


SUSPENSION_ACTIONS = {
    "suspension.record": "Đình chỉ sinh hoạt đảng",
    "suspension.end": "Kết thúc đình chỉ sinh hoạt đảng",
    "suspension.annul": "Hủy quyết định đình chỉ sinh hoạt đảng",
}
ACTION_LABELS.update(SUSPENSION_ACTIONS)


class Suspension(Recorded, Annullable):
    """A suspension of a member's party activity (đình chỉ sinh hoạt đảng, QĐ 296-QĐ/TW chương
    VI): from `starts_on` to the day before `ends_on`, the first day the member is active again
    (the decision's end, or the day it was lifted; none while it lasts). `branch_path` copies
    the path of the member's branch on the first day."""

    path_copy_field = "branch_path"
    scope_path = "branch_path"

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        related_name="suspensions",
        verbose_name="đảng viên",
    )
    branch_path = models.CharField("đường dẫn của chi bộ khi đình chỉ", max_length=255)
    starts_on = models.DateField("đình chỉ từ ngày")
    ends_on = models.DateField("sinh hoạt trở lại từ ngày", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60)
    deciding_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tổ chức quyết định",
    )
    reason = models.TextField("lý do")
    end_reason = models.TextField("lý do kết thúc", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "đình chỉ sinh hoạt đảng"
        verbose_name_plural = "đình chỉ sinh hoạt đảng"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["member", "starts_on"], name="suspension_member_idx")]

    def __str__(self) -> str:
        return f"Đình chỉ sinh hoạt đảng {self.member} ({self.decision_number})"


class ComplaintResult(models.TextChoices):
    UPHELD = "giu_nguyen", "Giữ nguyên quyết định kỷ luật"
    CHANGED = "thay_doi", "Thay đổi hình thức kỷ luật"
    ANNULLED = "xoa_bo", "Xóa bỏ quyết định kỷ luật"
    NOT_ACCEPTED = "khong_thu_ly", "Không thụ lý"


COMPLAINT_ACTIONS = {
    "complaint.record": "Nhận đơn khiếu nại kỷ luật",
    "complaint.resolve": "Giải quyết khiếu nại kỷ luật",
}
ACTION_LABELS.update(COMPLAINT_ACTIONS)


class Complaint(Recorded):
    """A complaint against a discipline decision (khiếu nại kỷ luật; Điều lệ Đảng, QĐ 296-QĐ/TW
    chương V, domain-rules §7.3): received by a committee above the one that decided, and, when the
    answer does not satisfy, by the next one up (`escalated_from`), up to the Central Committee.
    The decision applies while it is handled (domain-rules R7.3)."""

    path_copy_field = "subject_path"
    scope_path = "subject_path"

    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, related_name="complaints", verbose_name="quyết định"
    )
    subject_path = models.CharField("đường dẫn của đối tượng", max_length=255)
    handling_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cấp giải quyết",
    )
    escalated_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="khiếu nại tiếp sau lần giải quyết",
    )
    received_on = models.DateField("ngày nhận đơn")
    content = models.TextField("nội dung khiếu nại")
    in_time = models.BooleanField("trong thời hạn khiếu nại", default=True)
    result = models.CharField("kết quả", max_length=20, choices=ComplaintResult.choices, blank=True)
    resolved_on = models.DateField("ngày giải quyết", null=True, blank=True)
    answer = models.TextField("nội dung giải quyết", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "khiếu nại kỷ luật"
        verbose_name_plural = "khiếu nại kỷ luật"
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"Khiếu nại quyết định {self.discipline.decision_number}"


class StepKind(models.TextChoices):
    """The steps before a discipline decision (domain-briefs §4, seed 001): a reminder, the
    member's written explanation or self-criticism, criticism at the branch meeting, the vote
    proposing a form of discipline."""

    REMINDER = "nhac_nho", "Nhắc nhở"
    EXPLANATION = "tuong_trinh", "Bản tường trình, tự kiểm điểm"
    CRITICISM = "phe_binh", "Phê bình tại cuộc họp chi bộ"
    VOTE = "bieu_quyet", "Biểu quyết đề nghị hình thức kỷ luật"


STEP_ACTIONS = {
    "discipline_step.record": "Ghi bước xử lý trước kỷ luật",
    "discipline_step.annul": "Hủy bước xử lý trước kỷ luật",
}
ACTION_LABELS.update(STEP_ACTIONS)


class DisciplineStep(Annullable):
    """One step taken with a member before a decision: kept on the member's record, and tied to
    the decision it led to once that is recorded (`discipline`)."""

    path_copy_field = "branch_path"
    scope_path = "branch_path"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="discipline_steps"
    )
    branch_path = models.CharField("đường dẫn của chi bộ", max_length=255)
    kind = models.CharField("bước", max_length=20, choices=StepKind.choices)
    on = models.DateField("ngày")
    note = models.TextField("nội dung")
    proposed_form = models.CharField(
        "hình thức đề nghị", max_length=20, choices=DisciplineForm.choices, blank=True
    )
    votes_for = models.PositiveIntegerField("số tán thành", null=True, blank=True)
    voters = models.PositiveIntegerField("số đảng viên biểu quyết", null=True, blank=True)
    discipline = models.ForeignKey(
        Discipline, on_delete=models.PROTECT, null=True, blank=True, related_name="steps"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "bước xử lý trước kỷ luật"
        verbose_name_plural = "bước xử lý trước kỷ luật"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.member} ({self.on:%d/%m/%Y})"
