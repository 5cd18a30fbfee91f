"""The exit statistics as a workbook: one sheet, the forms then the grounds."""

import io

from dangvien.core.workbooks import escape_formula
from dangvien.reports.render import heading
from dangvien.screening.statistics import ExitStatistics

TITLE = "Thống kê đảng viên ra khỏi Đảng theo hình thức và căn cứ"


def to_xlsx(report: ExitStatistics) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ra khỏi Đảng"
    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org.name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org.code)])
    sheet.append(["Kỳ", report.period_label])
    sheet.append([])
    heading(sheet, ["Hình thức", "Số đảng viên"])
    for label, count in report.by_form:
        sheet.append([label, count])
    sheet.append(["Tổng số", report.total])
    sheet.append([])
    heading(sheet, ["Căn cứ xóa tên (Điều lệ Đảng, Điều 8)", "Số đảng viên"])
    for label, count in report.by_ground:
        sheet.append([label, count])
    sheet.column_dimensions["A"].width = 80
    sheet.column_dimensions["B"].width = 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
