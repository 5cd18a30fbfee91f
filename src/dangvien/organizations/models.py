"""The organisation tree: six kinds of party organisation under a materialised path, and its
history.

`path` holds the ids from the root down ("/1/7/42/"), so a whole subtree is one indexed prefix
query (`path LIKE '/1/7/%'`), at any depth and any size. `Organization` holds today's tree;
`OrgState` holds each organisation's parent, name, kind, sector and path over date ranges, and
`OrgEvent` the decisions that changed them (establish, rename, move, absorb, end …), so the tree
as it stood on any date can be read back (formats.md, "org-events").
"""

from django.db import models

from dangvien.core.scope import ScopedManager
from dangvien.core.versions import version_field
from dangvien.core.vntext import fold, sort_key


class OrgKind(models.TextChoices):
    PROVINCE = "dang_bo_tinh", "Đảng bộ trực thuộc Trung ương"
    UPPER = "dang_bo_cap_tren_co_so", "Đảng bộ cấp trên trực tiếp cơ sở"
    BASE_COMMITTEE = "dang_bo_co_so", "Đảng bộ cơ sở"
    BASE_BRANCH = "chi_bo_co_so", "Chi bộ cơ sở"
    PARTIAL_COMMITTEE = "dang_bo_bo_phan", "Đảng bộ bộ phận"
    SUB_BRANCH = "chi_bo_truc_thuoc", "Chi bộ trực thuộc"


# Which kinds may sit directly under which (formats.md, "The hierarchy must be valid").
# `None` stands for the top of the tree.
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    OrgKind.PROVINCE: frozenset({None}),
    OrgKind.UPPER: frozenset({None, OrgKind.PROVINCE}),
    OrgKind.BASE_COMMITTEE: frozenset({OrgKind.UPPER, OrgKind.PROVINCE}),
    OrgKind.BASE_BRANCH: frozenset({OrgKind.UPPER, OrgKind.PROVINCE}),
    OrgKind.PARTIAL_COMMITTEE: frozenset({OrgKind.BASE_COMMITTEE}),
    OrgKind.SUB_BRANCH: frozenset({OrgKind.BASE_COMMITTEE, OrgKind.PARTIAL_COMMITTEE}),
}


class Sector(models.TextChoices):
    """The kind of unit a party organisation leads (loại hình; formats.md, `orgs`)."""

    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    DAC_KHU = "dac_khu", "Đặc khu"
    CO_QUAN_DANG = "co_quan_dang", "Cơ quan Đảng"
    CO_QUAN_NHA_NUOC = "co_quan_nha_nuoc", "Cơ quan nhà nước"
    MAT_TRAN_DOAN_THE = "mat_tran_doan_the", "Mặt trận, đoàn thể"
    DON_VI_SU_NGHIEP = "don_vi_su_nghiep", "Đơn vị sự nghiệp"
    DOANH_NGHIEP_NHA_NUOC = "doanh_nghiep_nha_nuoc", "Doanh nghiệp nhà nước"
    DOANH_NGHIEP_TU_NHAN = "doanh_nghiep_tu_nhan", "Doanh nghiệp tư nhân"
    DOANH_NGHIEP_FDI = "doanh_nghiep_fdi", "Doanh nghiệp có vốn đầu tư nước ngoài"
    QUAN_DOI = "quan_doi", "Quân đội"
    CONG_AN = "cong_an", "Công an"
    KHAC = "khac", "Khác"


BRANCH_KINDS = frozenset({OrgKind.BASE_BRANCH, OrgKind.SUB_BRANCH})
BASE_KINDS = frozenset({OrgKind.BASE_COMMITTEE, OrgKind.BASE_BRANCH})


class Organization(models.Model):
    """A party organisation. Never deleted: a dissolved one keeps its history and `ended_on`."""

    scope_path = "path"

    code = models.CharField("mã tổ chức", max_length=40, unique=True)
    name = models.CharField("tên tổ chức", max_length=255)
    kind = models.CharField("loại tổ chức", max_length=30, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="tổ chức cấp trên",
    )
    path = models.CharField("đường dẫn", max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField("cấp", default=0, editable=False)
    sector = models.CharField(
        "loại hình", max_length=30, choices=Sector.choices, blank=True, default=""
    )
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    ended_on = models.DateField("ngày giải thể", null=True, blank=True)
    sort_key = models.BinaryField("khóa sắp xếp", editable=False, default=b"")
    search_name = models.CharField("tên không dấu", max_length=255, editable=False, default="")

    version = version_field()  # edits never silently overwrite (core/versions)
    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrgKind.values), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(founded_on__isnull=True)
                | models.Q(ended_on__gte=models.F("founded_on")),
                name="organization_ended_after_founded",
            ),
            models.CheckConstraint(
                condition=models.Q(sector="") | models.Q(sector__in=Sector.values),
                name="organization_sector_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.sort_key = sort_key(self.name)
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def is_branch(self) -> bool:
        """Members are active only in a branch (chi bộ cơ sở or chi bộ trực thuộc)."""
        return self.kind in BRANCH_KINDS

    def allowed_child_kinds(self) -> list[str]:
        return [kind for kind, parents in ALLOWED_PARENTS.items() if self.kind in parents]


# The whole Party above the provinces: not a stored organisation but the scope of the reports
# over the whole system (its path "/" begins every path), offered only to users who see it all.
WHOLE_PARTY_CODE = "*"
WHOLE_PARTY_KIND = "toan_dang"


def whole_party() -> Organization:
    """The whole Party as an unsaved organisation for the report builders (pk None)."""
    return Organization(code=WHOLE_PARTY_CODE, name="Toàn Đảng", kind=WHOLE_PARTY_KIND, path="/")


def kind_label(kind: str) -> str:
    """The Vietnamese name of an organisation kind, the whole Party's included."""
    return "Toàn quốc" if kind == WHOLE_PARTY_KIND else OrgKind(kind).label


def children_filter(org: Organization) -> models.Q:
    """The direct children of `org`: the provinces (the tree's roots) for the whole Party."""
    return models.Q(parent__isnull=True) if org.pk is None else models.Q(parent=org)


class OrgEventKind(models.TextChoices):
    """What a decision does to an organisation (domain-briefs §14; formats.md, `org-events`)."""

    ESTABLISH = "thanh_lap", "Thành lập"
    RENAME = "doi_ten", "Đổi tên"
    MOVE = "chuyen", "Chuyển"
    ABSORB = "sap_nhap", "Sáp nhập"  # absorbed into `receiving`, which takes what it had; it ends
    AMALGAMATE = "hop_nhat", "Hợp nhất"  # one of several absorbed into a new `receiving`
    SPLIT = "chia_tach", "Chia tách"  # part of it went to `receiving`, a new organisation
    CHANGE = "thay_doi", "Thay đổi loại tổ chức, loại hình"
    END = "giai_the", "Giải thể"
    DISBAND = "giai_tan", "Giải tán"  # ended as a discipline measure


# Events after which the organisation no longer operates.
ENDING_EVENTS = frozenset(
    {OrgEventKind.ABSORB, OrgEventKind.AMALGAMATE, OrgEventKind.END, OrgEventKind.DISBAND}
)


class OrgEvent(models.Model):
    """A decision changing an organisation on `effective_on`: never deleted; one recorded by
    mistake is annulled with a reason (and what it changed is put back)."""

    scope_path = "org__path"

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="events", verbose_name="tổ chức"
    )
    kind = models.CharField("sự kiện", max_length=20, choices=OrgEventKind.choices)
    effective_on = models.DateField("ngày hiệu lực")
    decision_number = models.CharField("số quyết định", max_length=100, blank=True, default="")
    deciding_org = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_events",
        verbose_name="cơ quan quyết định",
    )
    deciding_body = models.CharField("cơ quan quyết định", max_length=255, blank=True, default="")
    new_parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tổ chức cấp trên mới",
    )
    receiving = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_events",
        verbose_name="tổ chức tiếp nhận",
    )
    old_name = models.CharField("tên cũ", max_length=255, blank=True, default="")
    new_name = models.CharField("tên mới", max_length=255, blank=True, default="")
    note = models.TextField("ghi chú", blank=True, default="")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)
    annulled_at = models.DateTimeField("thời điểm hủy", null=True, blank=True)
    annulled_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    annul_reason = models.TextField("lý do hủy", blank=True, default="")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "sự kiện tổ chức"
        verbose_name_plural = "sự kiện tổ chức"
        ordering = ["effective_on", "id"]  # events of one day apply in the order recorded
        indexes = [models.Index(fields=["org", "effective_on"], name="org_event_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrgEventKind.values), name="org_event_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.org_id} {self.effective_on}"

    @property
    def is_annulled(self) -> bool:
        return self.annulled_at is not None


class OrgState(models.Model):
    """An organisation's parent, name, kind, sector and path from `valid_from` (None: since
    before any date the system reports on) until `valid_until` (exclusive, like
    `Organization.ended_on`; None: still). The states of one organisation do not overlap, and
    its open state always equals the `Organization` row (today's tree)."""

    scope_path = "org__path"

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="states", verbose_name="tổ chức"
    )
    valid_from = models.DateField("từ ngày", null=True, blank=True)
    valid_until = models.DateField("đến trước ngày", null=True, blank=True)
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tổ chức cấp trên",
    )
    name = models.CharField("tên tổ chức", max_length=255)
    kind = models.CharField("loại tổ chức", max_length=30, choices=OrgKind.choices)
    sector = models.CharField(
        "loại hình", max_length=30, choices=Sector.choices, blank=True, default=""
    )
    path = models.CharField("đường dẫn", max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField("cấp", default=0)
    event = models.ForeignKey(
        OrgEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="states",
        verbose_name="sự kiện bắt đầu",
    )

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "trạng thái tổ chức"
        verbose_name_plural = "trạng thái tổ chức"
        ordering = ["org", "valid_from"]
        indexes = [models.Index(fields=["org", "valid_from"], name="org_state_org_idx")]
        constraints = [
            models.UniqueConstraint(fields=["org", "valid_from"], name="org_state_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="org_state_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from or '…'}, {self.valid_until or '…'})"


class FormerCode(models.Model):
    """A code an organisation had before `change_org_code` gave it another: the search still
    finds it by that code ("mã cũ"), and a page opened before the change still reaches it."""

    scope_path = "org__path"

    org = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="former_codes", verbose_name="tổ chức"
    )
    code = models.CharField("mã cũ", max_length=40, db_index=True)
    changed_at = models.DateTimeField("thời điểm đổi mã")

    unscoped = models.Manager()
    objects = ScopedManager()

    class Meta:
        verbose_name = "mã cũ của tổ chức"
        verbose_name_plural = "mã cũ của tổ chức"
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="former_code_unique_per_org"),
        ]

    def __str__(self) -> str:
        return self.code
