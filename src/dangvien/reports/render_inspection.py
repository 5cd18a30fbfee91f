"""Renderings of one InspectionReport: the JSON of formats.md, an xlsx workbook, HTML and PDF.

Every rendering reads the same dataclass; none of them queries the database."""

import io
import json
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from dangvien.core.workbooks import escape_formula
from dangvien.discipline.models import DisciplineForm
from dangvien.inspections.models import InspectionForm
from dangvien.reports import charts
from dangvien.reports.inspection import ActivityCounts, InspectionReport, Subjects
from dangvien.reports.render import heading

TITLE = "Báo cáo kiểm tra, giám sát và kỷ luật"


def _subjects(subjects: Subjects) -> dict:
    return {"to_chuc": subjects.to_chuc, "dang_vien": subjects.dang_vien}


def _activity(counts: ActivityCounts) -> dict:
    return {
        **_subjects(counts.subjects),
        "theo_hinh_thuc": {form: _subjects(found) for form, found in counts.by_form.items()},
    }


def as_json(report: InspectionReport) -> dict:
    """The report exactly as formats.md, "Report JSON", `inspection`, with the extra keys
    `name`, `as_of` (the day the tree is read on), `phai_ky_luat` (of `vi_pham`, the subjects
    concluded "must be disciplined") and, per child, `name`, `vi_pham` and `ky_luat` (its
    decisions)."""
    return {
        "org": report.org_code,
        "name": report.org_name,
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "kiem_tra": _activity(report.kiem_tra),
        "giam_sat": _activity(report.giam_sat),
        "vi_pham": _subjects(report.vi_pham),
        "phai_ky_luat": _subjects(report.phai_ky_luat),
        "ky_luat": {
            "to_chuc": dict(report.ky_luat_to_chuc),
            "dang_vien": dict(report.ky_luat_dang_vien),
        },
        "children": [
            {
                "org": child.code,
                "name": child.name,
                "kiem_tra": _subjects(child.kiem_tra),
                "giam_sat": _subjects(child.giam_sat),
                "vi_pham": _subjects(child.vi_pham),
                "ky_luat": child.ky_luat,
            }
            for child in report.children
        ],
    }


def json_text(report: InspectionReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class FormRow:
    label: str
    subjects: Subjects


def form_rows(counts: ActivityCounts) -> list[FormRow]:
    return [FormRow(InspectionForm(form).label, found) for form, found in counts.by_form.items()]


def discipline_rows(report: InspectionReport) -> list[tuple[str, int, int | None]]:
    """(form, on organisations, on members): None where the subject cannot receive it."""
    forms = dict.fromkeys([*report.ky_luat_dang_vien, *report.ky_luat_to_chuc])
    return [
        (
            DisciplineForm(form).label,
            report.ky_luat_to_chuc.get(form),
            report.ky_luat_dang_vien.get(form),
        )
        for form in forms
    ]


def subjects_chart(report: InspectionReport) -> str | None:
    """Bars of the subjects inspected and supervised per form; None when there are none."""
    counts = {
        f"{counts.label}: {InspectionForm(form).label.lower()}": found.total
        for counts in (report.kiem_tra, report.giam_sat)
        for form, found in counts.by_form.items()
        if found.total
    }
    return charts.bar_chart(counts)


def context(report: InspectionReport, *, with_charts: bool = True) -> dict:
    """What the web page and the PDF show: the same tables, the same chart."""
    return {
        "report": report,
        "title": TITLE,
        "activities": [
            (report.kiem_tra, form_rows(report.kiem_tra)),
            (report.giam_sat, form_rows(report.giam_sat)),
        ],
        "discipline_rows": discipline_rows(report),
        "subjects_chart": subjects_chart(report) if with_charts else None,
        "children": report.children,
    }


def to_pdf(report: InspectionReport) -> bytes:
    """An A4 document printed by WeasyPrint from the same tables and chart as the web page."""
    from weasyprint import HTML  # heavy import, only when a PDF is made

    html = render_to_string(
        "reports/inspection_pdf.html", {**context(report), "printed_on": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()


def to_xlsx(report: InspectionReport) -> bytes:
    """Two sheets: the subtree's figures (activities by form, violations, discipline) and the
    direct children."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kiểm tra, giám sát"
    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org_name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org_code)])
    sheet.append(["Năm", report.year])
    sheet.append([])
    for counts, rows in context(report, with_charts=False)["activities"]:
        heading(sheet, [f"{counts.label} theo hình thức", "Tổ chức đảng", "Đảng viên"])
        for row in rows:
            sheet.append([row.label, row.subjects.to_chuc, row.subjects.dang_vien])
        sheet.append(
            [
                f"Tổng số được {counts.label.lower()}",
                counts.subjects.to_chuc,
                counts.subjects.dang_vien,
            ]
        )
        sheet.append([])
    heading(sheet, ["Kết luận có vi phạm", "Tổ chức đảng", "Đảng viên"])
    sheet.append(["Số được kết luận có vi phạm", report.vi_pham.to_chuc, report.vi_pham.dang_vien])
    sheet.append(
        [
            "Trong đó phải kỷ luật",
            report.phai_ky_luat.to_chuc,
            report.phai_ky_luat.dang_vien,
        ]
    )
    sheet.append([])
    heading(sheet, ["Kỷ luật theo hình thức", "Tổ chức đảng", "Đảng viên"])
    for label, on_orgs, on_members in discipline_rows(report):
        sheet.append([label, on_orgs, on_members])
    for letter, width in zip("ABC", (46, 16, 16), strict=True):
        sheet.column_dimensions[letter].width = width

    children = workbook.create_sheet("Tổ chức trực thuộc")
    heading(
        children,
        [
            "Mã tổ chức",
            "Tên tổ chức",
            "Loại tổ chức",
            "Kiểm tra: tổ chức",
            "Kiểm tra: đảng viên",
            "Giám sát: tổ chức",
            "Giám sát: đảng viên",
            "Vi phạm: tổ chức",
            "Vi phạm: đảng viên",
            "Quyết định kỷ luật",
        ],
    )
    for child in report.children:
        children.append(
            [
                escape_formula(child.code),
                escape_formula(child.name),
                child.kind_label,
                child.kiem_tra.to_chuc,
                child.kiem_tra.dang_vien,
                child.giam_sat.to_chuc,
                child.giam_sat.dang_vien,
                child.vi_pham.to_chuc,
                child.vi_pham.dang_vien,
                child.ky_luat,
            ]
        )
    for letter, width in zip("ABCDEFGHIJ", (16, 44, 30, 12, 12, 12, 12, 12, 12, 12), strict=True):
        children.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
