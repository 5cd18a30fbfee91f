"""The columns of the transfers spreadsheet (formats.md) and one parsed row of it."""

import datetime
from dataclasses import dataclass

from dangvien.core.spreadsheets import Column
from dangvien.core.vntext import fold
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from dangvien.transfers.models import Transfer, TransferKind

CODE, DAY, KIND = "Mã đảng viên", "Ngày chuyển", "Loại"
TO_CODE, OUTSIDE, LETTER = "Mã chi bộ chuyển đến", "Nơi chuyển đến", "Số giấy giới thiệu"
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(DAY, "day", required=True),
    Column(KIND, "kind"),
    Column(TO_CODE, "to_code"),
    Column(OUTSIDE, "outside"),
    Column(LETTER, "letter"),
]
KINDS = {fold("Chính thức"): TransferKind.PERMANENT, fold("Tạm thời"): TransferKind.TEMPORARY}


@dataclass
class PlannedTransfer:
    """One row: a transfer of `code` done on `day`."""

    row: int
    code: str
    day: datetime.date
    kind: str
    to_code: str
    outside: str
    letter: str
    member: Member | None = None
    to_branch: Organization | None = None
    existing: Transfer | None = None
    temporary_until: datetime.date | None = None

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.existing.letter_number != self.letter else "unchanged"

    @property
    def name(self) -> str:
        return self.member.full_name if self.member else ""

    @property
    def detail(self) -> str:
        to = self.to_branch.name if self.to_branch else self.outside
        return f"{self.day:%d/%m/%Y} → {to}"
