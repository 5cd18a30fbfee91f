"""The dues report as a workbook (xlsx): one row a unit, the totals last."""

import io

from dangvien.core.workbooks import escape_formula
from dangvien.dues.report import DuesReport

HEADERS = [
    "Đơn vị",
    "Số đảng viên",
    "Chưa khai báo mức đóng",
    "Phải thu (đồng)",
    "Đã thu (đồng)",
    "Tỷ lệ (%)",
    "Số tháng đã nộp",
    "Cảnh báo Điều 8",
]


def report_workbook(report: DuesReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Đảng phí"
    sheet.append([f"Đảng phí {report.period}: {report.org.name}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in [*report.rows, report.total]:
        name = "Tổng cộng" if row is report.total else row.name
        sheet.append(
            [
                escape_formula(name),
                row.members,
                row.undeclared,
                row.due,
                row.collected,
                row.percent,
                row.payments,
                row.flagged,
            ]
        )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
