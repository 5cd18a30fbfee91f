"""Renderings of one AwardsReport: the JSON of formats.md (`report awards`) and an xlsx
workbook; the web page reads the same dataclass (reports/awards.html). None of them queries the
database."""

import io
import json

from dangvien.core.workbooks import escape_formula
from dangvien.reports.awards import AwardsReport
from dangvien.reports.render import heading

TITLE = "Báo cáo khen thưởng và Huy hiệu Đảng"


def as_json(report: AwardsReport) -> dict:
    """Exactly formats.md, "Report JSON", `report awards`."""
    return {
        "org": report.org_code,
        "year": report.year,
        "to_chuc_xuat_sac_5_nam": [
            {"org": row.code, "name": row.name, "type": row.kind} for row in report.organisations
        ],
        "dang_vien_xuat_sac_5_nam": [
            {"member": row.code, "name": row.name} for row in report.members
        ],
        "huy_hieu": {str(years): count for years, count in report.badge_counts.items()},
        "huy_hieu_danh_sach": [
            {
                "member": row.code,
                "name": row.name,
                "moc": row.milestone,
                "ngay_du": row.reached_on.isoformat(),
            }
            for row in report.badges
        ],
    }


def json_text(report: AwardsReport) -> str:
    return json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"


def to_xlsx(report: AwardsReport) -> bytes:
    """Four sheets: the summary (badges by milestone), the organisations and the members
    excellent N years running (the rule set's), and the members reaching a badge milestone in
    the year."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    sheet.append([TITLE.upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Tổ chức", escape_formula(report.org_name)])
    sheet.append(["Mã tổ chức", escape_formula(report.org_code)])
    sheet.append(["Năm", report.year])
    sheet.append(
        [
            f"Tổ chức đảng hoàn thành xuất sắc nhiệm vụ {report.streak_years} năm liền "
            f"({report.first_year}–"
            f"{report.year})",
            len(report.organisations),
        ]
    )
    sheet.append(
        [
            f"Đảng viên hoàn thành xuất sắc nhiệm vụ {report.streak_years} năm liền",
            len(report.members),
        ]
    )
    sheet.append([])
    heading(sheet, ["Huy hiệu Đảng: mốc tuổi đảng đủ trong năm", "Số đảng viên"])
    for years, count in report.badge_counts.items():
        sheet.append([f"{years} năm tuổi đảng", count])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 16

    orgs = workbook.create_sheet(f"Tổ chức xuất sắc {report.streak_years} năm")
    heading(orgs, ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức"])
    for row in report.organisations:
        orgs.append([escape_formula(row.code), escape_formula(row.name), row.kind_label])
    members = workbook.create_sheet(f"Đảng viên xuất sắc {report.streak_years} năm")
    heading(members, ["Mã đảng viên", "Họ và tên", "Chi bộ"])
    for row in report.members:
        members.append([escape_formula(v) for v in (row.code, row.name, row.branch)])
    badges = workbook.create_sheet("Huy hiệu Đảng")
    heading(badges, ["Mã đảng viên", "Họ và tên", "Chi bộ", "Mốc (năm)", "Ngày đủ tuổi đảng"])
    for row in report.badges:
        badges.append(
            [
                escape_formula(row.code),
                escape_formula(row.name),
                escape_formula(row.branch),
                row.milestone,
                row.reached_on.strftime("%d/%m/%Y"),
            ]
        )
    for page in (orgs, members, badges):
        for letter, width in zip("ABCDE", (18, 40, 36, 12, 18), strict=True):
            page.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
