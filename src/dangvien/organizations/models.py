"""The organisation tree: six kinds of party organisation under a materialised path.

`path` holds the ids from the root down ("/1/7/42/"), so a whole subtree is one indexed prefix
query (`path LIKE '/1/7/%'`), at any depth and any size.
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
