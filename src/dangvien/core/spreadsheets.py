"""Reading import spreadsheets (.xlsx first sheet, or UTF-8 CSV) against a column contract.

Headers match ignoring case, diacritics, repeated spaces and column order (formats.md). Cell
values are data, never formulas: a formula cell is read as its text.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from dangvien.core.vntext import fold

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False


@dataclass(frozen=True)
class Problem:
    """One problem of an import, printed as formats.md prescribes."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return f'dòng {self.row}, cột "{self.column}": {self.message}'
        return f"dòng {self.row}: {self.message}"


@dataclass
class Table:
    """Rows of a spreadsheet keyed by column key, with their spreadsheet row numbers."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class UnreadableFile(Exception):
    """The file is neither a readable .xlsx nor a UTF-8 CSV."""


def _raw_rows_xlsx(content: bytes) -> Iterator[tuple]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("Không đọc được tệp Excel (.xlsx).") from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _raw_rows_csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("Tệp CSV phải được lưu bằng mã UTF-8.") from exc
    yield from csv.reader(io.StringIO(text, newline=""))


def raw_rows(content: bytes, filename: str = "") -> Iterator[tuple]:
    """The rows of the first sheet (xlsx) or of the CSV, chosen by content then by name."""
    if content.startswith(XLSX_MAGIC) or Path(filename).suffix.lower() in {".xlsx", ".xlsm"}:
        return _raw_rows_xlsx(content)
    return _raw_rows_csv(content)


def clean_cell(value: Any) -> Any:
    """Strip text, turn blank text into None, keep dates, numbers as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_table(content: bytes, columns: list[Column], filename: str = "") -> Table:
    """Match the header row to `columns` and return every non-empty row keyed by column key."""
    table = Table()
    by_folded = {fold(column.header): column for column in columns}
    rows = raw_rows(content, filename)
    header = next(rows, None)
    if header is None:
        table.problems.append(Problem(1, None, "tệp trống, không có dòng tiêu đề."))
        return table
    positions: dict[int, Column] = {}
    for index, title in enumerate(header):
        title_text = cell_text(title)
        if not title_text:
            continue
        column = by_folded.get(fold(title_text))
        if column is None:
            table.warnings.append(Problem(1, title_text, "cột không có trong mẫu, bỏ qua."))
        elif column in positions.values():
            table.problems.append(Problem(1, title_text, "cột bị lặp lại."))
        else:
            positions[index] = column
    for column in columns:
        if column.required and column not in positions.values():
            table.problems.append(Problem(1, column.header, "thiếu cột bắt buộc."))
    if table.problems:
        return table
    for number, values in enumerate(rows, start=2):
        record = {column.key: None for column in columns}
        for index, column in positions.items():
            if index < len(values):
                record[column.key] = clean_cell(values[index])
        if any(value is not None for value in record.values()):
            table.rows.append((number, record))
    return table


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(value: Any) -> datetime.date:
    """A date cell or `dd/mm/yyyy` text; ValueError with a Vietnamese message otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    match = _DATE_TEXT.match(text)
    if not match:
        raise ValueError(f"“{text}” không phải ngày dạng dd/mm/yyyy.")
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"ngày “{text}” không tồn tại.") from None
