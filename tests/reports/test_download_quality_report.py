"""The quality report as files: xlsx and PDF, from the page's buttons and from the command."""

import io
import subprocess

from django.urls import reverse
from openpyxl import load_workbook

from dangvien.core.roles import Role
from tests.reports.commands import run_report
from tests.reports.test_download_structure_report import rows, section
from tests.reports.worlds import add_grades, grade
from tests.tools import require_program


def test_xlsx_download_holds_the_numbers(world):
    add_grades(world)
    response = world.client(Role.OFFICER).get(
        reverse("reports:quality-xlsx"), {"org": "P.U1", "year": "2024"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="xep-loai-chat-luong-pu1-2024.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Xếp loại chất lượng",
        "Tổ chức trực thuộc",
        "Chưa xếp loại",
        "Chưa có kết quả",
    ]
    sheet = rows(workbook, "Xếp loại chất lượng")
    assert sheet[1][:2] == ("Tổ chức", "Đảng bộ phường Hòa Bình")
    assert sheet[3][:2] == ("Năm đánh giá", 2024)
    assert sheet[4][:2] == ("Đảng viên (31/12)", 7)
    assert section(sheet, "Xếp loại đảng viên") == {
        "Hoàn thành xuất sắc nhiệm vụ": (1, 16.67),
        "Hoàn thành tốt nhiệm vụ": (3, 50),
        "Hoàn thành nhiệm vụ": (1, 16.67),
        "Không hoàn thành nhiệm vụ": (1, 16.67),
        "Tổng số được xếp loại": (6, None),
    }
    assert section(sheet, "Xếp loại tổ chức cơ sở đảng")["Hoàn thành tốt nhiệm vụ"] == (1, 100)
    years = sheet[next(i for i, row in enumerate(sheet) if row[0] == "Năm") + 1 :]
    assert [row[:4] for row in years] == [
        (2020, 0, 0, None),
        (2021, 0, 0, None),
        (2022, 0, 0, None),
        (2023, 2, 0, 0),
        (2024, 6, 1, 16.67),
    ]
    assert rows(workbook, "Tổ chức trực thuộc")[1] == (
        "P.U1.01",
        "Đảng bộ Trường Tiểu học Hòa Bình",
        7,
        6,
        1,
        16.67,
        3,
        50,
        1,
        16.67,
        1,
        16.67,
        1,  # not graded, with a reason
        0,  # without any result
    )
    assert rows(workbook, "Chưa có kết quả") == [("Mã đảng viên", "Họ và tên", "Chi bộ")]
    not_graded = rows(workbook, "Chưa xếp loại")
    assert not_graded[0] == ("Mã đảng viên", "Họ và tên", "Chi bộ", "Lý do", "Ghi chú")
    assert len(not_graded) == 2
    assert not_graded[1][2:] == ("Chi bộ Tổ Toán", "Mới kết nạp, chưa đủ thời gian đánh giá", None)


def test_xlsx_text_cannot_run_as_a_formula(world):
    grade(world.member, 2024, not_graded="other", note="=1+2")
    response = world.client(Role.OFFICER).get(
        reverse("reports:quality-xlsx"), {"org": "P.U1", "year": "2024"}
    )
    not_graded = rows(load_workbook(io.BytesIO(response.content)), "Chưa xếp loại")
    assert not_graded[1][4] == "'=1+2"


def test_pdf_download_renders_the_tables_and_the_chart(world, tmp_path):
    add_grades(world)
    response = world.client(Role.INSPECTOR).get(
        reverse("reports:quality-pdf"), {"org": "P.U1", "year": "2024"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="xep-loai-chat-luong-pu1-2024.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "xep-loai.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        [require_program("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "BÁO CÁO XẾP LOẠI CHẤT LƯỢNG NĂM 2024" in text
    assert "6/7 đảng viên được xếp loại" in text
    assert "Mới kết nạp, chưa đủ thời gian đánh giá" in text
    # a party document: the letterhead and the signatures (issue 12)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "ĐẢNG BỘ PHƯỜNG HÒA BÌNH" in text
    assert "NGƯỜI LẬP BIỂU" in text and "T/M CẤP ỦY" in text
    # the pages as images: the headings in red, the chart's bars in the grades' colours
    pdftoppm = require_program("pdftoppm")
    subprocess.run([pdftoppm, "-png", "-r", "50", str(pdf), str(tmp_path / "p")], check=True)
    from PIL import Image

    colours = set()
    for page in sorted(tmp_path.glob("p*.png")):
        image = Image.open(page).convert("RGB")
        colours |= {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    for red, green, blue in ((185, 28, 28), (245, 158, 11), (37, 99, 235)):  # charts.py colours
        assert any(abs(r - red) + abs(g - green) + abs(b - blue) < 30 for r, g, b in colours), (
            f"no pixel of colour {(red, green, blue)}"
        )


def test_the_command_writes_xlsx_and_pdf_files(world, tmp_path):
    add_grades(world)
    xlsx, pdf = tmp_path / "xep-loai.xlsx", tmp_path / "xep-loai.pdf"
    status, out, err = run_report(
        "quality", "--org", "P.U1", "--year", "2024", "--format", "xlsx", "--output", str(xlsx)
    )
    assert (status, out) == (0, "")
    assert f"Đã ghi báo cáo vào {xlsx}." in err
    sheet = rows(load_workbook(xlsx), "Xếp loại chất lượng")
    assert section(sheet, "Xếp loại đảng viên")["Hoàn thành tốt nhiệm vụ"] == (3, 50)
    status, _, _ = run_report(
        "quality", "--org", "P.U1", "--year", "2024", "--format", "pdf", "--output", str(pdf)
    )
    assert status == 0
    assert pdf.read_bytes().startswith(b"%PDF")
