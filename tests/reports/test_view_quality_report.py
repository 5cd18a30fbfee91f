"""The quality report page: /reports/quality/?org=CODE&year=Y, through the user's scope."""

import functools
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangvien.core.roles import Role
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory
from tests.reports.test_download_structure_report import rows
from tests.reports.worlds import add_grades, grade

URL = reverse("reports:quality")
NAMES = ("reports:quality", "reports:quality-xlsx", "reports:quality-pdf")


def stat(html: str, label: str) -> str:
    match = re.search(
        r'<span class="stat-value">([^<]*)</span><span class="stat-label">' + label + "</span>",
        html,
    )
    assert match, f"no tile {label}"
    return match.group(1)


def section(html: str, anchor: str) -> str:
    """The HTML of the section with id `anchor`."""
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


def test_officer_sees_the_last_graded_year_of_their_subtree(world):
    add_grades(world)
    response = world.client(Role.OFFICER).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo xếp loại chất lượng năm 2024: Đảng bộ phường Hòa Bình" in html
    assert (stat(html, "đảng viên"), stat(html, "được xếp loại")) == ("7", "6")
    assert [stat(html, label) for label in ("xuất sắc", "tốt", "hoàn thành")] == ["1", "3", "1"]
    assert stat(html, "không hoàn thành") == "1"
    grades = section(html, "grades")
    assert '<td>Hoàn thành tốt nhiệm vụ</td><td class="num">3</td><td class="num">50</td>' in (
        grades
    )
    assert '<td class="num">16,67</td>' in grades
    organizations = section(html, "organizations")
    assert '<td>Hoàn thành tốt nhiệm vụ</td><td class="num">1</td><td class="num">100</td>' in (
        organizations
    )
    # the years compared, as a chart and a table
    history = section(html, "history")
    assert 'src="data:image/svg+xml;base64,' in history
    assert '<a href="?org=P.U1&amp;year=2023">2023</a>' in history
    for year in range(2020, 2025):
        assert f"{year}</" in history
    # the drill-down into the child keeps the year
    assert '<a href="?org=P.U1.01&amp;year=2024">Đảng bộ Trường Tiểu học Hòa Bình</a>' in html
    # the member not graded, with the reason
    not_graded = section(html, "not-graded")
    assert "Đảng viên không xếp loại (1)" in not_graded
    assert "Mới kết nạp, chưa đủ thời gian đánh giá" in not_graded
    assert OUTSIDE_MARK not in html
    assert ">Xếp loại chất lượng</a>" in html.split('class="navlist"')[1]
    assert f"{reverse('reports:quality-xlsx')}?org=P.U1&amp;year=2024" in html
    assert f"{reverse('reports:quality-pdf')}?org=P.U1&amp;year=2024" in html


def test_drill_down_to_a_branch(world):
    add_grades(world)
    client = world.client(Role.OFFICER)
    html = client.get(URL, {"org": "P.U1.01", "year": "2024"}).content.decode()
    assert '<a href="?org=P.U1.01.01&amp;year=2024">Chi bộ Tổ Toán</a>' in html
    assert "P.U1.01.04" not in html  # dissolved before the end of 2024
    html = client.get(URL, {"org": "P.U1.01.01", "year": "2024"}).content.decode()
    assert (stat(html, "đảng viên"), stat(html, "được xếp loại")) == ("5", "4")
    assert 'id="children"' not in html
    html = client.get(URL, {"org": "P.U1", "year": "2023"}).content.decode()
    assert "năm 2023" in html and stat(html, "được xếp loại") == "2"
    assert "Không có đảng viên nào được ghi là không xếp loại năm 2023." in html


@pytest.mark.parametrize("code", ["P", "P.NGOAIPHAMVI", "P.NGOAIPHAMVI.01.01", "KHONG-CO"])
def test_an_organisation_outside_the_scope_is_not_found(world, code):
    add_grades(world)
    for name in NAMES:
        response = world.client(Role.OFFICER).get(reverse(name), {"org": code, "year": "2024"})
        assert response.status_code == 404
        assert OUTSIDE_MARK not in response.content.decode(errors="replace")


def test_a_member_without_the_view_capability_is_refused(world):
    client = world.client(Role.MEMBER)
    for name in NAMES:
        assert client.get(reverse(name), {"year": "2024"}).status_code == 403
    assert "Báo cáo xếp loại chất lượng" not in client.get(reverse("home")).content.decode()


def test_a_secretary_sees_their_branch_only(world):
    add_grades(world)
    client = world.client(Role.SECRETARY)
    html = client.get(URL).content.decode()
    assert "Báo cáo xếp loại chất lượng năm 2024: Chi bộ Tổ Toán" in html
    assert stat(html, "được xếp loại") == "4"
    assert client.get(URL, {"org": "P.U1.01"}).status_code == 404


def test_without_any_grade_the_page_shows_last_year_empty(world):
    from django.utils import timezone

    html = world.client(Role.INSPECTOR).get(URL).content.decode()
    last_year = timezone.localdate().year - 1
    assert f"Báo cáo xếp loại chất lượng năm {last_year}" in html
    assert stat(html, "được xếp loại") == "0"
    assert 'id="history"' in html and "data:image/svg" not in html  # nothing to draw


def test_a_wrong_year_is_explained(world):
    add_grades(world)
    client = world.client(Role.INSPECTOR)
    response = client.get(URL, {"org": "P.U1", "year": "hai nghìn"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "“hai nghìn” không phải là một năm" in html
    assert "năm 2024" in html  # the default year instead
    response = client.get(reverse("reports:quality-xlsx"), {"org": "P.U1", "year": "3000"})
    assert response.status_code == 400
    assert "Năm 3000 chưa bắt đầu" in response.content.decode()


def test_members_not_graded_are_counted_by_reason_and_listed_up_to_a_limit(world, monkeypatch):
    from dangvien.reports import quality, views

    add_grades(world)
    for member in MemberFactory.create_batch(3, branch=world.other_branch):
        grade(member, 2024, not_graded="illness")
    # 2 names on the page instead of 500; the xlsx asks for all of them
    monkeypatch.setattr(
        views, "quality_report", functools.partial(quality.quality_report, not_graded_limit=2)
    )
    client = world.client(Role.OFFICER)
    not_graded = section(client.get(URL, {"year": "2024"}).content.decode(), "not-graded")
    assert "Đảng viên không xếp loại (4)" in not_graded
    assert '<td>Ốm đau dài ngày</td><td class="num">3</td>' in not_graded
    assert '<td>Mới kết nạp, chưa đủ thời gian đánh giá</td><td class="num">1</td>' in not_graded
    assert not_graded.count("<tr><td>DV") == 2
    assert "còn 2 đảng viên khác trong tệp Excel" in not_graded
    response = client.get(reverse("reports:quality-xlsx"), {"year": "2024"})
    listed = rows(load_workbook(io.BytesIO(response.content)), "Chưa xếp loại")
    assert len(listed) == 1 + 4
