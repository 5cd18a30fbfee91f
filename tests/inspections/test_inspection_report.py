"""`dangvien import inspections` and `dangvien report inspection` (formats.md): a bloc's 2021
activities and decisions imported, the report counting distinct subjects per kind and form by
the bodies inside the subtree in that year, the province adding its children, the figures kept
after a later move, and the same report on its page and as xlsx and PDF."""

import datetime
import io
import json

from django.core.management import call_command
from openpyxl import load_workbook

from dangvien.core.roles import Role
from dangvien.inspections.models import Conclusion, Inspection
from tests.assessments.commands import run_import
from tests.factories import MemberFactory
from tests.spreadsheets import write_csv

HEADERS = [
    "Số quyết định",
    "Ngày quyết định",
    "Hoạt động",
    "Hình thức",
    "Mã chủ thể",
    "Cơ quan tiến hành",
    "Mã đối tượng",
    "Nội dung",
    "Kết luận",
    "Ngày kết luận",
]
DISCIPLINE_HEADERS = [
    "Số quyết định",
    "Mã đối tượng",
    "Hình thức",
    "Ngày quyết định",
    "Mã tổ chức quyết định",
    "Nội dung vi phạm",
]
VIOLATION = "Có vi phạm, phải kỷ luật"


def _members(world):
    MemberFactory(code="KT-1", full_name="Phạm Văn Cường", branch=world.branch)
    MemberFactory(code="KT-2", full_name="Đỗ Thị Dung", branch=world.other_branch)


def _rows(world) -> list[list]:
    out = world.outside_upper.code
    return [
        # The ward's inspection committee inspects one member twice: one subject.
        [
            "01-QĐ/UBKT",
            "10/03/2021",
            "Kiểm tra",
            "Khi có dấu hiệu vi phạm",
            "P.U1",
            "Ủy ban kiểm tra",
            "KT-1",
            "Việc kê khai tài sản",
            VIOLATION,
            "20/04/2021",
        ],
        [
            "02-QĐ/UBKT",
            "15/05/2021",
            "Kiểm tra",
            "khi co dau hieu vi pham",
            "P.U1",
            "Ủy ban kiểm tra",
            "KT-1",
            "",
            "",
            "",
        ],
        # The school's committee inspects its two branches regularly.
        [
            "03-KH/ĐU",
            "01/06/2021",
            "Kiểm tra",
            "Thường xuyên",
            "P.U1.01",
            "Cấp ủy",
            "P.U1.01.01",
            "",
            "Không vi phạm",
            "30/06/2021",
        ],
        [
            "04-KH/ĐU",
            "01/06/2021",
            "Kiểm tra",
            "Thường xuyên",
            "P.U1.01",
            "Cấp ủy",
            "P.U1.01.02",
            "",
            "Có vi phạm, chưa đến mức kỷ luật",
            "30/06/2021",
        ],
        # A branch supervises its member by theme; the ward supervises the same member.
        [
            "05-KH/CB",
            "02/07/2021",
            "Giám sát",
            "Chuyên đề",
            "P.U1.01.02",
            "Chi bộ",
            "KT-2",
            "",
            "",
            "",
        ],
        [
            "06-KH/ĐU",
            "02/08/2021",
            "Giám sát",
            "Thường xuyên",
            "P.U1",
            "Cấp ủy",
            "KT-2",
            "",
            "",
            "",
        ],
        # Another year, and a body outside the ward.
        [
            "07-KH/ĐU",
            "02/02/2022",
            "Giám sát",
            "Thường xuyên",
            "P.U1",
            "Cấp ủy",
            "KT-1",
            "",
            "",
            "",
        ],
        [
            "08-QĐ/UBKT",
            "05/05/2021",
            "Kiểm tra",
            "Tài chính đảng",
            out,
            "Ủy ban kiểm tra",
            f"{out}.01",
            "",
            "",
            "",
        ],
    ]


def _report(*args: str) -> dict:
    out = io.StringIO()
    call_command("report", "inspection", *args, stdout=out)
    return json.loads(out.getvalue())


def _import_2021(world, tmp_path):
    _members(world)
    code, out, err = run_import(
        "inspections", write_csv(tmp_path / "kt.csv", HEADERS, _rows(world))
    )
    assert (code, out) == (
        0,
        "Đã nhập cuộc kiểm tra, giám sát: tạo mới 8, cập nhật 0, không thay đổi 0.\n",
    ), err
    decisions = [
        ["10-QĐ/ĐU", "KT-1", "Cảnh cáo", "10/05/2021", "P.U1", "Vi phạm quy định kê khai"],
        ["11-QĐ/ĐU", "P.U1.01.02", "Khiển trách", "15/07/2021", "P.U1", ""],
        ["12-QĐ/ĐU", "KT-2", "Khiển trách", "15/07/2020", "P.U1", "Năm trước"],
    ]
    path = write_csv(tmp_path / "kl.csv", DISCIPLINE_HEADERS, decisions)
    assert run_import("disciplines", path)[0] == 0


WARD_2021 = {
    "org": "P.U1",
    "year": 2021,
    "kiem_tra": {
        "to_chuc": 2,
        "dang_vien": 1,
        "theo_hinh_thuc": {
            "thuong_xuyen": {"to_chuc": 2, "dang_vien": 0},
            "chuyen_de": {"to_chuc": 0, "dang_vien": 0},
            "khi_co_dau_hieu_vi_pham": {"to_chuc": 0, "dang_vien": 1},
            "chap_hanh": {"to_chuc": 0, "dang_vien": 0},
            "thuc_hien_nhiem_vu_kiem_tra_giam_sat": {"to_chuc": 0, "dang_vien": 0},
            "thi_hanh_ky_luat": {"to_chuc": 0, "dang_vien": 0},
            "tai_chinh_dang": {"to_chuc": 0, "dang_vien": 0},
        },
    },
    "giam_sat": {
        "to_chuc": 0,
        "dang_vien": 1,
        "theo_hinh_thuc": {
            "thuong_xuyen": {"to_chuc": 0, "dang_vien": 1},
            "chuyen_de": {"to_chuc": 0, "dang_vien": 1},
        },
    },
    "vi_pham": {"to_chuc": 1, "dang_vien": 1},
    "phai_ky_luat": {"to_chuc": 0, "dang_vien": 1},
    "ky_luat": {
        "to_chuc": {"khien_trach": 1, "canh_cao": 0, "giai_tan": 0},
        "dang_vien": {"khien_trach": 0, "canh_cao": 1, "cach_chuc": 0, "khai_tru": 0},
    },
}
BASE_CHILD = {
    "org": "P.U1.01",
    "kiem_tra": {"to_chuc": 2, "dang_vien": 0},
    "giam_sat": {"to_chuc": 0, "dang_vien": 1},
    "vi_pham": {"to_chuc": 1, "dang_vien": 0},
    "ky_luat": 2,
}


def _without_names(report: dict) -> dict:
    report = {k: v for k, v in report.items() if k not in ("name", "as_of")}
    report["children"] = [
        {k: v for k, v in child.items() if k != "name"} for child in report["children"]
    ]
    return report


def test_a_blocs_year_counts_distinct_subjects_by_kind_and_form(world, tmp_path):
    _import_2021(world, tmp_path)
    ward = _without_names(_report("--org", "P.U1", "--year", "2021"))
    assert ward == {**WARD_2021, "children": [BASE_CHILD]}

    province = _report("--org", "P", "--year", "2021")
    assert province["kiem_tra"]["to_chuc"] == 3  # the outside committee's subject added
    assert province["kiem_tra"]["theo_hinh_thuc"]["tai_chinh_dang"] == {
        "to_chuc": 1,
        "dang_vien": 0,
    }
    children = {child["org"]: child for child in province["children"]}
    assert children["P.U1"]["kiem_tra"] == {"to_chuc": 2, "dang_vien": 1}
    assert children[world.outside_upper.code]["kiem_tra"] == {"to_chuc": 1, "dang_vien": 0}
    assert province["ky_luat"] == WARD_2021["ky_luat"]

    year_2022 = _report("--org", "P.U1", "--year", "2022")
    assert year_2022["giam_sat"]["dang_vien"] == 1 and year_2022["kiem_tra"]["dang_vien"] == 0

    # The same file again changes nothing; an annulled activity counts nowhere.
    path = write_csv(tmp_path / "again.csv", HEADERS, _rows(world))
    assert run_import("inspections", path)[1].endswith("không thay đổi 8.\n")
    Inspection.unscoped.filter(decision_number="05-KH/CB").update(
        annulled_at=datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
    )
    base = _report("--org", "P.U1.01", "--year", "2021")
    assert base["giam_sat"] == {
        "to_chuc": 0,
        "dang_vien": 0,
        "theo_hinh_thuc": {
            "thuong_xuyen": {"to_chuc": 0, "dang_vien": 0},
            "chuyen_de": {"to_chuc": 0, "dang_vien": 0},
        },
    }


def test_the_2021_figures_stay_after_the_school_moves_away(world, tmp_path):
    _import_2021(world, tmp_path)
    before = _report("--org", "P.U1", "--year", "2021")
    move = [["P.U1.01", "Chuyển", world.outside_upper.code, "", "", "01/03/2023", "5-QĐ/TU", "P"]]
    headers = [
        "Mã tổ chức",
        "Sự kiện",
        "Mã tổ chức cấp trên mới",
        "Mã tổ chức tiếp nhận",
        "Tên mới",
        "Ngày hiệu lực",
        "Số quyết định",
        "Cơ quan quyết định",
    ]
    code, out, err = run_import("org-events", write_csv(tmp_path / "move.csv", headers, move))
    assert code == 0, out + err
    assert _report("--org", "P.U1", "--year", "2021") == before
    after = _report("--org", "P.U1", "--year", "2023")
    assert after["kiem_tra"]["to_chuc"] == 0 and after["children"] == []


def test_rows_the_rules_refuse_are_named_and_nothing_is_written(world, tmp_path):
    _members(world)
    rows = [
        # A supervision on signs of violation; a sub-branch's inspection committee.
        [
            "20-KH",
            "01/03/2021",
            "Giám sát",
            "Khi có dấu hiệu vi phạm",
            "P.U1",
            "Cấp ủy",
            "KT-1",
            "",
            "",
            "",
        ],
        [
            "21-QĐ",
            "01/03/2021",
            "Kiểm tra",
            "Thường xuyên",
            "P.U1.01.01",
            "Ủy ban kiểm tra",
            "KT-1",
            "",
            "",
            "",
        ],
        # A subject outside the body; a conclusion without its day.
        [
            "22-QĐ",
            "01/03/2021",
            "Kiểm tra",
            "Thường xuyên",
            "P.U1.01.01",
            "Chi bộ",
            "KT-2",
            "",
            "",
            "",
        ],
        [
            "23-QĐ",
            "01/03/2021",
            "Kiểm tra",
            "Thường xuyên",
            "P.U1",
            "Cấp ủy",
            "KT-2",
            "",
            "Không vi phạm",
            "",
        ],
        ["24-QĐ", "01/03/2021", "Kiểm tra", "Thường xuyên", "P.U1", "Cấp ủy", "KT-2", "", "", ""],
    ]
    code, out, err = run_import("inspections", write_csv(tmp_path / "bad.csv", HEADERS, rows))
    assert code == 1 and "không có dữ liệu nào được ghi" in err
    assert (
        'dòng 2, cột "Hình thức": Giám sát chỉ có hình thức «Thường xuyên» hoặc «Chuyên đề»' in out
    )
    assert (
        'dòng 3, cột "Cơ quan tiến hành": Chi bộ Tổ Toán (chi bộ trực thuộc) không có ủy ban '
        "kiểm tra" in out
    )
    assert 'dòng 4, cột "Mã đối tượng": Đỗ Thị Dung không sinh hoạt trong Chi bộ Tổ Toán' in out
    assert 'dòng 5, cột "Ngày kết luận": cần ghi ngày kết luận' in out
    assert "dòng 6" not in out
    assert not Inspection.unscoped.exists()


def test_a_secretary_imports_only_their_branchs_activities(world, tmp_path):
    _members(world)
    rows = [
        [
            "30-KH/CB",
            "01/03/2021",
            "Giám sát",
            "Thường xuyên",
            "P.U1.01.01",
            "Chi bộ",
            "KT-1",
            "",
            "",
            "",
        ],
        [
            "31-KH/ĐU",
            "01/03/2021",
            "Giám sát",
            "Thường xuyên",
            "P.U1",
            "Cấp ủy",
            "KT-1",
            "",
            "",
            "",
        ],
    ]
    from dangvien.inspections.importing import import_inspections

    path = write_csv(tmp_path / "cb.csv", HEADERS, rows)
    report = import_inspections(path.read_bytes(), "cb.csv", actor=world.users[Role.SECRETARY])
    assert [str(problem) for problem in report.problems] == [
        'dòng 3, cột "Mã chủ thể": không tìm thấy tổ chức mã P.U1 trong phạm vi được ghi kiểm '
        "tra, giám sát."
    ]
    report = import_inspections(
        write_csv(tmp_path / "one.csv", HEADERS, rows[:1]).read_bytes(),
        "one.csv",
        actor=world.users[Role.SECRETARY],
    )
    assert report.ok and Inspection.unscoped.get().conclusion == Conclusion.PENDING


def test_the_report_page_and_its_files_show_the_same_figures(world, tmp_path):
    _import_2021(world, tmp_path)
    client = world.client(Role.OFFICER)
    page = client.get("/reports/inspection/?org=P.U1&year=2021").content.decode()
    assert "Báo cáo kiểm tra, giám sát và kỷ luật năm 2021: Đảng bộ phường Hòa Bình" in page
    table = page.split('id="activity-kiem_tra"')[1].split("</section>")[0]
    assert '<td>Khi có dấu hiệu vi phạm</td><td class="num">0</td><td class="num">1</td>' in table
    assert 'href="?org=P.U1.01&amp;year=2021"' in page
    assert client.get("/reports/inspection/?org=P&year=2021").status_code == 404  # outside
    workbook = load_workbook(
        io.BytesIO(client.get("/reports/inspection.xlsx?org=P.U1&year=2021").content)
    )
    rows = list(workbook["Kiểm tra, giám sát"].iter_rows(values_only=True))
    assert ("Khi có dấu hiệu vi phạm", 0, 1) in rows and ("Tổng số được kiểm tra", 2, 1) in rows
    children = list(workbook["Tổ chức trực thuộc"].iter_rows(values_only=True))
    assert children[1][:4] == ("P.U1.01", "Đảng bộ Trường Tiểu học Hòa Bình", "Đảng bộ cơ sở", 2)
    pdf = client.get("/reports/inspection.pdf?org=P.U1&year=2021")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_conclusion_after_the_year_leaves_that_years_figures_as_reported(world, tmp_path):
    _members(world)
    rows = [
        [
            "40-QĐ/UBKT",
            "01/12/2021",
            "Kiểm tra",
            "Khi có dấu hiệu vi phạm",
            "P.U1",
            "Ủy ban kiểm tra",
            "KT-1",
            "",
            VIOLATION,
            "10/01/2022",
        ],
    ]
    assert run_import("inspections", write_csv(tmp_path / "late.csv", HEADERS, rows))[0] == 0
    year_2021 = _report("--org", "P.U1", "--year", "2021")
    assert year_2021["kiem_tra"]["dang_vien"] == 1  # inspected in 2021
    assert year_2021["vi_pham"] == {"to_chuc": 0, "dang_vien": 0}  # concluded in 2022
