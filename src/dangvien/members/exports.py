"""Streaming exports of a filtered member list: csv row by row, xlsx through a temporary file.

Neither holds the list in memory: rows come from the database in chunks, so 300,000 members
export within a small, constant memory.
"""

import csv
import io
import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangvien.core.workbooks import escape_formula
from dangvien.members.columns import ListColumn, as_text, value_fields

CHUNK = 2000


def _rows(queryset, columns: list[ListColumn]) -> Iterator[list]:
    fields = value_fields(columns)
    for row in queryset.values(*fields).iterator(chunk_size=CHUNK):
        yield [column.value(row) for column in columns]


def csv_chunks(queryset, columns: list[ListColumn]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([column.label for column in columns])
    for index, row in enumerate(_rows(queryset, columns), start=1):
        writer.writerow([escape_formula(as_text(value)) for value in row])
        if index % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(queryset, columns: list[ListColumn]):
    """A temporary file holding the workbook (write-only mode streams rows to disk)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách đảng viên")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(queryset, columns):
        sheet.append([escape_formula(as_text(value)) for value in row])
    # Closed by the FileResponse that streams it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
