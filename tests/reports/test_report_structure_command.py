"""`dangvien report structure --org CODE [--year Y]`: the JSON of formats.md, and its errors."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.reports.commands import run_report
from tests.reports.worlds import add_history

EXPECTED_END_2024 = {
    "org": "P.U1",
    "name": "Đảng bộ phường Hòa Bình",
    "as_of": "2024-12-31",
    "members": 7,
    "official": 5,
    "probationary": 2,
    "organizations": {
        "dang_bo_cap_tren_co_so": 0,
        "dang_bo_co_so": 1,
        "chi_bo_co_so": 0,
        "dang_bo_bo_phan": 0,
        "chi_bo_truc_thuoc": 3,
    },
    "breakdown": {
        "gioi_tinh": {"Nam": 5, "Nữ": 2},
        "chuyen_mon": {"Cao đẳng": 1, "Đại học": 3, "Thạc sĩ": 1, "Tiến sĩ": 1, "Chưa rõ": 1},
        "ly_luan_chinh_tri": {
            "Sơ cấp": 1,
            "Trung cấp": 1,
            "Cao cấp": 2,
            "Cử nhân": 1,
            "Chưa rõ": 2,
        },
        "dan_toc": {"Kinh": 6, "Tày": 1},
        "ton_giao": {"Không": 4, "Phật giáo": 1, "Công giáo": 1, "Chưa rõ": 1},
        "do_tuoi": {"≤30": 1, "31-40": 3, "41-50": 1, "51-60": 0, "61-70": 1, ">70": 1},
    },
    # the base organisations below by sector: P.U1.01, whose sector is not recorded
    "co_so_theo_loai_hinh": {
        "xa": 0,
        "phuong": 0,
        "dac_khu": 0,
        "co_quan_dang": 0,
        "co_quan_nha_nuoc": 0,
        "mat_tran_doan_the": 0,
        "don_vi_su_nghiep": 0,
        "doanh_nghiep_nha_nuoc": 0,
        "doanh_nghiep_tu_nhan": 0,
        "doanh_nghiep_fdi": 0,
        "quan_doi": 0,
        "cong_an": 0,
        "khac": 0,
        "chua_ghi": 1,
    },
    # transfers of the year to its end (tests/reports/test_structure_transfers.py counts some)
    "chuyen_sinh_hoat": {
        "tu_ngay": "2024-01-01",
        "den_ngay": "2024-12-31",
        "chuyen_den": 0,
        "chuyen_den_tu_ngoai_he_thong": 0,
        "chuyen_di": 0,
        "chuyen_di_ra_ngoai_he_thong": 0,
        "chua_den_sinh_hoat": 0,
        "sinh_hoat_tam_thoi": 0,
    },
}


def age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def test_structure_at_the_end_of_a_year_is_the_json_of_formats_md(world):
    add_history(world)
    status, out, _ = run_report("structure", "--org", "P.U1", "--year", "2024")
    assert status == 0
    assert json.loads(out) == EXPECTED_END_2024
    assert "Nữ" in out and "\\u" not in out  # UTF-8, not ASCII escapes
    report = json.loads(out)
    assert list(report) == list(EXPECTED_END_2024)
    assert list(report["breakdown"]) == list(EXPECTED_END_2024["breakdown"])
    assert list(report["breakdown"]["chuyen_mon"]) == list(
        EXPECTED_END_2024["breakdown"]["chuyen_mon"]
    )
    assert list(report["breakdown"]["do_tuoi"]) == [
        "≤30",
        "31-40",
        "41-50",
        "51-60",
        "61-70",
        ">70",
    ]


def test_structure_without_a_year_is_today(world):
    people = add_history(world)
    status, out, _ = run_report("structure", "--org", "P.U1")
    assert status == 0
    report = json.loads(out)
    today = timezone.localdate()
    assert report["as_of"] == today.isoformat()
    # joined in 2025 and moved in count; the dead, the resigned and the moved-out do not
    assert (report["members"], report["official"], report["probationary"]) == (7, 5, 2)
    assert report["breakdown"]["gioi_tinh"] == {"Nam": 4, "Nữ": 3}
    assert report["organizations"]["chi_bo_truc_thuoc"] == 3  # 01, 02 and the one of 2025
    births = [world.member.birth_date, world.other_member.birth_date] + [
        people[key].birth_date
        for key in ("young", "recognised_2025", "seventy", "admitted_2025", "moved_in")
    ]
    ages = [age(birth, today) for birth in births]
    expected_bands = {
        "≤30": sum(a <= 30 for a in ages),
        "31-40": sum(31 <= a <= 40 for a in ages),
        "41-50": sum(41 <= a <= 50 for a in ages),
        "51-60": sum(51 <= a <= 60 for a in ages),
        "61-70": sum(61 <= a <= 70 for a in ages),
        ">70": sum(a > 70 for a in ages),
    }
    assert report["breakdown"]["do_tuoi"] == expected_bands


def test_a_branch_has_no_organisations_below_it(world):
    status, out, _ = run_report("structure", "--org", world.branch.code, "--year", "2024")
    assert status == 0
    report = json.loads(out)
    assert report["members"] == 1
    assert set(report["organizations"].values()) == {0}
    assert report["breakdown"]["ly_luan_chinh_tri"] == {"Chưa rõ": 1}


def test_structure_of_the_whole_province_counts_every_subtree(world):
    status, out, _ = run_report("structure", "--org", "P", "--year", "2024")
    assert status == 0
    report = json.loads(out)
    assert report["members"] == 3
    assert report["organizations"]["dang_bo_cap_tren_co_so"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "KHONG-CO"], "Không tìm thấy tổ chức có mã KHONG-CO."),
        (["--org", "P.U1", "--from", "2020", "--to", "2021"], "dùng --year Y"),
        (["--org", "P.U1", "--year", "1929"], "Năm phải từ 1930 trở đi."),
        (["--org", "P.U1", "--year", "2999"], "Năm 2999 chưa bắt đầu"),
        (["--org", "P.U1", "--format", "xlsx"], "Định dạng xlsx cần tham số --output TỆP."),
        (["--org", "P.U1", "--format", "pdf"], "Định dạng pdf cần tham số --output TỆP."),
    ],
)
def test_wrong_arguments_exit_1_with_a_vietnamese_message(world, args, message):
    status, out, err = run_report("structure", *args)
    assert status == 1
    assert message in err
    assert out == ""


def test_only_implemented_kinds_are_offered(world):
    status, _, err = run_report("members", "--org", "P.U1", "--year", "2024")
    assert status == 1
    assert "invalid choice" in err
    assert all(kind in err for kind in ("structure", "quality", "admissions"))


def test_json_can_be_written_to_a_file(world, tmp_path):
    target = tmp_path / "co-cau.json"
    status, out, err = run_report("structure", "--org", "P.U1", "--output", str(target))
    assert status == 0
    assert out == ""
    assert str(target) in err
    assert json.loads(target.read_text(encoding="utf-8"))["members"] == 2
