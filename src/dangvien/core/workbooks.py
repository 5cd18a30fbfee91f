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
