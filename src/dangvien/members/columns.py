"""The columns of member lists and exports, shared by the list page, xlsx and csv."""

import datetime
from dataclasses import dataclass

from dangvien.members.models import Status


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str
    fields: tuple[str, ...]  # database values needed, for values_list()
    default: bool = False

    def value(self, row: dict):
        if self.key == "status":
            label = Status(row["status"]).label
            return f"{label}, miễn sinh hoạt" if row.get("exempt_since") else label
        if self.key == "branch_name":
            return row["branch__name"]
        if self.key == "branch_code":
            return row["branch__code"]
        value = row[self.fields[0]]
        return value if value is not None else ""


def _column(key, label, *fields, default=False):
    return ListColumn(key, label, fields or (key,), default)


# The first sixteen are the import columns of formats.md, so an export imports back unchanged.
COLUMNS = [
    _column("code", "Mã đảng viên", default=True),
    _column("full_name", "Họ và tên", default=True),
    _column("gender", "Giới tính", default=True),
    _column("birth_date", "Ngày sinh", default=True),
    _column("branch_code", "Mã chi bộ", "branch__code"),
    _column("admitted_on", "Ngày vào Đảng", default=True),
    _column("official_on", "Ngày chính thức", default=True),
    _column("card_number", "Số thẻ đảng viên"),
    _column("citizen_id", "Số CCCD"),
    _column("ethnicity", "Dân tộc"),
    _column("religion", "Tôn giáo"),
    _column("place_of_origin", "Quê quán"),
    _column("residence", "Nơi cư trú"),
    _column("general_education", "Giáo dục phổ thông"),
    _column("qualification", "Chuyên môn"),
    _column("political_theory", "Lý luận chính trị"),
    _column("branch_name", "Chi bộ", "branch__name", default=True),
    _column("status", "Tình trạng", "status", "exempt_since", default=True),
    _column("workplace", "Nơi công tác"),
    _column("party_position", "Chức vụ Đảng"),
    _column("state_position", "Chức vụ chính quyền"),
    _column("phone", "Điện thoại"),
]
BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_KEYS = [column.key for column in COLUMNS if column.default]


def chosen(keys: list[str] | None) -> list[ListColumn]:
    picked = [BY_KEY[key] for key in keys or [] if key in BY_KEY]
    return picked or [BY_KEY[key] for key in DEFAULT_KEYS]


def value_fields(columns: list[ListColumn]) -> list[str]:
    needed = ["id"]
    for column in columns:
        needed += [field for field in column.fields if field not in needed]
    return needed


def as_text(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
