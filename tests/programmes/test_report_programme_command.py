"""`dangvien report programme --org CODE (--year Y | --from Y1 --to Y2)`: exactly the JSON of
formats.md (plus extra keys), the xlsx and PDF files, and exit status 1 for an organisation
that did not exist at the period's end."""

import datetime
import json

import pytest
from openpyxl import load_workbook

from dangvien.organizations.models import OrgKind
from dangvien.programmes import services
from tests.factories import OrganizationFactory
from tests.programmes.worlds import YEAR, build_2024
from tests.reports.commands import run_report

pytestmark = pytest.mark.django_db


def _seed(world):
    """The Đồng Tháp 2022 example, for the ward's 2024."""
    build_2024(world)
    programme = services.create_programme(
        None, world.upper, year=YEAR, title="Chương trình hành động năm 2024", number="12-CTr/ĐU"
    )
    for text, comparator, value in (
        ("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", ">", 90),
        ("tccsd_tot_tro_len", "≥", 50),
        ("ket_nap", "≥", 350),
        ("tccsd_moi_dn_tu_nhan", "≥", 1),
        ("tccsd_quan_triet", "=", 100),
        ("Số buổi sinh hoạt chuyên đề", "≥", 4),
    ):
        services.set_target(None, programme, services.TargetInput(text, comparator, value))
    return programme


def test_the_json_is_that_of_formats_md(world):
    _seed(world)
    status, out, err = run_report("programme", "--org", "P.U1", "--year", str(YEAR))
    assert status == 0, err
    found = json.loads(out)
    assert (found["org"], found["from"], found["to"]) == ("P.U1", YEAR, YEAR)
    essential = [
        {
            key: target[key]
            for key in ("indicator", "label", "comparator", "target", "actual", "met")
        }
        for target in found["targets"]
    ]
    assert essential == [
        {
            "indicator": "dang_vien_tot_tro_len",
            "label": "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
            "comparator": ">",
            "target": 90,
            "actual": 66.67,
            "met": False,
        },
        {
            "indicator": "tccsd_tot_tro_len",
            "label": "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
            "comparator": "≥",
            "target": 50,
            "actual": 50.0,
            "met": True,
        },
        {
            "indicator": "ket_nap",
            "label": "Số đảng viên kết nạp",
            "comparator": "≥",
            "target": 350,
            "actual": 2,
            "met": False,
        },
        {
            "indicator": "tccsd_moi_dn_tu_nhan",
            "label": "Số tổ chức cơ sở đảng thành lập mới trong doanh nghiệp tư nhân",
            "comparator": "≥",
            "target": 1,
            "actual": 1,
            "met": True,
        },
        {
            "indicator": "tccsd_quan_triet",
            "label": "Tỷ lệ tổ chức cơ sở đảng tổ chức quán triệt nghị quyết",
            "comparator": "=",
            "target": 100,
            "actual": 50.0,
            "met": False,
        },
        {
            "indicator": "Số buổi sinh hoạt chuyên đề",
            "label": "Số buổi sinh hoạt chuyên đề",
            "comparator": "≥",
            "target": 4,
            "actual": None,
            "met": None,
        },
    ]
    assert found["targets"][0]["basis"] == {"count": 2, "of": 3, "year": YEAR}
    assert found["programme"]["number"] == "12-CTr/ĐU"


def test_a_term_is_asked_with_from_and_to(world):
    programme = services.create_programme(None, world.upper, term=(2020, 2025))
    services.set_target(None, programme, services.TargetInput("ket_nap", ">", 0))
    status, out, err = run_report("programme", "--org", "P.U1", "--from", "2020", "--to", "2025")
    assert status == 0, err
    found = json.loads(out)
    assert (found["from"], found["to"], len(found["targets"])) == (2020, 2025, 1)
    # The year 2022 alone has no programme: no target.
    assert (
        json.loads(run_report("programme", "--org", "P.U1", "--year", "2022")[1])["targets"] == []
    )


def test_the_xlsx_and_pdf_files(world, tmp_path):
    _seed(world)
    xlsx = tmp_path / "ct.xlsx"
    args = ("programme", "--org", "P.U1", "--year", str(YEAR), "--format")
    assert run_report(*args, "xlsx", "--output", str(xlsx))[0] == 0
    rows = list(load_workbook(xlsx)["Chỉ tiêu"].iter_rows(values_only=True))
    assert ("Số đảng viên kết nạp", "ket_nap", "≥", 350, 2, "Không đạt", None) in rows
    pdf = tmp_path / "ct.pdf"
    assert run_report(*args, "pdf", "--output", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_an_organisation_established_after_the_period_has_no_report(world):
    OrganizationFactory(
        code="P.U9",
        name="Đảng bộ phường Mới",
        kind=OrgKind.UPPER,
        parent=world.province,
        founded_on=datetime.date(2025, 7, 1),
    )
    status, _out, err = run_report("programme", "--org", "P.U9", "--year", "2024")
    assert status == 1
    assert "được thành lập ngày 01/07/2025" in err


def test_year_and_term_cannot_be_mixed(world):
    status, _out, err = run_report("programme", "--org", "P.U1")
    assert status == 1 and "--year Y hoặc --from Y1 --to Y2" in err
