"""The admissions report page: /reports/admissions/?org=CODE&year=Y (or &from=Y1&to=Y2, and
&as_of=dd/mm/yyyy), through the user's scope, and its xlsx and PDF downloads."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvien.admissions.models import Stage
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.conftest import OUTSIDE_MARK
from tests.reports.test_admissions_report import admit, candidate, target
from tests.reports.test_download_structure_report import rows
from tests.reports.test_view_quality_report import section, stat

URL = reverse("reports:admissions")
NAMES = ("reports:admissions", "reports:admissions-xlsx", "reports:admissions-pdf")


def add_admissions(world) -> None:
    """243 admitted in 2025 against a quota of 240 on P.U1, 150 of them in the branch whose
    quota is 150; a term of 2020-2025 with its quota; a few candidates in the pool."""
    target(world, world.upper, 240, year=2025)
    target(world, world.branch, 150, year=2025)
    target(world, world.upper, 500, term=(2020, 2025))
    admit(world.branch, 150, datetime.date(2025, 2, 1))
    admit(world.other_branch, 93, datetime.date(2025, 8, 1))
    admit(world.branch, 100, datetime.date(2021, 3, 1))
    recognised = datetime.date(2022, 9, 1)
    admit(
        world.branch, 50, datetime.date(2021, 9, 1), status=Status.OFFICIAL, official_on=recognised
    )
    admit(world.outside_branch, 30, datetime.date(2025, 2, 1))
    candidate(world.branch, Stage.POOL)
    candidate(world.other_branch, Stage.FILE, datetime.date(2024, 5, 1))


def test_officer_sees_admissions_against_the_quota(world):
    add_admissions(world)
    response = world.client(Role.OFFICER).get(URL, {"org": "P.U1", "year": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo phát triển đảng viên năm 2025: Đảng bộ phường Hòa Bình" in html
    assert "Kết nạp từ ngày 01/01/2025 đến ngày 31/12/2025" in html
    assert stat(html, "đã kết nạp") == "243"
    assert stat(html, "chỉ tiêu kết nạp") == "240"
    assert stat(html, "so với chỉ tiêu") == "101,25%"
    assert stat(html, "quần chúng trong nguồn") == "2"
    table = section(html, "target")
    assert '<a href="?org=P.U1.01&amp;year=2025">Đảng bộ Trường Tiểu học Hòa Bình</a>' in table
    assert '<td class="num">243</td>\n      <td class="num">150</td>' in table  # the branch's
    assert "<td>Toàn Đảng bộ phường Hòa Bình</td>" in table
    assert '<td class="num">101,25</td>' in table
    pipeline = section(html, "pipeline")
    assert 'src="data:image/svg+xml;base64,' in pipeline
    assert '<td>Đang hoàn thiện hồ sơ, chờ xét</td><td class="num">1</td>' in pipeline
    assert "Tuổi khi kết nạp" in section(html, "breakdown-do_tuoi")
    assert '<td>Nam</td><td class="num">243</td><td class="num">100</td>' in section(
        html, "breakdown-gioi_tinh"
    )
    assert "Dân tộc" in section(html, "breakdown-dan_toc")
    assert OUTSIDE_MARK not in html
    assert ">Kết nạp so với chỉ tiêu</a>" in html.split('class="navlist"')[1]
    assert f"{reverse('reports:admissions-xlsx')}?org=P.U1&amp;year=2025" in html
    assert f"{reverse('reports:admissions-pdf')}?org=P.U1&amp;year=2025" in html


def test_a_term_up_to_a_date(world):
    add_admissions(world)
    client = world.client(Role.OFFICER)
    html = client.get(URL, {"org": "P.U1", "from": "2020", "to": "2025"}).content.decode()
    assert "Báo cáo phát triển đảng viên nhiệm kỳ 2020-2025: Đảng bộ phường Hòa Bình" in html
    assert (stat(html, "đã kết nạp"), stat(html, "chỉ tiêu kết nạp")) == ("393", "500")
    assert stat(html, "so với chỉ tiêu") == "78,60%"
    assert '<td>Trong đó đã chính thức</td><td class="num">50</td>' in section(html, "pipeline")
    params = {"org": "P.U1", "from": "2020", "to": "2025", "as_of": "30/06/2021"}
    html = client.get(URL, params).content.decode()
    assert "nhiệm kỳ 2020-2025, đến ngày 30/06/2021: Đảng bộ phường Hòa Bình" in html
    assert "Kết nạp từ ngày 01/01/2020 đến ngày 30/06/2021" in html
    assert (stat(html, "đã kết nạp"), stat(html, "so với chỉ tiêu")) == ("100", "20%")
    # the form and the drill-down links keep the period and the date
    assert 'name="from" value="2020"' in html and 'name="as_of" value="30/06/2021"' in html
    assert 'href="?org=P.U1.01&amp;from=2020&amp;to=2025&amp;as_of=30%2F06%2F2021"' in html
    # recognised as official by that date: none yet
    assert '<td>Trong đó đã chính thức</td><td class="num">0</td>' in section(html, "pipeline")


def test_drill_down_to_a_branch(world):
    add_admissions(world)
    client = world.client(Role.OFFICER)
    html = client.get(URL, {"org": "P.U1.01", "year": "2025"}).content.decode()
    assert '<a href="?org=P.U1.01.01&amp;year=2025">Chi bộ Tổ Toán</a>' in html
    # the base committee has no quota of its own: its branches' quotas add up
    assert (stat(html, "đã kết nạp"), stat(html, "chỉ tiêu kết nạp")) == ("243", "150")
    html = client.get(URL, {"org": "P.U1.01.02", "year": "2025"}).content.decode()
    assert (stat(html, "đã kết nạp"), stat(html, "chỉ tiêu kết nạp")) == ("93", "—")
    assert stat(html, "so với chỉ tiêu") == "—"
    assert "<td>Chi bộ Tổ Văn</td>" in section(html, "target")  # no children: its own row


def test_by_default_the_current_year_of_the_users_scope(world):
    this_year = timezone.localdate().year
    admit(world.branch, 2, datetime.date(this_year, 1, 1))
    html = world.client(Role.INSPECTOR).get(URL).content.decode()
    assert f"Báo cáo phát triển đảng viên năm {this_year}: Đảng bộ phường Hòa Bình" in html
    assert (stat(html, "đã kết nạp"), stat(html, "chỉ tiêu kết nạp")) == ("2", "—")
    html = world.client(Role.INSPECTOR).get(URL, {"year": "2019"}).content.decode()
    assert stat(html, "đã kết nạp") == "0"
    assert "data:image/svg" not in html  # nothing to draw
    assert "Chưa kết nạp đảng viên nào trong kỳ." in html


@pytest.mark.parametrize("code", ["P", "P.NGOAIPHAMVI", "P.NGOAIPHAMVI.01.01", "KHONG-CO"])
def test_an_organisation_outside_the_scope_is_not_found(world, code):
    add_admissions(world)
    for name in NAMES:
        response = world.client(Role.OFFICER).get(reverse(name), {"org": code, "year": "2025"})
        assert response.status_code == 404
        assert OUTSIDE_MARK not in response.content.decode(errors="replace")


def test_a_secretary_sees_their_branch_only(world):
    add_admissions(world)
    client = world.client(Role.SECRETARY)
    html = client.get(URL, {"year": "2025"}).content.decode()
    assert "Báo cáo phát triển đảng viên năm 2025: Chi bộ Tổ Toán" in html
    assert (stat(html, "đã kết nạp"), stat(html, "chỉ tiêu kết nạp")) == ("150", "150")
    assert stat(html, "quần chúng trong nguồn") == "1"
    assert client.get(URL, {"org": "P.U1.01", "year": "2025"}).status_code == 404
    assert client.get(URL, {"org": "P.U1.01.02", "year": "2025"}).status_code == 404


def test_the_administrator_sees_the_outside_subtree_too(world):
    add_admissions(world)
    html = world.client(Role.ADMIN).get(URL, {"org": "P", "year": "2025"}).content.decode()
    assert stat(html, "đã kết nạp") == "273"
    assert OUTSIDE_MARK in section(html, "target")


def test_a_member_without_the_view_capability_is_refused(world):
    client = world.client(Role.MEMBER)
    for name in NAMES:
        assert client.get(reverse(name), {"year": "2025"}).status_code == 403
    assert ">Kết nạp so với chỉ tiêu</a>" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "hai nghìn"}, "“hai nghìn” không phải là một năm"),
        ({"year": "3000"}, "Năm 3000 chưa bắt đầu"),
        ({"from": "2020"}, "Ghi cả năm đầu và năm cuối của nhiệm kỳ"),
        ({"year": "2024", "from": "2020", "to": "2025"}, "không ghi cả hai"),
        ({"from": "2025", "to": "2020"}, "không được trước năm đầu"),
        (
            {"year": "2021", "as_of": "31/02/2021"},
            "Ngày tính đến: ngày “31/02/2021” không tồn tại.",
        ),
        ({"year": "2021", "as_of": "hôm qua"}, "không phải ngày dạng dd/mm/yyyy"),
        ({"year": "2021", "as_of": "31/12/2020"}, "phải từ 01/01/2021 trở đi"),
    ],
)
def test_a_wrong_period_is_explained(world, params, message):
    client = world.client(Role.INSPECTOR)
    response = client.get(URL, {"org": "P.U1", **params})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f"năm {timezone.localdate().year}: Đảng bộ phường Hòa Bình" in html  # the default
    response = client.get(reverse("reports:admissions-xlsx"), {"org": "P.U1", **params})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_xlsx_download_holds_the_numbers(world):
    add_admissions(world)
    response = world.client(Role.OFFICER).get(
        reverse("reports:admissions-xlsx"), {"org": "P.U1", "year": "2025"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="phat-trien-dang-vien-pu1-2025.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = rows(workbook, "Phát triển đảng viên")
    assert [row[:2] for row in sheet[6:9]] == [
        ("Đã kết nạp", 243),
        ("Chỉ tiêu kết nạp", 240),
        ("Tỷ lệ so với chỉ tiêu (%)", 101.25),
    ]
    assert rows(workbook, "Tổ chức trực thuộc")[1] == (
        "P.U1.01",
        "Đảng bộ Trường Tiểu học Hòa Bình",
        "Đảng bộ cơ sở",
        243,
        150,
        162,
        None,
        None,
    )


def test_pdf_download_of_a_term_up_to_a_date(world):
    add_admissions(world)
    params = {"org": "P.U1", "from": "2020", "to": "2025", "as_of": "30/06/2021"}
    response = world.client(Role.INSPECTOR).get(reverse("reports:admissions-pdf"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="phat-trien-dang-vien-pu1-2020-2025-den-20210630.pdf"'
        in response["Content-Disposition"]
    )
    assert response.content.startswith(b"%PDF")
