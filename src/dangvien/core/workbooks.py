"""Downloadable templates for every spreadsheet of formats.md: header row plus example rows."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_formula(value):
    """Make a cell value safe to open: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def template_workbook(import_kind, extension: str) -> tuple[bytes, str]:
    headers = [column.header for column in import_kind.columns]
    rows = import_kind.example_rows
    if extension == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([[escape_formula(v) for v in row] for row in rows])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = import_kind.slug
    sheet.append(headers)
    for cell, column in zip(sheet[1], import_kind.columns, strict=True):
        cell.font = Font(bold=True, color="FFFFFF" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="B91C1C" if column.required else "FDE68A")
        sheet.column_dimensions[cell.column_letter].width = max(18, len(column.header) + 6)
    for row in rows:
        sheet.append([escape_formula(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_TYPE


def annotated_workbook(content: bytes, filename: str, problems) -> bytes:
    """The uploaded sheet with a "Lỗi" column explaining each row's problems and the faulty
    cells filled red, so an officer fixes the file where they see the errors."""
    from dangvien.core.spreadsheets import cell_text, raw_rows
    from dangvien.core.vntext import fold

    by_row: dict[int, list] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(problem)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lỗi nhập"
    red = PatternFill("solid", fgColor="FCA5A5")
    header: list[str] = []
    for number, values in enumerate(raw_rows(content, filename), start=1):
        values = [escape_formula(value) for value in values]
        if number == 1:
            header = [cell_text(value) for value in values]
            sheet.append(["Lỗi", *values])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        else:
            sheet.append(["", *values])
        row_problems = by_row.get(number, [])
        if row_problems:
            sheet.cell(
                number,
                1,
                "; ".join(
                    f"{p.column}: {p.message}" if p.column else p.message for p in row_problems
                ),
            ).font = Font(color="B91C1C", bold=True)
            for problem in row_problems:
                if problem.column and fold(problem.column) in map(fold, header):
                    index = [fold(h) for h in header].index(fold(problem.column))
                    sheet.cell(number, index + 2).fill = red
    sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
