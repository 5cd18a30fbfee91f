"""`dangvien import orgs FILE`: all or nothing, every problem named by row, idempotent."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Status
from dangvien.members.services import end_membership
from dangvien.organizations.models import (
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
    OrgState,
    Sector,
)
from tests.organizations.history_checks import assert_history_holds, states_of
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


HISTORY_HEADERS = [*ORG_HEADERS, "Ngày thành lập", "Loại hình"]
PRIVATE = "doanh nghiep tu nhan"  # labels match ignoring case and diacritics


def history_rows() -> list[list]:
    return [
        ["T", "Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ tỉnh", "", "", ""],
        ["T.01", "Đảng bộ phường Một", "Đảng bộ cấp trên cơ sở", "T", "01/07/2025", "PHƯỜNG"],
        ["T.02", "Đảng bộ xã Hai", "Đảng bộ cấp trên cơ sở", "T", "", "xa"],
        ["T.01.01", "Chi bộ Công ty An Phú", "Chi bộ cơ sở", "T.01", "03/07/2025", PRIVATE],
        [
            "T.01.02",
            "Đảng bộ Trường Một",
            "Đảng bộ cơ sở",
            "T.01",
            "01/07/2025",
            "Đơn vị sự nghiệp",
        ],
        ["T.01.02.01", "Chi bộ Tổ Toán", "Chi bộ trực thuộc", "T.01.02", "01/07/2025", ""],
    ]


def test_founding_and_sector_columns_give_each_organisation_its_first_state(tmp_path):
    path = write_xlsx(tmp_path / "orgs.xlsx", HISTORY_HEADERS, history_rows())
    code, out, _ = run_import(path)
    assert code == 0, out
    with unscoped():
        ward = Organization.objects.get(code="T.01")
        company = Organization.objects.get(code="T.01.01")
    assert (ward.sector, ward.founded_on.isoformat()) == (Sector.PHUONG, "2025-07-01")
    assert company.sector == Sector.DOANH_NGHIEP_TU_NHAN
    assert OrgState.unscoped.get(org=company).valid_from.isoformat() == "2025-07-03"
    establishing = OrgEvent.unscoped.filter(kind=OrgEventKind.ESTABLISH)
    assert sorted(establishing.values_list("org__code", flat=True)) == [
        "T.01",
        "T.01.01",
        "T.01.02",
        "T.01.02.01",
    ]
    assert establishing.get(org=ward).note == "Nhập từ tệp orgs.xlsx"
    assert OrgState.unscoped.count() == 6
    assert_history_holds()
    counts = OrgState.unscoped.count(), OrgEvent.unscoped.count(), AuditEntry.unscoped.count()

    code, out, _ = run_import(path)
    assert "tạo mới 0, cập nhật 0, không thay đổi 6" in out
    assert (OrgState.unscoped.count(), OrgEvent.unscoped.count()) == counts[:2]
    assert AuditEntry.unscoped.count() == counts[2]


def test_an_unknown_sector_or_a_bad_founding_date_is_a_row_error(tmp_path):
    rows = history_rows()
    rows[2][5] = "Hợp tác xã"
    rows[3][4] = "31/02/2010"
    rows[4][4] = "01/01/2999"
    code, out, _ = run_import(write_xlsx(tmp_path / "bad.xlsx", HISTORY_HEADERS, rows))
    assert code == 1
    assert (
        'dòng 4, cột "Loại hình": “Hợp tác xã” không phải loại hình hợp lệ (Xã, Phường, Đặc khu, '
        "Cơ quan Đảng, Cơ quan nhà nước, Mặt trận, đoàn thể, Đơn vị sự nghiệp, Doanh nghiệp nhà "
        "nước, Doanh nghiệp tư nhân, Doanh nghiệp có vốn đầu tư nước ngoài, Quân đội, Công an, "
        "Khác)." in out
    )
    assert 'dòng 5, cột "Ngày thành lập": ngày “31/02/2010” không tồn tại.' in out
    assert 'dòng 6, cột "Ngày thành lập": không thể ở tương lai.' in out
    assert Organization.unscoped.count() == 0


def test_a_reimport_corrects_in_place_and_moves_from_today(tmp_path):
    run_import(write_xlsx(tmp_path / "v1.xlsx", HISTORY_HEADERS, history_rows()))
    changed = history_rows()
    changed[3][1], changed[3][5] = "Chi bộ Công ty Cổ phần An Phú", "Doanh nghiệp nhà nước"
    changed[4][3] = "T.02"  # the school moves under the commune, with its branch
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", HISTORY_HEADERS, changed))
    assert code == 0, out
    assert "tạo mới 0, cập nhật 2, không thay đổi 4" in out
    today = timezone.localdate()
    with unscoped():
        company = Organization.objects.get(code="T.01.01")
        school = Organization.objects.get(code="T.01.02")
        branch = Organization.objects.get(code="T.01.02.01")
    assert company.sector == Sector.DOANH_NGHIEP_NHA_NUOC
    assert states_of(company) == [
        (datetime.date(2025, 7, 3), None, "Chi bộ Công ty Cổ phần An Phú", "T.01")
    ]
    assert states_of(school) == [
        (datetime.date(2025, 7, 1), today, "Đảng bộ Trường Một", "T.01"),
        (today, None, "Đảng bộ Trường Một", "T.02"),
    ]
    assert [s[1] for s in states_of(branch)] == [today, None]
    move = OrgEvent.unscoped.get(kind=OrgEventKind.MOVE)
    assert (move.org, move.effective_on, move.new_parent.code) == (school, today, "T.02")
    assert OrgState.unscoped.get(org=branch, valid_from=today).path == branch.path
    assert_history_holds()
    states = OrgState.unscoped.count()
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", HISTORY_HEADERS, changed))
    assert "tạo mới 0, cập nhật 0, không thay đổi 6" in out
    assert OrgState.unscoped.count() == states


def test_a_file_without_the_optional_columns_leaves_them_alone(tmp_path):
    run_import(write_xlsx(tmp_path / "v1.xlsx", HISTORY_HEADERS, history_rows()))
    plain = [row[:4] for row in history_rows()]
    _, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", ORG_HEADERS, plain))
    assert "tạo mới 0, cập nhật 0, không thay đổi 6" in out
    with unscoped():
        ward = Organization.objects.get(code="T.01")
    assert (ward.sector, ward.founded_on.isoformat()) == (Sector.PHUONG, "2025-07-01")


def test_the_import_page_reads_the_sector_and_the_founding_date(world, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from dangvien.core.roles import Role

    client = world.client(Role.OFFICER)
    upload = reverse("core:import-upload", kwargs={"kind": "orgs"})
    rows = [
        [
            "P.U1.05",
            "Chi bộ Trạm Y tế",
            "Chi bộ cơ sở",
            world.upper.code,
            "02/09/2015",
            "đơn vị sự nghiệp",
        ],
    ]
    path = write_xlsx(tmp_path / "to-chuc.xlsx", HISTORY_HEADERS, rows)
    response = client.post(upload, {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    response = client.get(response["Location"])
    assert "Tệp hợp lệ" in response.content.decode()
    pk = response.context["upload"].pk
    confirm = reverse("core:import-confirm", kwargs={"kind": "orgs", "pk": pk})
    html = client.post(confirm, follow=True).content.decode()
    assert "tạo mới 1, cập nhật 0, không thay đổi 0" in html
    org = Organization.unscoped.get(code="P.U1.05")
    assert (org.sector, org.founded_on) == (Sector.DON_VI_SU_NGHIEP, datetime.date(2015, 9, 2))
    event = OrgEvent.unscoped.get(org=org)
    assert (event.kind, event.recorded_by) == (OrgEventKind.ESTABLISH, world.users[Role.OFFICER])
    assert_history_holds()


def test_a_founding_date_before_the_parents_is_a_row_error(tmp_path):
    """The ward was founded on 01/07/2025: a branch under it is not founded in 2010, whether the
    ward is in the same file or already stored."""
    rows = history_rows()
    rows[3][4] = "03/02/2010"
    code, out, _ = run_import(write_xlsx(tmp_path / "new.xlsx", HISTORY_HEADERS, rows))
    assert code == 1
    refusal = (
        'dòng 5, cột "Ngày thành lập": không được trước ngày 01/07/2025, khi tổ chức cấp trên '
        "Đảng bộ phường Một được thành lập."
    )
    assert out.strip() == refusal
    assert Organization.unscoped.count() == 0
    run_import(write_xlsx(tmp_path / "v1.xlsx", HISTORY_HEADERS, history_rows()))
    added = [
        *history_rows(),
        ["T.01.03", "Chi bộ Khu phố", "Chi bộ cơ sở", "T.01", "01/06/2025", ""],
    ]
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", HISTORY_HEADERS, added))
    assert code == 1
    assert 'dòng 8, cột "Ngày thành lập": không được trước ngày 01/07/2025' in out
    assert not Organization.unscoped.filter(code="T.01.03").exists()


def test_a_founding_date_before_the_parents_move_is_a_row_error(tmp_path):
    """A parent moved today (by this file) or earlier: a new organisation under it is not
    founded before that day."""
    run_import(write_xlsx(tmp_path / "v1.xlsx", HISTORY_HEADERS, history_rows()))
    today = timezone.localdate()
    rows = history_rows()
    rows[4][3] = "T.02"  # the school moves today
    rows.append(["T.01.02.02", "Chi bộ Tổ Văn", "Chi bộ trực thuộc", "T.01.02", "01/01/2026", ""])
    code, out, _ = run_import(write_xlsx(tmp_path / "v2.xlsx", HISTORY_HEADERS, rows))
    assert code == 1
    assert out.strip() == (
        f'dòng 8, cột "Ngày thành lập": không được trước ngày {today:%d/%m/%Y}, khi tổ chức '
        "cấp trên Đảng bộ Trường Một được chuyển (dòng 6)."
    )
    rows[-1][4] = ""  # without a date it would have stood there always: not so either
    code, out, _ = run_import(write_xlsx(tmp_path / "v3.xlsx", HISTORY_HEADERS, rows))
    assert code == 1
    assert out.strip() == (
        f'dòng 8, cột "Ngày thành lập": là bắt buộc và không được trước ngày {today:%d/%m/%Y}, '
        "khi tổ chức cấp trên Đảng bộ Trường Một được chuyển (dòng 6)."
    )
    rows[-1][4] = f"{today:%d/%m/%Y}"
    code, out, _ = run_import(write_xlsx(tmp_path / "v3.xlsx", HISTORY_HEADERS, rows))
    assert code == 0, out
    rows.append(["T.01.02.03", "Chi bộ Tổ Sử", "Chi bộ trực thuộc", "T.01.02", "01/01/2026", ""])
    code, out, _ = run_import(write_xlsx(tmp_path / "v4.xlsx", HISTORY_HEADERS, rows))
    assert code == 1
    assert (
        f'dòng 9, cột "Ngày thành lập": không được trước ngày {today:%d/%m/%Y}, khi tổ chức '
        "cấp trên Đảng bộ Trường Một có thay đổi gần nhất (chuyển)." in out
    )
    assert_history_holds()


def test_a_correction_fixes_every_state_that_carried_the_old_value(tmp_path):
    """The school moved (two states, one name and sector): a typo corrected by a later file is
    corrected in both."""
    run_import(write_xlsx(tmp_path / "v1.xlsx", HISTORY_HEADERS, history_rows()))
    moved = history_rows()
    moved[4][3] = "T.02"
    run_import(write_xlsx(tmp_path / "v2.xlsx", HISTORY_HEADERS, moved))
    corrected = [list(row) for row in moved]
    corrected[4][1], corrected[4][5] = "Đảng bộ Trường Số Một", "Cơ quan nhà nước"
    code, out, _ = run_import(write_xlsx(tmp_path / "v3.xlsx", HISTORY_HEADERS, corrected))
    assert code == 0, out
    with unscoped():
        school = Organization.objects.get(code="T.01.02")
    states = OrgState.unscoped.filter(org=school)
    assert {(s.name, s.sector) for s in states} == {("Đảng bộ Trường Số Một", "co_quan_nha_nuoc")}
    assert states.count() == 2
    assert_history_holds()


def test_a_branch_with_active_members_does_not_become_a_committee(world, tmp_path):
    """As on the organisation's page: members are active only in a branch."""
    row = [world.branch.code, world.branch.name, "Đảng bộ bộ phận", world.base.code]
    code, out, _ = run_import(write_xlsx(tmp_path / "kind.xlsx", ORG_HEADERS, [row]))
    assert code == 1
    assert out.strip() == (
        'dòng 2, cột "Loại tổ chức": Chi bộ Tổ Toán còn đảng viên đang sinh hoạt: đảng viên chỉ '
        "sinh hoạt ở chi bộ; hãy chuyển sinh hoạt đảng cho họ trước."
    )
    assert Organization.unscoped.get(pk=world.branch.pk).kind == OrgKind.SUB_BRANCH
    # Without active members the change of kind stays a correction, in place.
    left = Decision(datetime.date(2025, 3, 1), reason="Đơn xin ra khỏi Đảng")
    end_membership(world.users[Role.OFFICER], world.other_member, Status.RESIGNED, left)
    empty = [world.other_branch.code, "Chi bộ Tổ Văn", "Đảng bộ bộ phận", world.base.code]
    code, out, _ = run_import(write_xlsx(tmp_path / "ok.xlsx", ORG_HEADERS, [empty]))
    assert code == 0, out
    states = OrgState.unscoped.filter(org=world.other_branch)
    assert list(states.values_list("kind", flat=True)) == [OrgKind.PARTIAL_COMMITTEE]
    assert not OrgEvent.unscoped.filter(org=world.other_branch).exists()
