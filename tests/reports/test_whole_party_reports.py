"""Reports over the whole Party (`--org '*'`, `?org=*`): every province added up, for the users
who see the whole system only."""

import json

import pytest
from django.urls import reverse

from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from tests.factories import MemberFactory, OrganizationFactory
from tests.reports.commands import run_report
from tests.reports.worlds import add_grades, grade


@pytest.fixture
def second_province(world):
    """A second province with one base branch of three members, graded in 2024."""
    province = OrganizationFactory(code="Q", name="Đảng bộ tỉnh Quảng Thịnh", kind=OrgKind.PROVINCE)
    branch = OrganizationFactory(
        code="Q.01", name="Chi bộ Trường Tiểu học Q", kind=OrgKind.BASE_BRANCH, parent=province
    )
    members = MemberFactory.create_batch(3, branch=branch)
    for member, value in zip(members, ["tot", "tot", "xuat_sac"], strict=True):
        grade(member, 2024, value)
    return province


def test_the_structure_of_the_whole_party_adds_up_every_province(world, second_province):
    reports = {}
    for code in ("*", "P", "Q"):
        status, out, _ = run_report("structure", "--org", code)
        assert status == 0
        reports[code] = json.loads(out)
    whole, p, q = reports["*"], reports["P"], reports["Q"]
    assert (whole["org"], whole["name"]) == ("*", "Toàn Đảng")
    assert whole["members"] == p["members"] + q["members"] == p["members"] + 3
    assert whole["official"] == p["official"] + q["official"]
    for kind, count in whole["organizations"].items():
        assert count == p["organizations"][kind] + q["organizations"][kind]
    assert whole["organizations"]["chi_bo_co_so"] == p["organizations"]["chi_bo_co_so"] + 1
    for key, counts in whole["breakdown"].items():
        for label, count in counts.items():
            assert count == p["breakdown"][key].get(label, 0) + q["breakdown"][key].get(label, 0)


def test_the_quality_of_the_whole_party_adds_up_every_province(world, second_province):
    add_grades(world)
    reports = {}
    for code in ("*", "P", "Q"):
        status, out, _ = run_report("quality", "--org", code, "--year", "2024")
        assert status == 0
        reports[code] = json.loads(out)
    whole, p, q = reports["*"], reports["P"], reports["Q"]
    assert whole["members"] == p["members"] + q["members"]
    assert q["members"] == 3
    assert whole["assessed"] == p["assessed"] + q["assessed"] == p["assessed"] + 3
    for key in ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"):
        assert whole["grades"][key] == p["grades"][key] + q["grades"][key]
    assert whole["grades"]["xuat_sac"] == p["grades"]["xuat_sac"] + 1
    assert [child["org"] for child in whole["children"]] == ["Q", "P"]  # in name order


def test_an_administrator_opens_the_whole_party_and_drills_down(world, second_province):
    client = world.client(Role.ADMIN)
    html = client.get(reverse("reports:structure"), {"org": "*"}).content.decode()
    assert "Báo cáo cơ cấu đảng viên: Toàn Đảng" in html
    assert '<a href="?org=Q">Đảng bộ tỉnh Quảng Thịnh</a>' in html
    # a province's breadcrumb leads back up to the whole Party
    html = client.get(reverse("reports:quality"), {"org": "Q", "year": "2024"}).content.decode()
    assert '<a href="?org=%2A&amp;year=2024">Toàn Đảng</a>' in html
    response = client.get(reverse("reports:structure-xlsx"), {"org": "*"})
    assert response.status_code == 200
    assert "co-cau-dang-vien-toan-dang-" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["reports:structure", "reports:quality", "reports:admissions"])
def test_an_officer_of_one_province_cannot_open_the_whole_party(world, name):
    response = world.client(Role.OFFICER).get(reverse(name), {"org": "*"})
    assert response.status_code == 404
