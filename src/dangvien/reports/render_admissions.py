"""Renderings of one AdmissionsReport: the JSON of formats.md, an xlsx workbook, HTML and PDF.

Every rendering reads the same dataclass; none of them queries the database.
"""

import io
import json

from django.template.loader import render_to_string
from django.utils import timezone

from dangvien.core.workbooks import escape_formula
from dangvien.reports import charts
from dangvien.reports.admissions import (
    BREAKDOWN_TITLES,
    PIPELINE_LABELS,
    POOL_KEYS,
    AdmissionsReport,
)
from dangvien.reports.render import BreakdownTable, Row, heading, percent

TITLE = "Báo cáo phát triển đảng viên"


def as_json(report: AdmissionsReport) -> dict:
    """The report exactly as formats.md, "Report JSON", `admissions`, with the extra keys
    `name`, `as_of` (the last day counted), `pipeline` and `pipeline_as_of` (the day its pool
    was counted on: today, also for a past period), and `stretch_target`,
    `percent_of_stretch_target` (chỉ tiêu phấn đấu; null when none is set)."""
    return {
        "org": report.org_code,
        "name": report.org_name,
        "from": report.year_from,
        "to": report.year_to,
        "as_of": report.end.isoformat(),
        "admitted": report.admitted,
        "target": report.target,
        "percent_of_target": report.percent_of_target,
        "stretch_target": report.stretch_target,
        "percent_of_stretch_target": report.percent_of_stretch_target,
        "breakdown": {key: dict(counts) for key, counts in report.breakdown.items()},
        "children": [
            {
                "org": child.code,
                "name": child.name,
                "admitted": child.admitted,
                "target": child.target,
                "percent_of_target": child.percent_of_target,
                "stretch_target": child.stretch_target,
                "percent_of_stretch_target": child.percent_of_stretch_target,
            }
            for child in report.children
        ],
        "pipeline": dict(report.pipeline),
        "pipeline_as_of": report.pool_on.isoformat(),
    }


def json_text(report: AdmissionsReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


def breakdown_tables(report: AdmissionsReport) -> list[BreakdownTable]:
    """Each breakdown of those admitted, with the shares of all admitted."""
    return [
        BreakdownTable(
            key,
            BREAKDOWN_TITLES[key],
            [Row(label, count, percent(count, report.admitted)) for label, count in counts.items()],
            chart=None,  # the page draws the pipeline, not each breakdown
        )
        for key, counts in report.breakdown.items()
    ]


def pipeline_rows(report: AdmissionsReport) -> list[Row]:
    """The way from the pool to official membership; "official" as a share of those admitted."""
    return [
        Row(
            PIPELINE_LABELS[key],
            count,
            percent(count, report.admitted) if key == "official" else None,
        )
        for key, count in report.pipeline.items()
    ]


def pipeline_chart(report: AdmissionsReport) -> str | None:
    """Bars from the pool down to the official members, None when every count is 0."""
    return charts.bar_chart({PIPELINE_LABELS[key]: n for key, n in report.pipeline.items()})


def context(report: AdmissionsReport, *, with_charts: bool = True) -> dict:
    """What the web page and the PDF show: the same tables, the same chart."""
    return {
        "report": report,
        "title": TITLE,
        "breakdowns": breakdown_tables(report),
        "pipeline_rows": pipeline_rows(report),
        "pool_rows": len(POOL_KEYS),  # the first rows: the pool, today's (report.pool_label)
        "pipeline_chart": pipeline_chart(report) if with_charts else None,
        "children": report.children,
    }


def to_pdf(report: AdmissionsReport) -> bytes:
    """An A4 document printed by WeasyPrint from the same tables and chart as the web page."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string(
        "reports/admissions_pdf.html", {**context(report), "printed_on": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()


def _summary(sheet, report: AdmissionsReport) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org_name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org_code)])
    sheet.append(["Kỳ báo cáo", report.period_label.capitalize()])
    sheet.append(["Từ ngày", report.start])
    sheet.append(["Đến ngày", report.end])
    for cell in ("B5", "B6"):
        sheet[cell].number_format = "dd/mm/yyyy"
        sheet[cell].alignment = Alignment(horizontal="left")
    sheet.append(["Đã kết nạp", report.admitted])
    sheet.append(["Chỉ tiêu kết nạp", report.target])
    sheet.append(["Tỷ lệ so với chỉ tiêu (%)", report.percent_of_target])
    sheet.append(["Nguồn kết nạp tính đến ngày", report.pool_on])
    sheet["B10"].number_format = "dd/mm/yyyy"
    sheet["B10"].alignment = Alignment(horizontal="left")
    sheet.append(["Chỉ tiêu phấn đấu", report.stretch_target])
    sheet.append(["Tỷ lệ so với chỉ tiêu phấn đấu (%)", report.percent_of_stretch_target])
    sheet.append([])


def to_xlsx(report: AdmissionsReport) -> bytes:
    """Two sheets: the admissions (summary, pipeline, breakdowns) and the direct children."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phát triển đảng viên"
    _summary(sheet, report)
    if report.pool_label:  # a past period: the pool's counts are today's
        sheet.append([f"{report.pool_label}: {report.pool_note}"])
    heading(sheet, ["Từ nguồn đến đảng viên chính thức", "Số lượng", "Tỷ lệ (%)"])
    for row in pipeline_rows(report):
        sheet.append([row.label, row.count, row.percent])
    for table in breakdown_tables(report):
        sheet.append([])
        heading(sheet, [table.title, "Số người được kết nạp", "Tỷ lệ (%)"])
        for row in table.rows:
            sheet.append([escape_formula(row.label), row.count, row.percent])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 12

    children = workbook.create_sheet("Tổ chức trực thuộc")
    heading(
        children,
        [
            "Mã tổ chức",
            "Tên tổ chức",
            "Loại tổ chức",
            "Đã kết nạp",
            "Chỉ tiêu",
            "Tỷ lệ (%)",
            "Chỉ tiêu phấn đấu",
            "Tỷ lệ so với phấn đấu (%)",
        ],
    )
    for child in report.children:
        children.append(
            [
                escape_formula(child.code),
                escape_formula(child.name),
                child.kind_label,
                child.admitted,
                child.target,
                child.percent_of_target,
                child.stretch_target,
                child.percent_of_stretch_target,
            ]
        )
    for letter, width in zip("ABCDEFGH", (16, 44, 30, 12, 12, 10, 12, 12), strict=True):
        children.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
