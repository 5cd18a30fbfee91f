"""Party dues (đảng phí; QĐ 342-QĐ/TW 28/12/2010, QĐ 01-QĐ/TW 2/2026; domain-rules §5).

A member's dues category and base amount hold from a month until the next record
(`DuesBasis`, the history); a payment (`DuesPayment`) settles one month of one member, collected
by a branch (cash, or the national public-service portal with its transaction reference); a
month without a payment counts as unpaid unless a valid reason is recorded (`UnpaidExcuse`). What
each level keeps and remits upward is recorded as remittances (`DuesRemittance`). Money is whole
đồng. Nothing is deleted: corrections carry a reason and a version, annulments keep the row.
"""

from django.db import models
from django.db.models import Q

from dangvien.core.records import Annullable, Recorded
from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field

ACTION_LABELS = {
    "dues.basis": "Khai báo đối tượng, mức căn cứ đóng đảng phí",
    "dues.basis_annul": "Hủy khai báo mức căn cứ đóng đảng phí",
    "dues.pay": "Thu đảng phí",
    "dues.pay_correct": "Sửa khoản thu đảng phí",
    "dues.pay_annul": "Hủy khoản thu đảng phí",
    "dues.excuse": "Ghi lý do chưa đóng đảng phí",
    "dues.excuse_annul": "Hủy lý do chưa đóng đảng phí",
    "dues.remit": "Nộp đảng phí lên cấp trên",
    "dues.remit_annul": "Hủy khoản nộp đảng phí lên cấp trên",
    "dues.import": "Nhập đảng phí từ tệp",
    "dues.export": "Tải báo cáo đảng phí",
}


class Category(models.TextChoices):
    """Who pays what (QĐ 01-QĐ/TW 2026 [C]; QĐ 342-QĐ/TW for earlier months)."""

    SALARY = "luong_bhxh", "Hưởng lương, đóng BHXH bắt buộc"
    ALLOWANCE = "tro_cap", "Hưởng trợ cấp ốm đau, thai sản"
    PENSION = "huu_tri", "Hưởng lương hưu"
    STUDENT = "hoc_sinh", "Học sinh, sinh viên"
    OTHER = "khac", "Đối tượng khác (không hưởng lương)"
    # [U] Members in hardship exempted or reduced by the branch (practice under QĐ 342): due 0,
    # with the reason in the record; their unpaid months raise no flag.
    EXEMPT = "mien", "Được miễn đóng đảng phí"


# The categories whose dues are a percentage of the base amount; the others pay a fixed amount.
RATED = {
    Category.SALARY: "dues_salary_rate_bp",
    Category.ALLOWANCE: "dues_allowance_rate_bp",
    Category.PENSION: "dues_pension_rate_bp",
}
FIXED = {Category.STUDENT: "dues_student_amount", Category.OTHER: "dues_other_amount"}


class Channel(models.TextChoices):
    """How the month was paid (QĐ 01-QĐ/TW 2026: monthly, in cash to the branch or on the
    national public-service portal; R5.4: keep the portal's transaction reference)."""

    CASH = "tien_mat", "Tiền mặt"
    PORTAL = "cong_dvc", "Cổng Dịch vụ công quốc gia"


class DuesBasis(Recorded, Annullable):
    """The member's category and base amount from `from_month` (the 1st of a month) until the
    next record (R5.1). A voluntary higher monthly amount needs the upper committee's approval
    (QĐ 01-QĐ/TW 2026; R5.3): its decision is kept with it."""

    scope_path = "member__branch_path"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_bases"
    )
    from_month = models.DateField("từ tháng")
    category = models.CharField("đối tượng", max_length=20, choices=Category.choices)
    base_amount = models.PositiveBigIntegerField("mức căn cứ (đồng/tháng)", default=0)
    voluntary_amount = models.PositiveBigIntegerField(
        "mức tự nguyện đóng cao hơn (đồng/tháng)", null=True, blank=True
    )
    approval_number = models.CharField(
        "số văn bản đồng ý của cấp ủy cấp trên", max_length=60, blank=True
    )
    approval_body = models.CharField("cấp ủy đồng ý", max_length=200, blank=True)
    approved_on = models.DateField("ngày đồng ý", null=True, blank=True)
    note = models.TextField("ghi chú, lý do", blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "mức căn cứ đóng đảng phí"
        ordering = ["-from_month", "-id"]
        indexes = [models.Index(fields=["member", "from_month"], name="dues_basis_member_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="dues_basis_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(voluntary_amount__isnull=True) | ~Q(approval_number=""),
                name="dues_basis_voluntary_approved",
            ),
            models.UniqueConstraint(
                fields=["member", "from_month"],
                condition=Q(annulled_at__isnull=True),
                name="dues_basis_once_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} từ {self.from_month:%m/%Y}"


class DuesPayment(Recorded, Annullable):
    """One month of dues of one member, collected by `branch` (R5.1, R5.4). One payment in force
    per member and month; a payment made early or late for several months is one row a month."""

    scope_path = "branch_path"
    path_copy_field = "branch_path"

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_payments"
    )
    month = models.DateField("tháng")
    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    branch_path = models.CharField("đường dẫn chi bộ", max_length=255)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    channel = models.CharField("hình thức", max_length=10, choices=Channel.choices)
    reference = models.CharField("mã giao dịch", max_length=80, blank=True)
    paid_on = models.DateField("ngày nộp")

    version = version_field()
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "khoản thu đảng phí"
        ordering = ["month", "id"]
        indexes = [
            models.Index(fields=["branch_path", "month"], name="dues_payment_path_idx"),
            models.Index(fields=["member", "month"], name="dues_payment_member_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="dues_payment_channel_valid"
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PORTAL) | ~Q(reference=""),
                name="dues_payment_portal_reference",
            ),
            models.UniqueConstraint(
                fields=["member", "month"],
                condition=Q(annulled_at__isnull=True),
                name="dues_payment_once_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"Đảng phí tháng {self.month:%m/%Y}: {self.amount:,} đồng".replace(",", ".")


class UnpaidExcuse(Recorded, Annullable):
    """A valid reason for a month unpaid (Điều lệ Đảng Điều 8: «không có lý do chính đáng»):
    the month raises no flag."""

    scope_path = "member__branch_path"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("tháng")
    reason = models.TextField("lý do")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "lý do chưa đóng đảng phí"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                condition=Q(annulled_at__isnull=True),
                name="dues_excuse_once_a_month",
            ),
        ]

    def __str__(self) -> str:
        return f"Lý do chưa đóng đảng phí tháng {self.month:%m/%Y}"


class DuesRemittance(Recorded, Annullable):
    """Dues an organisation remitted to the level above for a month (R5.5): the branch to its
    base organisation, the base organisation to the upper level."""

    scope_path = "org_path"
    path_copy_field = "org_path"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField("đường dẫn tổ chức", max_length=255)
    month = models.DateField("tháng")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    remitted_on = models.DateField("ngày nộp")
    reference = models.CharField("số chứng từ, mã giao dịch", max_length=80, blank=True)

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "khoản nộp đảng phí lên cấp trên"
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["org_path", "month"], name="dues_remit_path_idx")]

    def __str__(self) -> str:
        return f"Nộp cấp trên tháng {self.month:%m/%Y}: {self.amount:,} đồng".replace(",", ".")


# -- The stored summary of the dues report (dues/tally.py) -------------------------------------


class DuesTallyYear(models.Model):
    """A year whose branch-month summary is built (and so kept up to date by every write)."""

    year = models.PositiveSmallIntegerField("năm", unique=True)
    built_at = models.DateTimeField("lúc dựng", auto_now_add=True)

    class Meta:
        verbose_name = "năm đã tổng hợp đảng phí"

    def __str__(self) -> str:
        return f"Tổng hợp đảng phí năm {self.year}"


class _OfABranch(models.Model):
    """A summary row of one branch (dues/tally.py), with the copy of its path that follows
    every move (organizations/services/path_copies.py)."""

    path_copy_field = "branch_path"

    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    branch_path = models.CharField("đường dẫn chi bộ", max_length=255)

    class Meta:
        abstract = True


class DuesMonthTally(_OfABranch):
    """One branch's month on the dues report: the members placed there that month (those who
    were in no other branch that month: the others are `DuesMonthMover`), of them the
    undeclared, the sum due over its placements, and the payments it collected. Derived from
    the records (dues/tally.py): rebuilt, never edited by hand."""

    month = models.DateField("tháng")
    members = models.PositiveIntegerField(default=0)
    undeclared = models.PositiveIntegerField(default=0)
    due = models.BigIntegerField(default=0)
    collected = models.BigIntegerField(default=0)
    payments = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp đảng phí chi bộ theo tháng"
        indexes = [models.Index(fields=["branch_path", "month"], name="dues_tally_path_idx")]
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="dues_tally_branch_month")
        ]

    def __str__(self) -> str:
        return f"Đảng phí tháng {self.month:%m/%Y} của chi bộ {self.branch_id}"


class DuesYearTally(_OfABranch):
    """One branch's year, rolled up from its `DuesMonthTally` rows (the members and undeclared
    of each month, the year's sums): a year's report of a large subtree reads one row a branch
    instead of twelve."""

    year = models.PositiveSmallIntegerField("năm")
    members_01 = models.PositiveIntegerField(default=0)
    members_02 = models.PositiveIntegerField(default=0)
    members_03 = models.PositiveIntegerField(default=0)
    members_04 = models.PositiveIntegerField(default=0)
    members_05 = models.PositiveIntegerField(default=0)
    members_06 = models.PositiveIntegerField(default=0)
    members_07 = models.PositiveIntegerField(default=0)
    members_08 = models.PositiveIntegerField(default=0)
    members_09 = models.PositiveIntegerField(default=0)
    members_10 = models.PositiveIntegerField(default=0)
    members_11 = models.PositiveIntegerField(default=0)
    members_12 = models.PositiveIntegerField(default=0)
    undeclared_01 = models.PositiveIntegerField(default=0)
    undeclared_02 = models.PositiveIntegerField(default=0)
    undeclared_03 = models.PositiveIntegerField(default=0)
    undeclared_04 = models.PositiveIntegerField(default=0)
    undeclared_05 = models.PositiveIntegerField(default=0)
    undeclared_06 = models.PositiveIntegerField(default=0)
    undeclared_07 = models.PositiveIntegerField(default=0)
    undeclared_08 = models.PositiveIntegerField(default=0)
    undeclared_09 = models.PositiveIntegerField(default=0)
    undeclared_10 = models.PositiveIntegerField(default=0)
    undeclared_11 = models.PositiveIntegerField(default=0)
    undeclared_12 = models.PositiveIntegerField(default=0)
    due = models.BigIntegerField(default=0)
    collected = models.BigIntegerField(default=0)
    payments = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp đảng phí chi bộ theo năm"
        indexes = [models.Index(fields=["branch_path", "year"], name="dues_year_path_idx")]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="dues_year_branch_year")
        ]

    def __str__(self) -> str:
        return f"Đảng phí năm {self.year} của chi bộ {self.branch_id}"


class DuesMonthMover(_OfABranch):
    """A member placed in more than one branch in a month (moved during it): one row a branch,
    so that a unit holding several of them counts the member once."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng")
    undeclared = models.BooleanField(default=False)

    class Meta:
        verbose_name = "đảng viên chuyển chi bộ trong tháng"
        indexes = [models.Index(fields=["branch_path", "month"], name="dues_mover_path_idx")]

    def __str__(self) -> str:
        return f"Đảng viên {self.member_id} ở chi bộ {self.branch_id} tháng {self.month:%m/%Y}"


class DuesOwedMonth(_OfABranch):
    """A month the member owes without a valid reason (selectors._unpaid_counts' rule, the
    month's end aside): the art. 8 flags by unit are counted from these, by the member's
    current branch."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng")

    class Meta:
        verbose_name = "tháng chưa đóng đảng phí"
        indexes = [
            models.Index(fields=["branch_path", "month"], name="dues_owed_path_idx"),
            models.Index(fields=["member", "month"], name="dues_owed_member_idx"),
        ]

    def __str__(self) -> str:
        return f"Đảng viên {self.member_id} chưa đóng tháng {self.month:%m/%Y}"


class DuesOwedYear(_OfABranch):
    """A member's months owed in a year (`DuesOwedMonth` counted, by the member's current
    branch): once every month of the year is over, the art. 8 flags are the rows at or above
    the threshold, found on an index without counting."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    months = models.PositiveSmallIntegerField("số tháng chưa đóng")

    class Meta:
        verbose_name = "số tháng chưa đóng đảng phí trong năm"
        indexes = [
            models.Index(fields=["year", "months"], name="dues_owed_year_idx"),
            models.Index(fields=["member", "year"], name="dues_owed_year_member_idx"),
        ]

    def __str__(self) -> str:
        return f"Đảng viên {self.member_id} chưa đóng {self.months} tháng năm {self.year}"
