"""Renderings of one ProgrammeReport: the JSON of formats.md, an xlsx workbook, HTML and PDF.

Every rendering reads the same dataclass; none of them queries the database."""

import io
import json

from django.template.loader import render_to_string
from django.utils import timezone

from dangvien.core.workbooks import escape_formula
from dangvien.programmes.targets import TargetFigures, number
from dangvien.reports import charts
from dangvien.reports.programme import ProgrammeReport
from dangvien.reports.render import heading

TITLE = "Báo cáo thực hiện chương trình hành động"
MET_LABELS = {True: "Đạt", False: "Không đạt", None: "Chưa có số liệu"}


def _target(row: TargetFigures) -> dict:
    """One target as formats.md writes it, with the extra keys `computed`, `basis` (what a
    computed value was counted from: `count`, `of`, and `year` for a share of graded ones) or
    `evidence` and `result_on` (a hand-tracked one)."""
    found = {
        "indicator": row.key,
        "label": row.label,
        "comparator": row.comparator,
        "target": row.target_number,
        "actual": row.actual,
        "met": row.met,
        "computed": row.computed,
    }
    if row.computed:
        found["basis"] = row.measure.as_json()
    else:
        found["evidence"] = row.evidence
        found["result_on"] = row.result_on.isoformat() if row.result_on else None
    return found


def as_json(report: ProgrammeReport) -> dict:
    """The report exactly as formats.md, "Report JSON", `programme`, with the extra keys `name`,
    `as_of`, `programme` (its title, number and date; null without one) and `reviews`."""
    programme = report.programme
    return {
        "org": report.org_code,
        "name": report.org_name,
        "from": report.year_from,
        "to": report.year_to,
        "as_of": report.as_of.isoformat(),
        "programme": None
        if programme is None
        else {
            "title": programme.title,
            "number": programme.number,
            "adopted_on": programme.adopted_on.isoformat() if programme.adopted_on else None,
        },
        "targets": [_target(row) for row in report.targets],
        "reviews": [
            {
                "kind": review.kind_label,
                "year": review.year,
                "reviewed_on": review.reviewed_on.isoformat(),
                "targets": [
                    {
                        "indicator": figure.target.key,
                        "label": figure.label,
                        "comparator": figure.comparator,
                        "target": number(figure.value),
                        "actual": number(figure.actual),
                        "met": figure.met,
                    }
                    for figure in review.figures
                ],
            }
            for review in report.reviews
        ],
    }


def json_text(report: ProgrammeReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


def charts_of(report: ProgrammeReport) -> list[tuple[str, str]]:
    """(title, SVG) of the computed targets in percent, of those counted, and of those tracked
    by hand (their unit unknown), each actual against its target; none for a kind without."""
    kinds = (
        ("Chỉ tiêu tỷ lệ (%)", "%", lambda row: row.computed and row.is_percent),
        ("Chỉ tiêu số lượng", "", lambda row: row.computed and not row.is_percent),
        ("Chỉ tiêu theo dõi thủ công", "", lambda row: not row.computed),
    )
    found = []
    for title, unit, wanted in kinds:
        items = [
            (row.label, row.target_number, row.actual) for row in report.targets if wanted(row)
        ]
        if chart := charts.target_chart(items, unit):
            found.append((title, chart))
    return found


def context(report: ProgrammeReport, *, with_charts: bool = True) -> dict:
    """What the web page and the PDF show: the same table, the same charts."""
    return {
        "report": report,
        "title": TITLE,
        "charts": charts_of(report) if with_charts else [],
        "met_labels": MET_LABELS,
    }


def to_pdf(report: ProgrammeReport) -> bytes:
    """An A4 document printed by WeasyPrint from the same tables and charts as the web page."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string(
        "reports/programme_pdf.html", {**context(report), "printed_on": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()


def _shown(actual):
    return actual if actual is not None else "Chưa có số liệu"


def to_xlsx(report: ProgrammeReport) -> bytes:
    """Two sheets: the targets with actual and met, and the reviews' frozen figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org_name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org_code)])
    sheet.append(["Kỳ", report.period_label])
    if report.programme is not None:
        sheet.append(["Chương trình", escape_formula(report.programme.title)])
        sheet.append(["Số văn bản", escape_formula(report.programme.number)])
    sheet.append(["Số liệu tính đến ngày", report.as_of.strftime("%d/%m/%Y")])
    sheet.append([])
    heading(
        sheet,
        ["Chỉ tiêu", "Mã chỉ tiêu", "So sánh", "Chỉ tiêu đề ra", "Thực hiện", "Đánh giá", "Căn cứ"],
    )
    for row in report.targets:
        basis = ""
        if row.computed and row.measure.of is not None:
            basis = f"{row.measure.count}/{row.measure.of}"
            if row.measure.year is not None:
                basis += f" (năm {row.measure.year})"
        elif not row.computed:
            basis = row.evidence
        sheet.append(
            [
                escape_formula(row.label),
                row.indicator or "thủ công",
                row.comparator,
                row.target_number,
                _shown(row.actual),
                MET_LABELS[row.met],
                escape_formula(basis),
            ]
        )
    for letter, width in zip("ABCDEFG", (60, 24, 10, 14, 14, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width

    reviews = workbook.create_sheet("Sơ kết, tổng kết")
    heading(
        reviews,
        [
            "Đợt",
            "Năm",
            "Ngày",
            "Chỉ tiêu",
            "So sánh",
            "Chỉ tiêu đề ra",
            "Thực hiện",
            "Đánh giá",
            "Đính chính",
        ],
    )
    for review in report.reviews:
        for figure in review.figures:
            reviews.append(
                [
                    review.kind_label,
                    review.year,
                    review.reviewed_on.strftime("%d/%m/%Y"),
                    escape_formula(figure.label),
                    figure.comparator,
                    number(figure.value),
                    _shown(number(figure.actual)),
                    MET_LABELS[figure.met],
                    escape_formula(figure.corrected_reason),
                ]
            )
    for letter, width in zip("ABCDEFGHI", (20, 8, 12, 60, 10, 14, 14, 16, 40), strict=True):
        reviews.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
