"""`dangvien import awards`: the history of awards of members and organisations, all or
nothing; the same file again changes nothing, a changed row corrects the award with the file
named as the reason."""

import csv
import io

from django.core.management import call_command

from dangvien.awards.importing import COLUMNS
from dangvien.awards.models import Award
from dangvien.core.models import AuditEntry

HEADERS = [column.header for column in COLUMNS]


def _file(tmp_path, rows, name="khen-thuong.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADERS, *rows])
    return path


def _import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "awards", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def _rows(world, level="Cấp tỉnh"):
    return [
        [
            world.member.code,
            "",
            "Bằng khen",
            level,
            "Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền (2017–2021)",
            "2017–2021",
            "150-QĐ/TU",
            "12/02/2022",
            "Ban Thường vụ Tỉnh ủy",
            "",
        ],
        [
            "",
            world.base.code,
            "Cờ truyền thống",
            "Trung ương",
            "Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ tiêu biểu",
            "2021",
            "9-QĐ/TW",
            "03/02/2022",
            "Ban Bí thư",
            "Thành tích xuất sắc",
        ],
    ]


def test_awards_import_then_nothing_changes_then_a_correction(world, tmp_path):
    code, said = _import(_file(tmp_path, _rows(world)))
    assert code == 0, said
    member_award = Award.unscoped.get(member=world.member)
    assert (member_award.year_from, member_award.year_to, member_award.level) == (
        2017,
        2021,
        "tinh",
    )
    org_award = Award.unscoped.get(organization=world.base)
    assert (org_award.form, org_award.form_label) == ("khac", "Cờ truyền thống")

    code, said = _import(_file(tmp_path, _rows(world)))
    assert code == 0 and Award.unscoped.count() == 2
    assert not AuditEntry.unscoped.filter(action="awards.correct").exists()

    code, said = _import(_file(tmp_path, _rows(world, level="Trung ương")))
    assert code == 0
    member_award.refresh_from_db()
    assert member_award.level == "trung_uong"
    entry = AuditEntry.unscoped.get(action="awards.correct")
    assert entry.reason == "Nhập từ tệp khen-thuong.csv"


def test_a_bad_row_imports_nothing(world, tmp_path):
    rows = _rows(world)
    rows[1][0] = world.member.code  # both codes
    rows.append(["", "KHONG-CO", "Giấy khen", "Cấp xã", "X", "2021", "1", "01/01/2022", "Y", ""])
    rows.append([world.member.code, "", "Giấy khen", "Cấp tỉnh", "X", "2023", "2", "01/01/2022"])
    rows[-1] += ["Y", ""]
    code, said = _import(_file(tmp_path, rows))
    assert code == 1
    assert 'dòng 3, cột "Mã đảng viên": ghi mã đảng viên hoặc mã tổ chức' in said
    assert 'dòng 4, cột "Cấp khen"' in said
    assert 'dòng 5, cột "Năm"' in said  # a year after its decision
    assert Award.unscoped.count() == 0
