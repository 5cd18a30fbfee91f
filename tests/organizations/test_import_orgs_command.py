"""`dangvien import orgs FILE`: all or nothing, every problem named by row, idempotent."""

import io

import pytest
from django.core.management import call_command

from dangvien.core.models import AuditEntry
from dangvien.core.scope import unscoped
from dangvien.organizations.models import Organization, OrgKind
from tests.spreadsheets import ORG_HEADERS, org_tree_rows, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run_import(path, *extra) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "orgs", str(path), *extra, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_thousand_orgs_one_bad_row_rejected_then_corrected_then_idempotent(tmp_path):
    rows = org_tree_rows()
    assert len(rows) == 1001
    bad = [list(row) for row in rows]
    bad[535][2] = "Chi bộ ảo"  # spreadsheet row 537 (row 1 holds the headers)

    code, out, err = run_import(write_xlsx(tmp_path / "bad.xlsx", ORG_HEADERS, bad))
    assert code == 1
    assert (
        out.strip()
        == 'dòng 537, cột "Loại tổ chức": “Chi bộ ảo” không phải một loại tổ chức hợp lệ.'
    )
    assert "không có dữ liệu nào được ghi" in err
    assert Organization.unscoped.count() == 0

    good = write_xlsx(tmp_path / "good.xlsx", ORG_HEADERS, rows)
    code, out, _ = run_import(good)
    assert code == 0
    assert "tạo mới 1001, cập nhật 0, không thay đổi 0" in out
    with unscoped():
        assert Organization.objects.filter(kind=OrgKind.SUB_BRANCH).count() == 900
        branch = Organization.objects.get(code="T.07.03.05")
        assert branch.path.startswith(Organization.objects.get(code="T.07").path)
        assert branch.depth == 3
    audit_entries = AuditEntry.unscoped.count()

    code, out, _ = run_import(good)
    assert code == 0
    assert "tạo mới 0, cập nhật 0, không thay đổi 1001" in out
    assert AuditEntry.unscoped.count() == audit_entries


def test_dry_run_validates_without_writing(tmp_path):
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADERS, org_tree_rows(2, 2, 2))
    code, out, _ = run_import(path, "--dry-run")
    assert code == 0
    assert "sẽ tạo mới 15" in out
    assert Organization.unscoped.count() == 0


def test_headers_match_ignoring_case_diacritics_spaces_and_order(tmp_path):
    headers = ["ma to chuc cap tren", "  TEN   TO CHUC ", "loai to chuc", "Mã Tổ Chức", "Ghi chú"]
    rows = [
        ["", "Đảng bộ tỉnh A", "dang bo tinh", "A"],
        ["A", "Đảng bộ xã B", "Đảng bộ cấp trên cơ sở", "A.B"],
    ]
    code, out, err = run_import(write_csv(tmp_path / "o.csv", headers, rows, bom=False))
    assert code == 0, out
    assert 'Cảnh báo: dòng 1, cột "Ghi chú": cột không có trong mẫu, bỏ qua.' in err
    with unscoped():
        assert Organization.objects.get(code="A.B").parent.code == "A"


def test_every_problem_is_reported_with_its_row(tmp_path):
    rows = [
        ["T", "Đảng bộ tỉnh", "Đảng bộ tỉnh", ""],  # row 2
        ["T.1", "Đảng bộ xã", "Đảng bộ cấp trên trực tiếp cơ sở", "T"],  # 3
        ["T.1", "Trùng mã", "Đảng bộ cơ sở", "T.1"],  # 4 duplicate code
        ["T.2", "Chi bộ lạc chỗ", "Chi bộ trực thuộc", "T.1"],  # 5 sub-branch under upper
        ["T.3", "Không có cấp trên", "Đảng bộ cơ sở", "X.9"],  # 6 unknown parent
        ["T.4", "", "Đảng bộ cơ sở", "T.1"],  # 7 empty name
        ["C.1", "Vòng một", "Đảng bộ bộ phận", "C.2"],  # 8 cycle
        ["C.2", "Vòng hai", "Đảng bộ bộ phận", "C.1"],  # 9 cycle
        ["T.5", "Đảng bộ cơ sở thiếu cấp trên", "Đảng bộ cơ sở", ""],  # 10 base at top
    ]
    code, out, _ = run_import(write_xlsx(tmp_path / "bad.xlsx", ORG_HEADERS, rows))
    assert code == 1
    lines = out.strip().splitlines()
    assert 'dòng 4, cột "Mã tổ chức": mã T.1 bị trùng với dòng 3.' in lines
    assert any(
        line.startswith('dòng 5, cột "Mã tổ chức cấp trên": Chi bộ trực thuộc không thể')
        for line in lines
    )
    assert (
        'dòng 6, cột "Mã tổ chức cấp trên": không tìm thấy tổ chức mã X.9 trong tệp '
        "hoặc trong phạm vi quản lý."
    ) in lines
    assert 'dòng 7, cột "Tên tổ chức": không được để trống.' in lines
    assert any(line.startswith('dòng 8, cột "Mã tổ chức cấp trên"') for line in lines)
    assert any("vòng lặp" in line and line.startswith("dòng 9") for line in lines)
    assert 'dòng 10, cột "Loại tổ chức": Đảng bộ cơ sở phải có tổ chức cấp trên.' in lines
    assert Organization.unscoped.count() == 0


def test_missing_required_column_is_reported_on_the_header_row(tmp_path):
    path = write_csv(tmp_path / "o.csv", ["Mã tổ chức", "Tên tổ chức"], [["A", "Tỉnh A"]])
    code, out, _ = run_import(path)
    assert code == 1
    assert 'dòng 1, cột "Loại tổ chức": thiếu cột bắt buộc.' in out


def test_formula_text_is_stored_as_text(tmp_path):
    rows = [["F", '=HYPERLINK("http://x","bấm")', "Đảng bộ tỉnh", ""]]
    code, _, _ = run_import(write_xlsx(tmp_path / "f.xlsx", ORG_HEADERS, rows))
    assert code == 0
    with unscoped():
        assert Organization.objects.get(code="F").name == '=HYPERLINK("http://x","bấm")'


def test_reimport_renames_and_moves_with_the_subtree(tmp_path):
    rows = org_tree_rows(2, 2, 2)
    run_import(write_xlsx(tmp_path / "v1.xlsx", ORG_HEADERS, rows))
    changed = [list(row) for row in rows]
    for row in changed:
        if row[0] == "T.01.02":
            row[1], row[3] = "Đảng bộ Trường Đã Đổi Tên", "T.02"
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", ORG_HEADERS, changed))
    assert code == 0
    assert "tạo mới 0, cập nhật 1, không thay đổi 14" in out
    with unscoped():
        moved = Organization.objects.get(code="T.01.02")
        new_parent = Organization.objects.get(code="T.02")
        assert moved.name == "Đảng bộ Trường Đã Đổi Tên"
        assert moved.parent == new_parent
        child = Organization.objects.get(code="T.01.02.01")
        assert child.path == f"{moved.path}{child.pk}/"
        assert child.depth == 3
    entry = AuditEntry.unscoped.get(action="org.update")
    assert entry.changes["parent"] == ["T.01", "T.02"]


def test_kind_change_that_strands_children_is_rejected(tmp_path):
    rows = org_tree_rows(1, 1, 2)
    run_import(write_xlsx(tmp_path / "v1.xlsx", ORG_HEADERS, rows))
    only_base = [["T.01.01", "Đảng bộ Trường", "Chi bộ cơ sở", "T.01"]]
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", ORG_HEADERS, only_base))
    assert code == 1
    assert 'dòng 2, cột "Loại tổ chức": tổ chức trực thuộc T.01.01.01' in out


def test_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(Exception, match="Không đọc được tệp Excel"):
        call_command("import", "orgs", str(path))


def test_reimport_can_move_an_upper_committee_to_the_top(tmp_path):
    rows = org_tree_rows(2, 1, 1)
    run_import(write_xlsx(tmp_path / "v1.xlsx", ORG_HEADERS, rows))
    changed = [[*row[:3], ""] if row[0] == "T.02" else row for row in rows]
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", ORG_HEADERS, changed))
    assert code == 0, out
    with unscoped():
        moved = Organization.objects.get(code="T.02")
        branch = Organization.objects.get(code="T.02.01.01")
    assert moved.parent is None and moved.path == f"/{moved.pk}/" and moved.depth == 0
    assert branch.path.startswith(moved.path) and branch.depth == 2
