"""Renderings of one QualityReport: the JSON of formats.md, an xlsx workbook, HTML and PDF.

Every rendering reads the same dataclass; none of them queries the database.
"""

import io
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from dangvien.assessments.models import GRADES, SHORT_LABELS, Grade
from dangvien.core.workbooks import escape_formula
from dangvien.reports import charts
from dangvien.reports.quality import GradeCounts, QualityReport
from dangvien.reports.render import heading

TITLE = "Báo cáo xếp loại chất lượng"
# Excellent, good, completed, not completed: red, amber, blue, grey.
GRADE_COLORS = ["#b91c1c", "#f59e0b", "#2563eb", "#78716c"]


def _counts_json(counts: GradeCounts) -> dict:
    return {"assessed": counts.assessed, "grades": dict(counts.grades), "percent": counts.percent}


def as_json(report: QualityReport) -> dict:
    """The report exactly as formats.md, "Report JSON", `quality`."""
    return {
        "org": report.org_code,
        "year": report.year,
        "members": report.members,
        **_counts_json(report.counts),
        "organizations": _counts_json(report.organizations),
        "children": [
            {"org": child.code, "name": child.name, "members": child.members}
            | _counts_json(child.counts)
            for child in report.children
        ],
    }


def json_text(report: QualityReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class GradeRow:
    label: str
    count: int
    percent: float | None


def grade_rows(counts: GradeCounts) -> list[GradeRow]:
    """The four grades with their counts and shares of the graded, then the total graded."""
    rows = [
        GradeRow(Grade(slug).label, count, share)
        for (slug, count), share in zip(counts.grades.items(), counts.percent.values(), strict=True)
    ]
    return [*rows, GradeRow("Tổng số được xếp loại", counts.assessed, None)]


def history_chart(report: QualityReport) -> str | None:
    """Bars comparing the share of each grade over the years, None when no year has grades."""
    history = report.history.items()
    series = {
        SHORT_LABELS[grade]: {year: counts.percent[grade] for year, counts in history}
        for grade in GRADES
    }
    return charts.grouped_bar_chart(series, GRADE_COLORS)


def context(report: QualityReport, *, with_charts: bool = True) -> dict:
    """What the web page and the PDF show: the same tables, the same chart."""
    return {
        "report": report,
        "title": TITLE,
        "grade_rows": grade_rows(report.counts),
        "organization_rows": grade_rows(report.organizations),
        "short_labels": [SHORT_LABELS[grade] for grade in GRADES],
        "grade_tiles": [(SHORT_LABELS[grade], report.counts.grades[grade]) for grade in GRADES],
        "children": report.children,
        "history": [
            (year, counts, list(zip(counts.grades.values(), counts.percent.values(), strict=True)))
            for year, counts in report.history.items()
        ],
        "history_chart": history_chart(report) if with_charts else None,
        "not_graded_more": report.not_graded_count - len(report.not_graded),
        "without_result_more": (report.without_result_count or 0) - len(report.without_result),
    }


def to_pdf(report: QualityReport) -> bytes:
    """An A4 document printed by WeasyPrint from the same tables and chart as the web page."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string(
        "reports/quality_pdf.html", {**context(report), "printed_on": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()


def _grade_headers() -> list[str]:
    return [header for grade in GRADES for header in (SHORT_LABELS[grade], "%")]


def _grade_cells(counts: GradeCounts) -> list:
    return [cell for grade in GRADES for cell in (counts.grades[grade], counts.percent[grade])]


def to_xlsx(report: QualityReport) -> bytes:
    """Sheets: the grades of the year (members, organisations, years compared), the direct
    children, and the members not graded."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Xếp loại chất lượng"
    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org_name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org_code)])
    sheet.append(["Năm đánh giá", report.year])
    sheet.append(["Đảng viên (31/12)", report.members])
    sheet.append(["Được xếp loại", report.assessed])
    sheet.append([])
    for title, counts in (
        ("Xếp loại đảng viên", report.counts),
        ("Xếp loại tổ chức cơ sở đảng", report.organizations),
    ):
        heading(sheet, [title, "Số lượng", "Tỷ lệ (%)"])
        for row in grade_rows(counts):
            sheet.append([row.label, row.count, row.percent])
        sheet.append([])
    heading(sheet, ["Không xếp loại vì", "Số đảng viên"])
    for label, count in report.not_graded_reason_labels:
        sheet.append([label, count])
    sheet.append(["Tổng số không xếp loại", report.not_graded_count])
    sheet.append(["Chưa có kết quả xếp loại", report.no_result_count])
    sheet.append([])
    heading(sheet, ["Năm", "Được xếp loại", *_grade_headers()])
    for year, counts in report.history.items():
        sheet.append([year, counts.assessed, *_grade_cells(counts)])
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 14

    children = workbook.create_sheet("Tổ chức trực thuộc")
    heading(
        children,
        [
            "Mã tổ chức",
            "Tên tổ chức",
            "Đảng viên",
            "Được xếp loại",
            *_grade_headers(),
            "Không xếp loại",
            "Chưa có kết quả",
        ],
    )
    for child in report.children:
        children.append(
            [
                escape_formula(child.code),
                escape_formula(child.name),
                child.members,
                child.counts.assessed,
                *_grade_cells(child.counts),
                child.not_graded,
                child.no_result,
            ]
        )
    children.column_dimensions["A"].width = 16
    children.column_dimensions["B"].width = 44

    ungraded = workbook.create_sheet("Chưa xếp loại")
    heading(ungraded, ["Mã đảng viên", "Họ và tên", "Chi bộ", "Lý do", "Ghi chú"])
    for member in report.not_graded:
        ungraded.append(
            [
                escape_formula(value)
                for value in (
                    member.code,
                    member.full_name,
                    member.branch_name,
                    member.reason_label,
                    member.note,
                )
            ]
        )
    for letter, width in zip("ABCDE", (16, 30, 36, 40, 30), strict=True):
        ungraded.column_dimensions[letter].width = width
    if report.without_result_count is not None:
        missing = workbook.create_sheet("Chưa có kết quả")
        heading(missing, ["Mã đảng viên", "Họ và tên", "Chi bộ"])
        for member in report.without_result:
            missing.append(
                [escape_formula(v) for v in (member.code, member.full_name, member.branch_name)]
            )
        for letter, width in zip("ABC", (16, 30, 36), strict=True):
            missing.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
