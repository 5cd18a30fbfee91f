"""Reading import spreadsheets (.xlsx first sheet, or UTF-8 CSV) against a column contract.

Headers match ignoring case, diacritics, repeated spaces and column order (formats.md). Cell
values are data, never formulas: a formula cell is read as its text.
"""

import csv
import datetime
import io
import marshal
import os
import re
import sys
import zipfile
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from dangvien.core.vntext import fold
from dangvien.core.vntext import number as vn_number
from dangvien.core.xlsx_archive import (
    EXCEL_COLUMNS,
    ArchiveTooLarge,
    BoundedArchive,
    LimitExceeded,
    PartTooLarge,
    RowTooWide,
    TextTooLong,
    TooManyFormulas,
)

XLSX_MAGIC = b"PK\x03\x04"
# Columns read from each row: the widest contract has 16, a header further right is ignored.
MAX_COLUMNS = 100
# Members whose compression ratio is checked: tiny parts (themes, styles) compress very well.
RATIO_CHECKED_FROM = 1024 * 1024


@dataclass(frozen=True)
class Column:
    """A column of an import: its header, the key its cells are read under, whether a file
    must have it; `aliases` are other headers taken for it (a header written without the
    spaces of the contract's); a column not `in_template` is read but not offered in the
    downloadable template (an alternative layout the contract allows)."""

    header: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    in_template: bool = True


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


class UnreadableFile(Exception):
    """The file is neither a readable .xlsx nor a UTF-8 CSV."""


class FileTooLarge(UnreadableFile):
    """The file exceeds a reading limit (size, compression, rows, cell length): reading stopped
    at the first limit exceeded, so a crafted file cannot exhaust the server's memory."""


@dataclass(frozen=True)
class ReadLimits:
    """How much of a spreadsheet is read at most (settings DANGVIEN_IMPORT_*).

    `part_bytes` bounds each .xlsx part read whole (content types, workbook, relationships,
    styles: openpyxl parses them into objects about ten times their size); the sheet and the
    shared strings are streamed within `unzipped_bytes`. `row_cells` bounds the cells of one
    row (Excel's 16,384 columns)."""

    unzipped_bytes: int = 300 * 1024 * 1024
    ratio: int = 100
    entries: int = 1000
    rows: int = 300_000
    cell_chars: int = 1000
    part_bytes: int = 4 * 1024 * 1024
    row_cells: int = EXCEL_COLUMNS

    @classmethod
    def from_settings(cls) -> "ReadLimits":
        from django.conf import settings

        return cls(**getattr(settings, "IMPORT_READ_LIMITS", {}))


def _column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column ("A", "AB"); openpyxl imported only then:
    it imports numpy, a fifth of a second of every command's start-up (a CSV needs neither)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _number(value: int) -> str:
    return vn_number(value)


def _size(value: int) -> str:
    """A size in MB, or in KB under a megabyte ("4 MB", "512 KB")."""
    if value >= 2**20:
        return f"{_number(value // 2**20)} MB"
    return f"{_number(-(-value // 1024))} KB"


@dataclass
class Table:
    """The rows of a spreadsheet for one column contract, read once from the file.

    Each non-empty row is kept packed in one bytes object (its spreadsheet row number and the
    values of the matched columns in the file's order): a 200,000-row file then takes a fifth
    of the memory of tuples of cell objects. `rows` gives each as (number, {column key: value})
    on the fly. `titles` are the matched headers as the file wrote them (for the annotated
    error workbook). `to_document` and `from_document` keep a table with its upload, so a
    preview is never parsed twice.
    """

    keys: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    all_keys: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # One buffer, not an object a row: once the reader's objects are freed, their memory is
    # whole again for the import's plan instead of being interleaved with the kept rows.
    _packed: bytearray = field(default_factory=bytearray, repr=False)
    _ends: array = field(default_factory=lambda: array("Q"), repr=False)

    def append(self, number: int, values) -> None:
        # marshal, not pickle: built and read in this process only, never stored.
        self._packed += marshal.dumps((number, *map(_tag, values)))
        self._ends.append(len(self._packed))

    @property
    def row_count(self) -> int:
        return len(self._ends)

    def cells(self) -> Iterator[tuple[int, tuple]]:
        """(row number, values of the matched columns) of every kept row."""
        view, start = memoryview(self._packed), 0
        for end in self._ends:
            number, *values = marshal.loads(view[start:end])
            start = end
            yield number, tuple(map(_untag, values))

    @property
    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        blank = dict.fromkeys(self.all_keys)
        for number, values in self.cells():
            record = blank.copy()
            record.update(zip(self.keys, values, strict=True))
            yield number, record

    def to_document(self) -> dict:
        """The table as JSON-ready data (cells tagged by type; never pickle: it is stored)."""
        return {
            "keys": self.keys,
            "titles": self.titles,
            "all_keys": self.all_keys,
            "data": [[number, list(map(_tag, values))] for number, values in self.cells()],
            "problems": [[p.row, p.column, p.message] for p in self.problems],
            "warnings": [[p.row, p.column, p.message] for p in self.warnings],
        }

    @classmethod
    def from_document(cls, document: dict) -> "Table":
        table = cls(
            keys=tuple(document["keys"]),
            titles=tuple(document["titles"]),
            all_keys=tuple(document["all_keys"]),
            problems=[Problem(*p) for p in document["problems"]],
            warnings=[Problem(*p) for p in document["warnings"]],
        )
        for number, values in document["data"]:
            table.append(number, map(_untag, values))
        return table


def compact_record_type(keys: tuple[str, ...]) -> type[Mapping]:
    """A read-only mapping over fixed keys, stored as one tuple: an importer keeping 200,000
    parsed rows holds a quarter of the memory their dicts would take."""
    index = {key: position for position, key in enumerate(keys)}

    class Record(Mapping):
        __slots__ = ("_values",)

        def __init__(self, mapping: Mapping) -> None:
            self._values = tuple(mapping.get(key) for key in keys)

        def __getitem__(self, key: str) -> Any:
            return self._values[index[key]]

        def __iter__(self) -> Iterator[str]:
            return iter(keys)

        def __len__(self) -> int:
            return len(keys)

        def as_dict(self) -> dict:
            return dict(zip(keys, self._values, strict=True))

    return Record


_TAGS = {
    "dt": datetime.datetime.fromisoformat,
    "d": datetime.date.fromisoformat,
    "t": datetime.time.fromisoformat,
    "td": lambda seconds: datetime.timedelta(seconds=seconds),
}


def _tag(value: Any) -> Any:
    """A cell as JSON: text, numbers and None as they are, dates and times as [tag, text]."""
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, datetime.time):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.timedelta):
        return ["td", value.total_seconds()]
    if value is None or isinstance(value, str | int | float):
        return value
    return getattr(value, "text", None) or str(value)  # an array formula: its text


def _as_kept(value: Any) -> Any:
    """`_untag(_tag(value))`, with text and numbers (nearly every cell) passed straight on."""
    kind = type(value)
    if kind is str:
        return sys.intern(value) if len(value) <= 64 else value
    if value is None or kind is int or kind is float:
        return value
    return _untag(_tag(value))


def _untag(value: Any) -> Any:
    """A cell back from `_tag`; short text interned, so a value repeated down a column (a
    branch code, an ethnicity) is one object however many rows unpack it."""
    if isinstance(value, list):
        return _TAGS[value[0]](value[1])
    if type(value) is str and len(value) <= 64:
        return sys.intern(value)
    return value


Source = bytes | str | os.PathLike | IO[bytes] | Table


def _binary(source: Source) -> IO[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")  # closed by the reader that opened it
    source.seek(0)
    return source


def check_archive(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse a zip bomb from its directory alone, before anything is decompressed (zipfile
    never yields more than a member's declared size, so the declared sizes are binding)."""
    members = archive.infolist()
    if len(members) > limits.entries:
        raise FileTooLarge(
            f"Tệp Excel có {_number(len(members))} thành phần, vượt giới hạn "
            f"{_number(limits.entries)}; hệ thống không đọc tệp này."
        )
    total = sum(member.file_size for member in members)
    if total > limits.unzipped_bytes:
        raise FileTooLarge(
            f"Tệp Excel khi giải nén lớn {_number(total // 2**20)} MB, vượt giới hạn "
            f"{_number(limits.unzipped_bytes // 2**20)} MB; hệ thống không đọc tệp này. "
            "Hãy chia dữ liệu thành nhiều tệp nhỏ hơn."
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM and ratio > limits.ratio:
            raise FileTooLarge(
                f"Tệp Excel bị nén bất thường (phần {member.filename} giải nén lớn gấp "
                f"{_number(int(ratio))} lần, giới hạn {_number(limits.ratio)} lần); "
                "hệ thống không đọc tệp này."
            )


def _raw_rows_xlsx(source: Source, limits: ReadLimits) -> Iterator[tuple]:
    handle = _binary(source)
    try:
        try:
            archive = BoundedArchive(handle, limits.part_bytes, limits.unzipped_bytes)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnreadableFile("Không đọc được tệp Excel (.xlsx).") from exc
        check_archive(archive, limits)
        # Imported here: it imports openpyxl (and numpy), which reading a CSV never needs.
        from dangvien.core.xlsx_stream import NotASpreadsheet, first_sheet_rows

        # Streamed by core/xlsx_stream.py: the values openpyxl's read-only mode gives, at most
        # MAX_COLUMNS wide and no further than the row limit, whatever dimension the file
        # declares; missing rows are empty rows, so each row keeps its number in the sheet.
        last_row = limits.rows + 2
        rows = first_sheet_rows(archive, MAX_COLUMNS, limits.row_cells, limits.cell_chars)
        expected = 1
        header: list = []
        try:
            for number, values in rows:
                while expected < min(number, last_row + 1):
                    yield ()
                    expected += 1
                if number == 1:
                    header = values
                # A row past the limit is passed on once, in place of all that follow: the
                # check refuses it if it holds a value (a formatted empty row is nothing).
                yield values
                expected += 1
                if number > last_row:
                    break
        except NotASpreadsheet as exc:
            raise UnreadableFile("Tệp Excel không có trang tính nào.") from exc
        except LimitExceeded as exc:
            raise FileTooLarge(_limit_message(exc, limits, header)) from exc
        except Exception as exc:  # a damaged package: openpyxl, zipfile, zlib, XML raise many kinds
            raise UnreadableFile("Không đọc được tệp Excel (.xlsx): tệp bị hỏng.") from exc
        finally:
            rows.close()
            archive.close()
    finally:
        if handle is not source:
            handle.close()


def _limit_message(exc: LimitExceeded, limits: ReadLimits, header: list) -> str:
    """The Vietnamese message of a limit exceeded while reading an .xlsx."""
    if isinstance(exc, PartTooLarge):
        size = f"lớn {_size(exc.size)}, vượt" if exc.size is not None else "vượt"
        return (
            f"Tệp quá lớn: phần {exc.part} của tệp Excel khi giải nén {size} giới hạn "
            f"{_size(exc.limit)}; hệ thống không đọc tệp này."
        )
    if isinstance(exc, ArchiveTooLarge):
        return (
            f"Tệp quá lớn: tệp Excel khi giải nén vượt giới hạn {_size(exc.limit)}; hệ thống "
            "không đọc tệp này. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn."
        )
    if isinstance(exc, RowTooWide):
        return (
            f"Dòng {exc.row}: có hơn {_number(exc.limit)} ô, vượt giới hạn số ô của một dòng; "
            "hệ thống dừng đọc tệp."
        )
    if isinstance(exc, TooManyFormulas):
        return (
            f"Dòng {exc.row}: tệp có hơn {_number(exc.limit)} nhóm công thức dùng chung, vượt "
            "giới hạn; hệ thống dừng đọc tệp. Hãy dán dữ liệu dưới dạng giá trị."
        )
    assert isinstance(exc, TextTooLong)
    if exc.row is None:
        return (
            f"Tệp quá lớn: phần {exc.part} của tệp Excel có một chuỗi dài hơn "
            f"{_number(exc.limit)} ký tự, vượt giới hạn của một ô; hệ thống không đọc tệp này."
        )
    index = exc.column - 1
    title = cell_text(header[index]) if index < len(header) else ""
    column = title or _column_letter(exc.column)
    length = (
        f"dài hơn {_number(exc.limit)} ký tự, vượt" if exc.limit > limits.cell_chars else "vượt"
    )
    return (
        f'Dòng {exc.row}, cột "{column}": ô {length} giới hạn {_number(limits.cell_chars)} '
        "ký tự; hệ thống dừng đọc tệp."
    )


def _raw_rows_csv(source: Source) -> Iterator[list[str]]:
    handle = _binary(source)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise UnreadableFile("Tệp CSV phải được lưu bằng mã UTF-8.") from exc
    except csv.Error as exc:  # a field over csv's own limit (128 KB), a NUL byte, a bad quote
        raise FileTooLarge(
            f"Không đọc được tệp CSV từ dòng {_number(reader.line_num)}: ô quá dài, có ký tự "
            "NUL hoặc dấu ngoặc kép không đóng; hệ thống dừng đọc tệp."
        ) from exc
    finally:
        text.detach()
        if handle is not source:
            handle.close()


def _is_xlsx(source: Source, filename: str) -> bool:
    if isinstance(source, bytes | bytearray | memoryview):
        head = bytes(source[:4])
    else:
        handle = _binary(source)
        head = handle.read(4)
        if handle is source:
            handle.seek(0)
        else:
            handle.close()
    return head == XLSX_MAGIC or Path(filename).suffix.lower() in {".xlsx", ".xlsm"}


def raw_rows(source: Source, filename: str = "", limits: ReadLimits | None = None) -> Iterator:
    """The rows of the first sheet (xlsx) or of the CSV, chosen by content then by name, at
    most `limits.rows` data rows (and the header) of cells at most `limits.cell_chars` long;
    `FileTooLarge` at the first limit exceeded."""
    limits = limits or ReadLimits.from_settings()
    xlsx = _is_xlsx(source, filename)
    return _bounded(_raw_rows_xlsx(source, limits) if xlsx else _raw_rows_csv(source), limits)


def _bounded(rows: Iterator, limits: ReadLimits) -> Iterator:
    try:
        yield from _checked(rows, limits)
    finally:
        rows.close()


def _column_letter(number: int) -> str:
    """Excel's name of the 1-based column `number` (28 → "AB"), for a message."""
    from openpyxl.utils import get_column_letter  # with openpyxl's weight, only on an error

    return get_column_letter(number)


def _checked(rows: Iterator, limits: ReadLimits) -> Iterator:
    header: tuple = ()
    for number, values in enumerate(rows, start=1):
        if number > limits.rows + 1:
            if not any(value not in (None, "") for value in values):
                continue  # an empty or only formatted row past the limit holds nothing
            raise FileTooLarge(
                f"Tệp có hơn {_number(limits.rows)} dòng dữ liệu, vượt giới hạn của một lần "
                "nhập; hệ thống dừng đọc tệp. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn."
            )
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > limits.cell_chars:
                title = cell_text(header[index]) if index < len(header) else ""
                column = title or _column_letter(index + 1)
                raise FileTooLarge(
                    f'Dòng {number}, cột "{column}": ô dài {_number(len(value))} ký tự, vượt '
                    f"giới hạn {_number(limits.cell_chars)} ký tự; hệ thống dừng đọc tệp."
                )
        if number == 1:
            header = tuple(values)
        yield values


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


def read_table(
    source: Source, columns: list[Column], filename: str = "", limits: ReadLimits | None = None
) -> Table:
    """Match the header row to `columns` and keep every non-empty row's matched cells.

    `source` is the file (bytes, a path or a binary file object, read as a stream within the
    reading limits), or a `Table` already read for these columns, returned as it is.
    """
    if isinstance(source, Table):
        return source
    table = Table(all_keys=tuple(column.key for column in columns))
    by_folded = {
        fold(header): column for column in columns for header in (column.header, *column.aliases)
    }
    rows = raw_rows(source, filename, limits)
    try:
        _read_into(table, rows, columns, by_folded)
    finally:
        rows.close()
    return table


def _read_into(table: Table, rows, columns: list[Column], by_folded: dict) -> None:
    indexes = _read_header(table, next(rows, None), columns, by_folded)
    for number, kept in _kept_rows(rows, indexes or []):
        table.append(number, kept)


def _read_header(table: Table, header, columns: list[Column], by_folded: dict) -> list | None:
    """Match the header row to the columns (the table's keys, titles, problems and warnings);
    the positions of the matched columns, or None when the rows must not be read."""
    if header is None:
        table.problems.append(Problem(1, None, "tệp trống, không có dòng tiêu đề."))
        return None
    positions: dict[int, Column] = {}
    titles: list[str] = []
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
            titles.append(title_text)
    for column in columns:
        if column.required and column not in positions.values():
            table.problems.append(Problem(1, column.header, "thiếu cột bắt buộc."))
    table.keys = tuple(column.key for column in positions.values())
    table.titles = tuple(titles)
    return None if table.problems else list(positions)


def _kept_rows(rows, indexes: list[int]) -> Iterator[tuple[int, list]]:
    """(row number, cleaned cells of the matched columns) of every non-empty data row."""
    for number, values in enumerate(rows, start=2):
        width = len(values)
        kept = [clean_cell(values[i]) if i < width else None for i in indexes]
        if any(value is not None for value in kept):
            yield number, kept


def stream_table(
    source: Source, columns: list[Column], filename: str = "", limits: ReadLimits | None = None
) -> tuple[Table, Iterator[tuple[int, dict[str, Any]]]]:
    """`read_table` without keeping the rows: the table's header, titles and problems, and
    its rows (number, {column key: value}, as `Table.rows` gives them) read from the file as
    they are consumed, so an importer can plan a 200,000-row file without a second copy of it
    in memory. The reading limits raise while the rows are consumed. A `Table` already read
    (a web upload's) gives its own rows."""
    if isinstance(source, Table):
        return source, source.rows
    table = Table(all_keys=tuple(column.key for column in columns))
    by_folded = {
        fold(header): column for column in columns for header in (column.header, *column.aliases)
    }
    rows = raw_rows(source, filename, limits)
    try:
        indexes = _read_header(table, next(rows, None), columns, by_folded)
    except BaseException:
        rows.close()
        raise
    if indexes is None:
        rows.close()
        return table, iter(())
    return table, _records(table, rows, indexes)


def _records(table: Table, rows: Iterator, indexes: list[int]) -> Iterator:
    blank = dict.fromkeys(table.all_keys)
    try:
        for number, kept in _kept_rows(rows, indexes):
            record = blank.copy()
            # As a kept table gives them back: short text interned, any other value as stored.
            record.update(zip(table.keys, map(_as_kept, kept), strict=True))
            yield number, record
    finally:
        rows.close()


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(value: Any) -> datetime.date:
    """A date cell or `dd/mm/yyyy` text; ValueError with a Vietnamese message otherwise."""
    if isinstance(value, datetime.datetime):
        return _same_date(value.date())
    if isinstance(value, datetime.date):
        return value
    return _date_of_text(cell_text(value))


@lru_cache(maxsize=100_000)
def _same_date(day: datetime.date) -> datetime.date:
    """One object per distinct date: a large import holds three dates a row, mostly repeated."""
    return day


@lru_cache(maxsize=100_000)
def _date_of_text(text: str) -> datetime.date:
    match = _DATE_TEXT.match(text)
    if not match:
        raise ValueError(f"“{text}” không phải ngày dạng dd/mm/yyyy.")
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"ngày “{text}” không tồn tại.") from None
