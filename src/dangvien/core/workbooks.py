"""Downloadable templates for every spreadsheet of formats.md: header row plus example rows."""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from dangvien.core.vntext import fold

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What a spreadsheet program may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Make a cell value safe to open: text starting with = + - @, a tab or a carriage return
    gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class TemplateGuide:
    """What a template holds beyond its headers, which only the layer above the apps knows
    (site.apps provides it): what each column of an import kind holds (header → text), example
    rows of a kind that import into the demo, the demo's name."""

    column_help: Callable[[str], dict[str, str]]
    example_rows: Callable[[str, datetime.date], list[list]]
    demo_name: Callable[[], str]


_guides: list[TemplateGuide] = []


def provide_template_guide(guide: TemplateGuide) -> None:
    _guides[:] = [guide]


def template_guide() -> TemplateGuide:
    if not _guides:
        raise ImproperlyConfigured("No app provides the import templates' guide (see site.apps).")
    return _guides[0]


def template_name(label: str) -> str:
    """«mau-nhap-to-chuc-dang»: the template's file name, from the import's Vietnamese label."""
    return "mau-nhap-" + "-".join(fold(label).replace(",", "").split())


def template_workbook(import_kind, extension: str) -> tuple[bytes, str]:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    columns = [column for column in import_kind.columns if column.in_template]
    headers = [column.header for column in columns]
    rows = template_guide().example_rows(import_kind.slug, timezone.localdate())
    if extension == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([[escape_formula(v) for v in row] for row in rows])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = import_kind.label[:1].upper() + import_kind.label[1:31]
    sheet.append(headers)
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = Font(bold=True, color="FFFFFF" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="B91C1C" if column.required else "FDE68A")
        sheet.column_dimensions[cell.column_letter].width = max(18, len(column.header) + 6)
    for row in rows:
        sheet.append([escape_formula(v) for v in row])
    _instructions(workbook.create_sheet("Hướng dẫn"), import_kind)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), XLSX_TYPE


def _instructions(sheet, import_kind) -> None:
    """Each column of the template: required or not, and the values it takes."""
    from openpyxl.styles import Font

    guide = template_guide()
    helps, demo = guide.column_help(import_kind.slug), guide.demo_name()
    sheet.append([f"Hướng dẫn điền mẫu nhập {import_kind.label}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            "Dòng 1 của trang đầu là tiêu đề cột, giữ nguyên; mỗi dòng sau là một "
            f"{import_kind.label}. Cột tô đỏ là bắt buộc. Các dòng ví dụ dùng mã của dữ liệu mẫu "
            f"({demo}) và nhập được vào bản demo; xóa chúng trước khi nhập dữ liệu thật."
        ]
    )
    sheet.append([])
    sheet.append(["Cột", "Bắt buộc", "Giá trị"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for column in import_kind.columns:  # the alternatives not in the template explained too
        sheet.append(
            [column.header, "Có" if column.required else "Không", helps.get(column.header, "")]
        )
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 110


def annotated_workbook(table, problems) -> bytes:
    """The rows of an upload, as kept when it was read (core/uploads.py), with a "Lỗi" column
    explaining each row's problems and the faulty cells filled red, at their row numbers, so
    an officer fixes the file where they see the errors. Written in openpyxl's write-only
    mode, row after row, so a large file's workbook is not held cell by cell in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    by_row: dict[int, list] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(problem)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Lỗi nhập")
    sheet.column_dimensions["A"].width = 60
    red = PatternFill("solid", fgColor="FCA5A5")
    position = {fold(title): index for index, title in enumerate(table.titles)}

    def styled(value, **style):
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    header_problems = "; ".join(_explained(by_row.get(1, [])))
    first = f"Lỗi (tiêu đề: {header_problems})" if header_problems else "Lỗi"
    sheet.append(
        [styled(first, font=Font(bold=True))]
        + [styled(escape_formula(title), font=Font(bold=True)) for title in table.titles]
    )
    written = 1
    for number, values in table.cells():
        while written < number - 1:  # blank rows of the file keep their place
            sheet.append([])
            written += 1
        row_problems = by_row.get(number, [])
        cells = [escape_formula(value) for value in values]
        if row_problems:
            text = "; ".join(_explained(row_problems))
            faulty = {position.get(fold(p.column)) for p in row_problems if p.column}
            cells = [styled(text, font=Font(color="B91C1C", bold=True))] + [
                styled(value, fill=red) if index in faulty else value
                for index, value in enumerate(cells)
            ]
        else:
            cells = ["", *cells]
        sheet.append(cells)
        written = number
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _explained(problems) -> list[str]:
    """Each problem of a row, its column named, without the full stop its message ends with
    when several are joined by "; " (not «…quản lý.; Số CCCD…»): the last keeps it."""
    texts = [f"{p.column}: {p.message}" if p.column else p.message for p in problems]
    return [text.rstrip(".") for text in texts[:-1]] + texts[-1:]
