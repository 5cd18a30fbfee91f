"""Renderings of one StructureReport: the JSON of formats.md, an xlsx workbook, HTML and PDF.

Every rendering reads the same dataclass; none of them queries the database.
"""

import io
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from dangvien.core.workbooks import escape_formula
from dangvien.organizations.models import kind_label
from dangvien.reports import charts
from dangvien.reports.structure import BREAKDOWN_TITLES, StructureReport, sector_label

TITLE = "Báo cáo cơ cấu đảng viên"
SECTORS_TITLE = "Tổ chức cơ sở đảng theo loại hình"
TRANSFERS_TITLE = "Chuyển sinh hoạt đảng"
# Shown as a pie; the other breakdowns as bars.
PIE_BREAKDOWNS = {"gioi_tinh"}


def percent(part: int, whole: int) -> float | None:
    """A share in percent rounded to 2 decimals; None when the whole is 0 (formats.md)."""
    return round(100 * part / whole, 2) if whole else None


def as_json(report: StructureReport) -> dict:
    """The report exactly as formats.md, "Report JSON", `structure`."""
    return {
        "org": report.org_code,
        "name": report.org_name,
        "as_of": report.as_of.isoformat(),
        "members": report.members,
        "official": report.official,
        "probationary": report.probationary,
        "organizations": dict(report.organizations),
        "breakdown": {key: dict(counts) for key, counts in report.breakdown.items()},
        "co_so_theo_loai_hinh": dict(report.base_by_sector),
        "chuyen_sinh_hoat": report.transfers.as_json(),
    }


def json_text(report: StructureReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class BreakdownTable:
    key: str
    title: str
    rows: list[Row]
    chart: str | None  # an SVG data URI, None when there is nothing to draw


def summary_rows(report: StructureReport) -> list[Row]:
    return [
        Row("Tổng số đảng viên", report.members, percent(report.members, report.members)),
        Row("Đảng viên chính thức", report.official, percent(report.official, report.members)),
        Row("Đảng viên dự bị", report.probationary, percent(report.probationary, report.members)),
    ]


def organization_rows(report: StructureReport) -> list[Row]:
    return [Row(kind_label(kind), count, None) for kind, count in report.organizations.items()]


def sector_rows(report: StructureReport) -> list[Row]:
    """Every sector, "Chưa ghi loại hình" last, with its share of the base organisations."""
    bases = sum(report.base_by_sector.values())
    return [
        Row(sector_label(slug), count, percent(count, bases))
        for slug, count in report.base_by_sector.items()
    ]


def transfer_rows(report: StructureReport) -> list[Row]:
    return [Row(label, count, None) for label, count in report.transfers.rows()]


def sector_chart(rows: list[Row]) -> str | None:
    """Bars of the sectors that have a base organisation, every one of them (no "Khác" bar
    summing the rest: "Khác" is a sector)."""
    counts = {row.label: row.count for row in rows if row.count}
    return charts.bar_chart(counts, max_bars=len(counts))


def breakdown_tables(report: StructureReport, *, with_charts: bool = True) -> list[BreakdownTable]:
    tables = []
    for key, counts in report.breakdown.items():
        chart = None
        if with_charts:
            chart = charts.pie_chart(counts) if key in PIE_BREAKDOWNS else charts.bar_chart(counts)
        rows = [
            Row(label, count, percent(count, report.members)) for label, count in counts.items()
        ]
        tables.append(BreakdownTable(key, BREAKDOWN_TITLES[key], rows, chart))
    return tables


def context(report: StructureReport, *, with_charts: bool = True) -> dict:
    """What the web page and the PDF show: the same tables, the same charts."""
    sectors = sector_rows(report)
    return {
        "report": report,
        "title": TITLE,
        "summary_rows": summary_rows(report),
        "organization_rows": organization_rows(report),
        "sectors_title": SECTORS_TITLE,
        "sector_rows": sectors,
        "sector_chart": sector_chart(sectors) if with_charts else None,
        "transfers_title": TRANSFERS_TITLE,
        "transfer_rows": transfer_rows(report),
        "breakdowns": breakdown_tables(report, with_charts=with_charts),
        "children": [(child, percent(child.members, report.members)) for child in report.children],
    }


def to_pdf(report: StructureReport) -> bytes:
    """An A4 document printed by WeasyPrint from the same tables and charts as the web page."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string(
        "reports/structure_pdf.html",
        {**context(report), "printed_on": timezone.localdate()},
    )
    return HTML(string=html).write_pdf()


def heading(sheet, values: list) -> None:
    """A header row in white on the report red (shared by the report workbooks)."""
    from openpyxl.styles import Font, PatternFill

    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B91C1C")
    sheet.append([escape_formula(value) for value in values])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = head_font, head_fill


def _rows(sheet, rows: list[Row]) -> None:
    for row in rows:
        sheet.append([escape_formula(row.label), row.count, row.percent])


def to_xlsx(report: StructureReport) -> bytes:
    """Two sheets: the structure (summary, organisations, base organisations by sector,
    breakdowns) and the direct children."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cơ cấu đảng viên"
    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org_name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org_code)])
    sheet.append(["Tính đến ngày", report.as_of])
    sheet["B4"].number_format = "dd/mm/yyyy"
    sheet["B4"].alignment = Alignment(horizontal="left")
    sheet.append([])
    heading(sheet, ["Đảng viên", "Số lượng", "Tỷ lệ (%)"])
    _rows(sheet, summary_rows(report))
    sheet.append([])
    heading(sheet, ["Tổ chức đảng trực thuộc", "Số lượng"])
    for row in organization_rows(report):
        sheet.append([escape_formula(row.label), row.count])
    sheet.append([])
    heading(sheet, [SECTORS_TITLE, "Số lượng", "Tỷ lệ (%)"])
    _rows(sheet, sector_rows(report))
    sheet.append([])
    period = f"{report.transfers.start:%d/%m/%Y} – {report.transfers.end:%d/%m/%Y}"
    heading(sheet, [f"{TRANSFERS_TITLE} ({period})", "Số đảng viên"])
    for row in transfer_rows(report):
        sheet.append([escape_formula(row.label), row.count])
    for table in breakdown_tables(report, with_charts=False):
        sheet.append([])
        heading(sheet, [table.title, "Số đảng viên", "Tỷ lệ (%)"])
        _rows(sheet, table.rows)
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 12

    children = workbook.create_sheet("Tổ chức trực thuộc")
    heading(
        children,
        [
            "Mã tổ chức",
            "Tên tổ chức",
            "Loại tổ chức",
            "Đảng viên",
            "Chính thức",
            "Dự bị",
            "Tỷ lệ (%)",
        ],
    )
    for child in report.children:
        children.append(
            [
                escape_formula(child.code),
                escape_formula(child.name),
                child.kind_label,
                child.members,
                child.official,
                child.probationary,
                percent(child.members, report.members),
            ]
        )
    for letter, width in zip("ABCDEFG", (16, 44, 30, 12, 12, 10, 10), strict=True):
        children.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
