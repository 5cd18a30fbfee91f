"""The structure report's base organisations by sector (`co_so_theo_loai_hinh`): only the base
organisations (đảng bộ cơ sở, chi bộ cơ sở) active on the report's date strictly below `--org`,
every sector in order, blank counted as `chua_ghi`; in the JSON, the page and the xlsx."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind, Sector
from tests.factories import OrganizationFactory
from tests.reports.commands import run_report
from tests.reports.test_download_structure_report import rows, section

SLUGS = [sector.value for sector in Sector] + ["chua_ghi"]
END_JUNE_24 = datetime.date(2024, 6, 30)
END_JUNE_25 = datetime.date(2025, 6, 30)


def _org(code, kind, parent, sector="", founded=None, ended=None):
    return OrganizationFactory(
        code=code,
        name=f"Tổ chức {code}",
        kind=kind,
        parent=parent,
        sector=sector,
        founded_on=founded,
        ended_on=ended,
    )


@pytest.fixture
def sectors(world):
    """Base organisations of P.U1 (besides P.U1.01, sector not recorded) around 31/12/2024, and
    organisations of other kinds that have a sector but are not base organisations."""
    upper = world.upper
    _org("P.U1.02", OrgKind.BASE_BRANCH, upper, Sector.PHUONG, datetime.date(2000, 1, 1))
    _org("P.U1.03", OrgKind.BASE_BRANCH, upper, Sector.PHUONG, datetime.date(2025, 3, 1))
    _org("P.U1.04", OrgKind.BASE_COMMITTEE, upper, Sector.DOANH_NGHIEP_TU_NHAN, None, END_JUNE_24)
    _org("P.U1.05", OrgKind.BASE_COMMITTEE, upper, Sector.DOANH_NGHIEP_TU_NHAN, None, END_JUNE_25)
    school = _org("P.U1.06", OrgKind.BASE_COMMITTEE, upper, Sector.DON_VI_SU_NGHIEP)
    _org("P.U1.06.51", OrgKind.PARTIAL_COMMITTEE, school, Sector.DON_VI_SU_NGHIEP)
    _org("P.U1.06.01", OrgKind.SUB_BRANCH, school, Sector.DON_VI_SU_NGHIEP)
    _org("P.U1.07", OrgKind.BASE_BRANCH, upper, Sector.DOANH_NGHIEP_FDI)
    world.branch.sector = Sector.KHAC  # a sub-branch: not a base organisation
    world.branch.save()
    other = _org("P.U2", OrgKind.UPPER, world.province, Sector.XA)
    _org("P.U2.01", OrgKind.BASE_BRANCH, other, Sector.XA)
    return world


def _by_sector(*args: str) -> dict[str, int]:
    """The non-zero counts of `co_so_theo_loai_hinh` of `dangvien report structure ARGS`."""
    status, out, err = run_report("structure", *args)
    assert status == 0, err
    report = json.loads(out)
    counts = report["co_so_theo_loai_hinh"]
    assert list(counts) == SLUGS  # every slug, in the order of Sector, blank last
    kinds = report["organizations"]
    assert sum(counts.values()) == kinds["dang_bo_co_so"] + kinds["chi_bo_co_so"]
    return {slug: count for slug, count in counts.items() if count}


def test_the_base_organisations_active_at_the_end_of_a_year_by_sector(sectors):
    assert _by_sector("--org", "P.U1", "--year", "2024") == {
        "phuong": 1,  # P.U1.03 is founded in 2025
        "don_vi_su_nghiep": 1,  # P.U1.06 alone: its partial committee and branch are not base
        "doanh_nghiep_tu_nhan": 1,  # P.U1.05, ended in 2025; P.U1.04 ended in 2024
        "doanh_nghiep_fdi": 1,
        "chua_ghi": 1,  # P.U1.01
    }


def test_the_base_organisations_active_today_by_sector(sectors):
    assert _by_sector("--org", "P.U1") == {
        "phuong": 2,
        "don_vi_su_nghiep": 1,
        "doanh_nghiep_fdi": 1,
        "chua_ghi": 1,
    }


def test_only_the_organisations_strictly_below_are_counted(sectors):
    assert _by_sector("--org", "P.U1.06") == {}  # itself a base organisation
    assert _by_sector("--org", "P.U2") == {"xa": 1}  # not the upper committee's own sector
    assert _by_sector("--org", sectors.branch.code) == {}


def test_the_province_and_the_whole_party_add_up(sectors):
    other = OrganizationFactory(code="Q", name="Đảng bộ tỉnh Quảng Thịnh", kind=OrgKind.PROVINCE)
    _org("Q.01", OrgKind.BASE_BRANCH, other, Sector.CONG_AN)
    province = _by_sector("--org", "P")
    assert province == {
        "xa": 1,
        "phuong": 2,
        "don_vi_su_nghiep": 1,
        "doanh_nghiep_fdi": 1,
        "chua_ghi": 2,  # P.U1.01 and the outside base committee
    }
    assert _by_sector("--org", "*") == {**province, "cong_an": 1}


def test_the_page_shows_the_sectors_as_a_table_and_a_chart(sectors):
    response = sectors.client(Role.OFFICER).get(
        reverse("reports:structure"), {"org": "P.U1", "year": "2024"}
    )
    html = response.content.decode()
    part = html.split('id="base-sectors"')[1].split("</section>")[0]
    assert "<h2>Tổ chức cơ sở đảng theo loại hình</h2>" in part
    for sector in Sector:
        assert f"<td>{sector.label}</td>" in part
    assert '<tr><td>Doanh nghiệp tư nhân</td><td class="num">1</td><td class="num">20</td>' in part
    assert '<tr><td>Chưa ghi loại hình</td><td class="num">1</td><td class="num">20</td>' in part
    assert '<tr><td>Xã</td><td class="num">0</td><td class="num">0</td>' in part
    assert 'class="chart chart-sectors" src="data:image/svg+xml;base64,' in part


def test_a_subtree_without_base_organisations_has_no_sector_chart(world):
    html = world.client(Role.SECRETARY).get(reverse("reports:structure")).content.decode()
    part = html.split('id="base-sectors"')[1].split("</section>")[0]
    assert '<tr><td>Chưa ghi loại hình</td><td class="num">0</td><td class="num">—</td>' in part
    assert "<img" not in part


def test_the_xlsx_has_a_block_of_the_sectors(sectors):
    response = sectors.client(Role.OFFICER).get(
        reverse("reports:structure-xlsx"), {"org": "P.U1", "year": "2024"}
    )
    sheet = rows(load_workbook(io.BytesIO(response.content)), "Cơ cấu đảng viên")
    block = section(sheet, "Tổ chức cơ sở đảng theo loại hình")
    assert list(block) == [sector.label for sector in Sector] + ["Chưa ghi loại hình"]
    assert block["Phường"] == (1, 20)
    assert block["Đơn vị sự nghiệp"] == (1, 20)
    assert block["Cơ quan Đảng"] == (0, 0)
