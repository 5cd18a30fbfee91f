"""Training courses and their participants (domain-briefs §12; issue 17 point 6).

A course (khóa, lớp) is organised by an organisation of the tree (`organization`, whose path
`org_path` copies and follows its moves) and taught, often, by a political centre named in
text. Its participants are members, or, in an awareness class (lớp bồi dưỡng nhận thức về
Đảng), admission candidates. A result passed updates the member's political theory or the
candidate's class certificate (training.services). Nothing is deleted: a participant recorded
by mistake is annulled with a reason, a result is corrected with a reason, both versioned.
"""

from django.db import models
from django.db.models import Q

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "training.course": "Mở khóa bồi dưỡng",
    "training.course_correct": "Sửa thông tin khóa bồi dưỡng",
    "training.participant": "Ghi học viên khóa bồi dưỡng",
    "training.participant_annul": "Hủy học viên ghi nhầm",
    "training.result": "Ghi kết quả khóa bồi dưỡng",
    "training.result_correct": "Sửa kết quả khóa bồi dưỡng",
    "training.exception": (
        "Ngoại lệ: công nhận chính thức chưa có giấy chứng nhận lớp đảng viên mới"
    ),
    "training.import": "Nhập khóa bồi dưỡng từ tệp",
}


class CourseKind(models.TextChoices):
    """The classes of domain-briefs §12: the awareness class for candidates (HD 12-HD/BTCTW
    2022 §1.1), the new-member class during probation, political theory by level, the
    Party-work skills courses for committee members, and others."""

    AWARENESS = "nhan_thuc", "Lớp bồi dưỡng nhận thức về Đảng"
    NEW_MEMBER = "dang_vien_moi", "Lớp bồi dưỡng đảng viên mới"
    THEORY_ELEMENTARY = "llct_so_cap", "Lý luận chính trị sơ cấp"
    THEORY_INTERMEDIATE = "llct_trung_cap", "Lý luận chính trị trung cấp"
    THEORY_ADVANCED = "llct_cao_cap", "Lý luận chính trị cao cấp"
    THEORY_BACHELOR = "llct_cu_nhan", "Cử nhân lý luận chính trị"
    PARTY_WORK = "nghiep_vu", "Bồi dưỡng nghiệp vụ công tác đảng"
    OTHER = "khac", "Khác"


# The member record's level of political theory (members.models.THEORY_LEVELS) each course
# gives when passed.
THEORY_LEVEL_OF = {
    CourseKind.THEORY_ELEMENTARY: "Sơ cấp",
    CourseKind.THEORY_INTERMEDIATE: "Trung cấp",
    CourseKind.THEORY_ADVANCED: "Cao cấp",
    CourseKind.THEORY_BACHELOR: "Cử nhân",
}


class CourseStatus(models.TextChoices):
    PLANNED = "du_kien", "Dự kiến"
    RUNNING = "dang_hoc", "Đang học"
    FINISHED = "ket_thuc", "Đã kết thúc"
    CANCELLED = "huy", "Đã hủy"


class Result(models.TextChoices):
    """The learner's grade (xếp loại), or "completed" where the class gives no grade."""

    EXCELLENT = "gioi", "Giỏi"
    GOOD = "kha", "Khá"
    AVERAGE = "trung_binh", "Trung bình"
    COMPLETED = "hoan_thanh", "Hoàn thành"
    FAILED = "khong_dat", "Không đạt"


PASSED = (Result.EXCELLENT, Result.GOOD, Result.AVERAGE, Result.COMPLETED)


class Course(Recorded):
    """A class, its organiser, dates, place and status."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    code = models.CharField("mã khóa", max_length=40, unique=True)
    name = models.CharField("tên khóa", max_length=255)
    kind = models.CharField("loại", max_length=20, choices=CourseKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name="cấp ủy tổ chức",
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255, db_index=True, editable=False)
    teaching_body = models.CharField(
        "nơi giảng dạy (trung tâm chính trị, trường)", max_length=255, blank=True
    )
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    status = models.CharField(
        "tình trạng", max_length=10, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    note = models.TextField("ghi chú", blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "khóa bồi dưỡng"
        verbose_name_plural = "khóa bồi dưỡng"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["org_path", "starts_on"], name="training_course_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CourseKind.values), name="training_course_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CourseStatus.values), name="training_course_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_course_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Participant(Recorded, Annullable):
    """A learner of a course, a member or (in an awareness class) a candidate, with their
    result, certificate and a commendation as a learner of distinction (a flag and a note)."""

    scope_path = "course__org_path"

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="participants", verbose_name="khóa"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name="đảng viên",
    )
    candidate = models.ForeignKey(
        "admissions.Candidate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name="quần chúng",
    )
    result = models.CharField("kết quả", max_length=12, choices=Result.choices, blank=True)
    certificate_number = models.CharField(
        "số chứng chỉ, giấy chứng nhận", max_length=60, blank=True
    )
    certificate_on = models.DateField("ngày cấp", null=True, blank=True)
    distinguished = models.BooleanField("học viên xuất sắc, được khen", default=False)
    distinction_note = models.CharField("ghi chú khen", max_length=255, blank=True)

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "học viên"
        verbose_name_plural = "học viên"
        ordering = ["course", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=True) ^ Q(candidate__isnull=True),
                name="training_participant_one_person",
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=Result.values),
                name="training_participant_result_valid",
            ),
            models.UniqueConstraint(
                fields=["course", "member"],
                condition=Q(annulled_at__isnull=True, member__isnull=False),
                name="training_participant_member_once",
            ),
            models.UniqueConstraint(
                fields=["course", "candidate"],
                condition=Q(annulled_at__isnull=True, candidate__isnull=False),
                name="training_participant_candidate_once",
            ),
        ]

    def __str__(self) -> str:
        person = self.member or self.candidate
        return f"{person}: {self.course}"

    @property
    def person(self):
        return self.member or self.candidate

    @property
    def passed(self) -> bool:
        return self.result in PASSED
