"""`dangvien import dues-bases`: each member's dues category and base amount from a month (the
history of R5.1), all or nothing, keyed by (Mã đảng viên, Từ tháng). Each row goes through
`services.declare_basis`; a month already declared with other values is annulled (the file
named as the reason) and declared again. The same file again changes nothing."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, chunks, validate_then_write
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.dues import services
from dangvien.dues.cells import parse_money, parse_month
from dangvien.dues.models import Category, DuesBasis
from dangvien.members.models import Member

CODE, FROM, CATEGORY, BASE = "Mã đảng viên", "Từ tháng", "Đối tượng", "Mức căn cứ"
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(FROM, "from_month", required=True),
    Column(CATEGORY, "category", required=True),
    Column(BASE, "base"),
]
CATEGORIES = {fold(category.label): category.value for category in Category}


@dataclass
class PlannedBasis:
    row: int
    code: str
    basis: services.Basis
    member: Member | None = None
    existing: DuesBasis | None = None

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        same = (self.existing.category, self.existing.base_amount) == (
            self.basis.category,
            self.basis.base_amount,
        )
        return "unchanged" if same else "update"

    @property
    def name(self) -> str:
        return self.member.full_name if self.member is not None else ""

    @property
    def detail(self) -> str:
        return f"Từ tháng {self.basis.from_month:%m/%Y}: {Category(self.basis.category).label}"


class BasesPlan(ImportPlan):
    kind = "dues-bases"
    columns = COLUMNS
    fields = {"code": (Member, "code")}

    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.filename = filename
        super().__init__(content, filename, actor)

    def exemption_note(self) -> str:
        """The reason kept with an exemption: the format has no column for it (docs/
        interchange.md), so the record says where it came from and that the reason is the
        branch's decision on file."""
        source = f"tệp «{self.filename}»" if self.filename else "tệp"
        return (
            f"Miễn đóng đảng phí theo {source} nhập ngày "
            f"{timezone.localdate():%d/%m/%Y}; lý do cụ thể theo quyết định của chi bộ, tệp "
            "không ghi."
        )

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        if not code:
            self.problem(number, CODE, "không được để trống.")
        month = None
        try:
            month = parse_month(raw["from_month"])
        except ValueError as exc:
            self.problem(number, FROM, str(exc))
        category = CATEGORIES.get(fold(cell_text(raw["category"])))
        if category is None:
            allowed = ", ".join(f"«{c.label}»" for c in Category)
            self.problem(number, CATEGORY, f"“{cell_text(raw['category'])}” không phải {allowed}.")
        base = 0
        if cell_text(raw["base"]):
            try:
                base = parse_money(raw["base"])
            except ValueError as exc:
                self.problem(number, BASE, str(exc))
                return
        if code and month and category:
            note = self.exemption_note() if category == Category.EXEMPT else ""
            basis = services.Basis(month, category, base, note=note)
            self.planned.append(PlannedBasis(number, code, basis))

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.basis.from_month)
            if key in first:
                self.problem(planned.row, FROM, f"tháng bị trùng với dòng {first[key]}.")
            else:
                first[key] = planned.row
        self.resolve_members(CODE)

    def _match_existing(self) -> None:
        ids = sorted({p.member.pk for p in self.planned})
        found = {}
        for chunk in chunks(ids):
            for row in DuesBasis.unscoped.filter(member_id__in=chunk, annulled_at__isnull=True):
                found[(row.member_id, row.from_month)] = row
        for planned in self.planned:
            planned.existing = found.get((planned.member.pk, planned.basis.from_month))


_HEADERS = {"from_month": FROM, "category": CATEGORY, "base_amount": BASE}


def _apply(plan: BasesPlan, actor, filename: str) -> None:
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    for planned in plan.planned:
        action = planned.action
        if action == "unchanged":
            plan.report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                if action == "update":
                    services.annul_basis(actor, planned.existing, reason=reason)
                services.declare_basis(actor, planned.member, planned.basis)
        except DomainError as error:
            plan.problem(planned.row, _HEADERS.get(error.field, CODE), error.message)
            continue
        if action == "create":
            plan.report.created += 1
        else:
            plan.report.updated += 1


def import_dues_bases(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Dues bases: every row valid and applied, then all kept, or nothing."""
    plan = BasesPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
