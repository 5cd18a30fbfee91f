"""The structure report as files: xlsx and PDF, from the page's buttons and from the command."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from tests.factories import OrganizationFactory
from tests.reports.commands import run_report
from tests.reports.worlds import add_history


def rows(workbook, sheet: str) -> list[tuple]:
    return list(workbook[sheet].iter_rows(values_only=True))


def section(sheet_rows: list[tuple], title: str) -> dict:
    """The label → (count, percent) rows under the heading `title`, up to the blank row."""
    start = next(i for i, row in enumerate(sheet_rows) if row[0] == title) + 1
    found = {}
    for row in sheet_rows[start:]:
        if row[0] is None:
            break
        found[row[0]] = tuple(row[1:3])
    return found


def test_xlsx_download_holds_the_numbers(world):
    add_history(world)
    response = world.client(Role.OFFICER).get(
        reverse("reports:structure-xlsx"), {"org": "P.U1", "year": "2024"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="co-cau-dang-vien-pu1-20241231.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Cơ cấu đảng viên", "Tổ chức trực thuộc"]
    sheet = rows(workbook, "Cơ cấu đảng viên")
    assert sheet[1][:2] == ("Tổ chức", "Đảng bộ phường Hòa Bình")
    assert sheet[3][1].date().isoformat() == "2024-12-31"
    assert section(sheet, "Đảng viên") == {
        "Tổng số đảng viên": (7, 100),
        "Đảng viên chính thức": (5, 71.43),
        "Đảng viên dự bị": (2, 28.57),
    }
    assert section(sheet, "Tổ chức đảng trực thuộc")["Chi bộ trực thuộc"][0] == 3
    assert section(sheet, "Giới tính") == {"Nam": (5, 71.43), "Nữ": (2, 28.57)}
    assert section(sheet, "Độ tuổi")["≤30"] == (1, 14.29)
    assert section(sheet, "Tôn giáo")["Chưa rõ"] == (1, 14.29)
    assert rows(workbook, "Tổ chức trực thuộc")[1] == (
        "P.U1.01",
        "Đảng bộ Trường Tiểu học Hòa Bình",
        "Đảng bộ cơ sở",
        7,
        5,
        2,
        100,
    )


def test_xlsx_text_cannot_run_as_a_formula(world):
    OrganizationFactory(
        code="P.U1.01.09",
        name='=HYPERLINK("http://example.com","Bấm vào")',
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
    )
    response = world.client(Role.OFFICER).get(reverse("reports:structure-xlsx"), {"org": "P.U1.01"})
    children = rows(load_workbook(io.BytesIO(response.content)), "Tổ chức trực thuộc")
    names = [row[1] for row in children[1:]]
    assert '\'=HYPERLINK("http://example.com","Bấm vào")' in names


def test_pdf_download_is_a_pdf(world):
    response = world.client(Role.INSPECTOR).get(reverse("reports:structure-pdf"), {"org": "P.U1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert 'filename="co-cau-dang-vien-pu1-' in response["Content-Disposition"]


def test_the_command_writes_xlsx_and_pdf_files(world, tmp_path):
    add_history(world)
    xlsx, pdf = tmp_path / "co-cau.xlsx", tmp_path / "co-cau.pdf"
    status, out, err = run_report(
        "structure", "--org", "P.U1", "--year", "2024", "--format", "xlsx", "--output", str(xlsx)
    )
    assert (status, out) == (0, "")
    assert f"Đã ghi báo cáo vào {xlsx}." in err
    sheet = rows(load_workbook(xlsx), "Cơ cấu đảng viên")
    assert section(sheet, "Đảng viên")["Tổng số đảng viên"] == (7, 100)
    assert section(sheet, "Dân tộc") == {"Kinh": (6, 85.71), "Tày": (1, 14.29)}
    status, _, _ = run_report("structure", "--org", "P.U1", "--format", "pdf", "--output", str(pdf))
    assert status == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_unwritable_output_is_an_error(world, tmp_path):
    target = tmp_path / "khong-co-thu-muc" / "co-cau.xlsx"
    status, _, err = run_report(
        "structure", "--org", "P.U1", "--format", "xlsx", "--output", str(target)
    )
    assert status == 1
    assert f"Không ghi được tệp {target}" in err
