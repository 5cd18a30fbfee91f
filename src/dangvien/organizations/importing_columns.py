"""The spreadsheet of `dangvien import orgs` (formats.md, organisations): its columns, the
labels accepted for a kind or a sector, and one row as the import plans it (`PlannedOrg`).
"""

import datetime
from dataclasses import dataclass, field

from dangvien.core.spreadsheets import Column
from dangvien.core.vntext import fold
from dangvien.organizations.models import Organization, OrgKind, Sector

CODE, NAME, KIND, PARENT = "Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên"
FOUNDED, SECTOR = "Ngày thành lập", "Loại hình"
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(NAME, "name", required=True),
    Column(KIND, "kind", required=True),
    Column(PARENT, "parent_code"),
    Column(FOUNDED, "founded_on"),
    Column(SECTOR, "sector"),
]
# The columns filling a text field, for their length (core.importing.bad_cells).
CELL_FIELDS = {
    "code": (Organization, "code"),
    "name": (Organization, "name"),
    "parent_code": (Organization, "code"),
}

KIND_BY_LABEL = {fold(kind.label): kind.value for kind in OrgKind} | {
    fold(kind.value): kind.value for kind in OrgKind
}
KIND_BY_LABEL |= {
    fold("Đảng bộ tỉnh"): OrgKind.PROVINCE,
    fold("Đảng bộ thành phố"): OrgKind.PROVINCE,
    fold("Đảng bộ cấp trên cơ sở"): OrgKind.UPPER,
}
SECTOR_BY_LABEL = {fold(sector.label): sector.value for sector in Sector} | {
    fold(sector.value): sector.value for sector in Sector
}
SECTORS = ", ".join(Sector.labels)


def sector_label(sector: str) -> str | None:
    """The Vietnamese name of a sector slug, None for no sector."""
    return Sector(sector).label if sector else None


@dataclass
class PlannedOrg:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str | None
    founded_on: datetime.date | None = None
    sector: str = ""
    existing: Organization | None = None
    changes: dict = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"

    @property
    def detail(self) -> str:
        return self.parent_code or ""
