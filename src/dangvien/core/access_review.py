"""The access review as a file: the filtered reads and account events, csv or xlsx, streamed
row by row (a long period of a large province holds many rows)."""

import csv
import io
import tempfile
from collections.abc import Iterator

import xlsxwriter
from django.utils import timezone

from dangvien.core.workbooks import escape_formula

HEADER = ["Thời điểm", "Tài khoản", "Họ và tên", "Thao tác", "Đối tượng", "Chi tiết"]


def _rows(entries) -> Iterator[list[str]]:
    for entry in entries.iterator(chunk_size=2000):
        actor = entry.actor
        yield [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            actor.username if actor else "",
            actor.full_name if actor else "",
            entry.action_label,
            entry.target_label,
            "; ".join(f"{label}: {text}" for label, text in entry.detail_rows()),
        ]


def csv_chunks(entries) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    for index, row in enumerate(_rows(entries), start=1):
        writer.writerow([escape_formula(value) for value in row])
        if index % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_file(entries):
    """A temporary file holding the workbook, every cell written as text."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (closed by the FileResponse)
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet("Nhật ký truy cập")
    sheet.write_row(0, 0, HEADER, workbook.add_format({"bold": True}))
    for number, row in enumerate(_rows(entries), start=1):
        sheet.write_row(number, 0, [escape_formula(value) for value in row])
    workbook.close()
    handle.seek(0)
    return handle
