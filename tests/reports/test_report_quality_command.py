"""`dangvien report quality --org CODE --year Y`: the JSON of formats.md on standard output."""

import json

import pytest
from django.utils import timezone

from tests.reports.commands import run_report
from tests.reports.worlds import add_grades

pytestmark = pytest.mark.django_db
NOBODY = {"xuat_sac": 0, "tot": 0, "hoan_thanh": 0, "khong_hoan_thanh": 0}
NO_SHARE = dict.fromkeys(NOBODY)
# P.U1 at the end of 2024: 7 members (see worlds.add_history), 6 graded there; the member
# admitted in 2024 is not graded; a member who moved in from outside in 2025 was graded
# outside, and a member who moved out in 2025 was graded inside.
GRADES_2024 = {"xuat_sac": 1, "tot": 3, "hoan_thanh": 1, "khong_hoan_thanh": 1}
PERCENT_2024 = {"xuat_sac": 16.67, "tot": 50.0, "hoan_thanh": 16.67, "khong_hoan_thanh": 16.67}
EXPECTED_2024 = {
    "org": "P.U1",
    "year": 2024,
    "members": 7,
    "assessed": 6,
    "grades": GRADES_2024,
    "percent": PERCENT_2024,
    "organizations": {
        "assessed": 1,
        "grades": {**NOBODY, "tot": 1},
        "percent": {"xuat_sac": 0.0, "tot": 100.0, "hoan_thanh": 0.0, "khong_hoan_thanh": 0.0},
    },
    "children": [
        {
            "org": "P.U1.01",
            "name": "Đảng bộ Trường Tiểu học Hòa Bình",
            "members": 7,
            "assessed": 6,
            "grades": GRADES_2024,
            "percent": PERCENT_2024,
        }
    ],
}


def report(*args: str) -> dict:
    status, out, err = run_report("quality", *args)
    assert status == 0, err
    return json.loads(out)


def test_quality_of_a_year_is_the_json_of_formats_md(world):
    add_grades(world)
    status, out, _ = run_report("quality", "--org", "P.U1", "--year", "2024")
    assert status == 0
    assert json.loads(out) == EXPECTED_2024
    assert "Đảng bộ Trường" in out and "\\u" not in out  # UTF-8, not ASCII escapes


def test_children_are_the_branches_of_a_base_committee_at_the_end_of_the_year(world):
    add_grades(world)
    found = report("--org", "P.U1.01", "--year", "2024")
    children = {child["org"]: child for child in found["children"]}
    # P.U1.01.03 was founded in 2025 and P.U1.01.04 dissolved in June 2024
    assert list(children) == ["P.U1.01.05", "P.U1.01.01", "P.U1.01.02"]
    assert children["P.U1.01.01"]["members"] == 5
    assert children["P.U1.01.01"]["grades"] == {
        "xuat_sac": 1,
        "tot": 1,
        "hoan_thanh": 1,
        "khong_hoan_thanh": 1,
    }
    assert children["P.U1.01.01"]["percent"]["xuat_sac"] == 25.0
    assert children["P.U1.01.02"]["members"] == 2
    assert children["P.U1.01.02"]["grades"] == {**NOBODY, "tot": 2}
    assert children["P.U1.01.05"] == {
        "org": "P.U1.01.05",
        "name": "Chi bộ P.U1.01.05",
        "members": 0,
        "assessed": 0,
        "grades": NOBODY,
        "percent": NO_SHARE,
    }
    # a base committee's report shows its own grade among the base organisations
    assert found["organizations"]["grades"] == {**NOBODY, "tot": 1}


def test_a_branch_has_no_children_and_no_base_organisation(world):
    add_grades(world)
    found = report("--org", "P.U1.01.01", "--year", "2024")
    assert (found["members"], found["assessed"]) == (5, 4)
    assert found["children"] == []
    assert found["organizations"] == {"assessed": 0, "grades": NOBODY, "percent": NO_SHARE}


def test_an_earlier_year_and_a_year_without_grades(world):
    add_grades(world)
    found = report("--org", "P.U1", "--year", "2023")
    assert found["grades"] == {**NOBODY, "tot": 2}
    assert found["percent"] == {**dict.fromkeys(NOBODY, 0.0), "tot": 100.0}
    found = report("--org", "P.U1", "--year", "2020")
    assert (found["assessed"], found["grades"], found["percent"]) == (0, NOBODY, NO_SHARE)
    # the 7 of 2024, less the 2 admitted in 2023 and 2024, plus the one who resigned in 2024
    assert found["members"] == 6


def test_the_whole_province_counts_every_subtree(world):
    add_grades(world)
    found = report("--org", "P", "--year", "2024")
    assert found["grades"] == {"xuat_sac": 2, "tot": 4, "hoan_thanh": 1, "khong_hoan_thanh": 1}
    assert found["members"] == 9
    assert found["organizations"]["grades"] == {**NOBODY, "xuat_sac": 1, "tot": 1}
    assert sum(child["assessed"] for child in found["children"]) == 8


def test_the_current_year_counts_todays_members(world):
    add_grades(world)
    year = timezone.localdate().year
    found = report("--org", "P.U1", "--year", str(year))
    assert found["members"] == 7  # today: see test_report_structure_command.py
    assert found["assessed"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "P.U1"], "Báo cáo xếp loại chất lượng cần tham số --year Y"),
        (["--org", "KHONG-CO", "--year", "2024"], "Không tìm thấy tổ chức có mã KHONG-CO."),
        (["--org", "P.U1", "--from", "2020", "--to", "2021"], "dùng --year Y"),
        (["--org", "P.U1", "--year", "1929"], "Năm phải từ 1930 trở đi."),
        (["--org", "P.U1", "--year", "2999"], "Năm 2999 chưa bắt đầu"),
        (["--org", "P.U1", "--year", "2024", "--format", "pdf"], "cần tham số --output TỆP."),
    ],
)
def test_wrong_arguments_exit_1_with_a_vietnamese_message(world, args, message):
    status, out, err = run_report("quality", *args)
    assert status == 1
    assert message in err
    assert out == ""
