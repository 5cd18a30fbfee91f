"""The structure report page: /reports/structure/?org=CODE&year=Y, through the user's scope."""

import re

import pytest
from django.urls import reverse

from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory, OrganizationFactory
from tests.reports.worlds import add_history

URL = reverse("reports:structure")


def stat(html: str, label: str) -> str:
    """The value of the summary tile with `label`."""
    match = re.search(
        r'<span class="stat-value">([^<]*)</span><span class="stat-label">' + label + "</span>",
        html,
    )
    assert match, f"no tile {label}"
    return match.group(1)


def test_officer_sees_the_structure_of_their_subtree_by_default(world):
    add_history(world)
    response = world.client(Role.OFFICER).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo cơ cấu đảng viên: Đảng bộ phường Hòa Bình" in html
    assert (stat(html, "đảng viên"), stat(html, "chính thức"), stat(html, "dự bị")) == (
        "7",
        "5",
        "2",
    )
    assert OUTSIDE_MARK not in html
    # every breakdown is a table with a chart, and so are the base organisations by sector
    for title in ("Giới tính", "Trình độ chuyên môn", "Lý luận chính trị", "Dân tộc", "Tôn giáo"):
        assert f"<h2>{title}</h2>" in html
    assert "<h2>Tổ chức cơ sở đảng theo loại hình</h2>" in html
    assert html.count('src="data:image/svg+xml;base64,') == 7
    # the direct child, with a drill-down link keeping the year
    assert '<a href="?org=P.U1.01">Đảng bộ Trường Tiểu học Hòa Bình</a>' in html
    assert ">Cơ cấu đảng viên</a>" in html.split('class="navlist"')[1]


def test_a_past_year_and_a_drill_down(world):
    add_history(world)
    client = world.client(Role.OFFICER)
    html = client.get(URL, {"org": "P.U1", "year": "2024"}).content.decode()
    assert "Tính đến ngày 31/12/2024" in html
    assert stat(html, "đảng viên") == "7"
    assert '<a href="?org=P.U1.01&amp;year=2024">' in html
    html = client.get(URL, {"org": "P.U1.01", "year": "2024"}).content.decode()
    assert '<a href="?org=P.U1.01.01&amp;year=2024">Chi bộ Tổ Toán</a>' in html
    assert "P.U1.01.04" not in html  # dissolved on 30/06/2024
    html = client.get(URL, {"org": "P.U1.01.01", "year": "2024"}).content.decode()
    assert stat(html, "đảng viên") == "5"
    assert "Tổng số đảng viên" in html
    # downloads ask for the same organisation and year
    assert f"{reverse('reports:structure-xlsx')}?org=P.U1.01.01&amp;year=2024" in html
    assert f"{reverse('reports:structure-pdf')}?org=P.U1.01.01&amp;year=2024" in html


def test_numbers_are_grouped_the_vietnamese_way(world):
    base = OrganizationFactory(
        code="P.U1.02", name="Chi bộ Đông", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    MemberFactory.create_batch(1000, branch=base)
    html = world.client(Role.OFFICER).get(URL).content.decode()
    assert stat(html, "đảng viên") == "1.002"


@pytest.mark.parametrize("code", ["P", "P.NGOAIPHAMVI", "P.NGOAIPHAMVI.01.01", "KHONG-CO"])
def test_an_organisation_outside_the_scope_is_not_found(world, code):
    for name in ("reports:structure", "reports:structure-xlsx", "reports:structure-pdf"):
        response = world.client(Role.OFFICER).get(reverse(name), {"org": code})
        assert response.status_code == 404
        assert OUTSIDE_MARK not in response.content.decode(errors="replace")


def test_a_member_without_the_view_capability_is_refused(world):
    client = world.client(Role.MEMBER)
    for name in ("reports:structure", "reports:structure-xlsx", "reports:structure-pdf"):
        assert client.get(reverse(name)).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert 'href="/reports/structure/"' not in home


def test_a_secretary_sees_their_branch(world):
    html = world.client(Role.SECRETARY).get(URL).content.decode()
    assert "Báo cáo cơ cấu đảng viên: Chi bộ Tổ Toán" in html
    assert stat(html, "đảng viên") == "1"
    assert world.client(Role.SECRETARY).get(URL, {"org": "P.U1"}).status_code == 404


def test_a_wrong_year_is_explained_and_today_is_shown(world):
    client = world.client(Role.INSPECTOR)
    response = client.get(URL, {"org": "P.U1", "year": "hai nghìn"})
    assert response.status_code == 200
    assert "“hai nghìn” không phải là một năm" in response.content.decode()
    response = client.get(reverse("reports:structure-xlsx"), {"org": "P.U1", "year": "3000"})
    assert response.status_code == 400
    assert "Năm 3000 chưa bắt đầu" in response.content.decode()


def test_an_administrator_starts_from_the_top(world):
    html = world.client(Role.ADMIN).get(URL).content.decode()
    assert "Báo cáo cơ cấu đảng viên: Đảng bộ tỉnh Thử Nghiệm" in html
    assert stat(html, "đảng viên") == "3"
