"""`dangvien import members` and the same upload in the web UI: all or nothing, every row named."""

import datetime
import io

from django.core.management import call_command
from openpyxl import load_workbook

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member, MemberEvent, Placement, Status
from tests.spreadsheets import MEMBER_HEADERS as HEADERS
from tests.spreadsheets import write_csv, write_xlsx


def row(code, name="Nguyễn Văn Mới", branch="P.U1.01.01", **overrides):
    values = {
        "code": code,
        "name": name,
        "gender": "Nam",
        "birth": "15/04/1985",
        "branch": branch,
        "admitted": "03/02/2010",
        "official": "03/02/2011",
        "card": "",
        "cid": "",
        "ethnicity": "Kinh",
        "religion": "Không",
        "origin": "Hà Tĩnh",
        "residence": "Phường Hòa Bình",
        "edu": "12/12",
        "qualification": "Đại học",
        "theory": "Sơ cấp",
    } | overrides
    return list(values.values())


def run_import(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "members", str(path), *extra, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()


def test_a_bad_file_names_every_row_and_writes_nothing(world, tmp_path):
    rows = [
        row("N1"),  # 2: fine
        row("N2", birth="31/02/1990"),  # 3: impossible date
        row("N3", branch="KHONG-CO"),  # 4: unknown branch
        row("N1", name="Trùng Mã"),  # 5: duplicate code
        row("N5", admitted="03/02/2012", official="01/01/2012"),  # 6: official before admission
        row("N6", birth="01/01/2000", admitted="01/06/2017", official="01/06/2018"),  # 7: under 18
        row("N7", cid="123"),  # 8: bad citizen id
        row("N8", gender="Khác"),  # 9: bad gender
        row("N9", branch=world.base.code),  # 10: not a branch
        row(
            "N10",
            admitted=(datetime.date.today() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
            official="",
        ),  # 11: future admission
        row("N11", qualification="Kỹ sư"),  # 12: not in the list
    ]
    code, out, _ = run_import(write_xlsx(tmp_path / "bad.xlsx", HEADERS, rows))
    assert code == 1
    lines = out.strip().splitlines()
    expected_starts = [
        'dòng 3, cột "Ngày sinh": ngày “31/02/1990” không tồn tại.',
        'dòng 4, cột "Mã chi bộ": không tìm thấy chi bộ mã KHONG-CO',
        'dòng 5, cột "Mã đảng viên": N1 bị trùng với dòng 2.',
        'dòng 6, cột "Ngày chính thức": ngày chính thức trước ngày vào Đảng.',
        'dòng 7, cột "Ngày vào Đảng": vào Đảng khi chưa đủ 18 tuổi',
        'dòng 8, cột "Số CCCD": số CCCD phải gồm đúng 12 chữ số.',
        'dòng 9, cột "Giới tính": “Khác” phải là Nam hoặc Nữ.',
        'dòng 10, cột "Mã chi bộ": Đảng bộ Trường Tiểu học Hòa Bình không phải chi bộ',
        'dòng 11, cột "Ngày vào Đảng": Ngày vào Đảng không thể ở tương lai.',
        'dòng 12, cột "Chuyên môn": “Kỹ sư” không thuộc danh mục',
    ]
    for start in expected_starts:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert len(lines) == len(expected_starts)
    assert not Member.unscoped.filter(code__startswith="N").exists()


def test_import_creates_history_and_is_idempotent(world, tmp_path):
    rows = [
        row(f"M{i}", name=f"Lê Thị Số {i}", card=f"9900000{i}", cid=f"00118500000{i}")
        for i in range(1, 6)
    ]
    rows.append(row("M6", name="Phạm Dự Bị", admitted="10/01/2026", official=""))
    path = write_csv(tmp_path / "members.csv", HEADERS, rows)
    code, out, _ = run_import(path)
    assert code == 0, out
    assert "tạo mới 6, cập nhật 0, không thay đổi 0" in out
    probationary = Member.unscoped.get(code="M6")
    assert probationary.status == Status.PROBATIONARY
    assert probationary.branch_path == world.branch.path
    assert Placement.objects.filter(member__code__startswith="M").count() == 6
    assert MemberEvent.objects.filter(member__code__startswith="M").count() == 11
    created = AuditEntry.unscoped.get(action="member.create", target_id=probationary.pk)
    assert created.changes == {"code": [None, "M6"]}
    assert created.org_path == world.branch.path
    audit_count = AuditEntry.unscoped.count()

    code, out, _ = run_import(path)
    assert "tạo mới 0, cập nhật 0, không thay đổi 6" in out
    assert AuditEntry.unscoped.count() == audit_count

    rows[0] = row(
        "M1", name="Lê Thị Số 1", card="99000001", cid="001185000001", residence="Xã Tân Phú"
    )
    code, out, _ = run_import(write_csv(tmp_path / "v2.csv", HEADERS, rows))
    assert "tạo mới 0, cập nhật 1, không thay đổi 5" in out
    entry = AuditEntry.unscoped.filter(action="member.update").get()
    assert entry.changes == {"residence": ["Phường Hòa Bình", "Xã Tân Phú"]}


def test_card_and_citizen_id_must_be_unique_against_the_database(world, tmp_path):
    Member.unscoped.filter(pk=world.other_member.pk).update(card_number="12345678")
    code, out, _ = run_import(
        write_xlsx(tmp_path / "dup.xlsx", HEADERS, [row("Z1", card="12345678")])
    )
    assert code == 1
    assert 'dòng 2, cột "Số thẻ đảng viên": 12345678 đã thuộc về đảng viên mã DV-TRONG-2.' in out


def test_over_sixty_is_a_warning_not_an_error(world, tmp_path):
    rows = [row("OLD", birth="01/01/1940", admitted="01/06/2005", official="01/06/2006")]
    code, _, err = run_import(write_xlsx(tmp_path / "old.xlsx", HEADERS, rows))
    assert code == 0
    assert "vào Đảng khi trên 60 tuổi" in err


def test_dry_run_writes_nothing(world, tmp_path):
    code, out, _ = run_import(write_xlsx(tmp_path / "a.xlsx", HEADERS, [row("D1")]), "--dry-run")
    assert code == 0 and "sẽ tạo mới 1" in out
    assert not Member.unscoped.filter(code="D1").exists()


def test_web_upload_within_scope_with_annotated_error_workbook(world, tmp_path):
    client = world.client(Role.SECRETARY)
    rows = [row("W1"), row("W2", branch=world.other_branch.code), row("W3", birth="30/02/1980")]
    path = write_xlsx(tmp_path / "web.xlsx", HEADERS, rows)
    with path.open("rb") as handle:
        preview = client.post("/imports/members/", {"file": handle})["Location"]
    page = client.get(preview).content.decode()
    assert "Tệp có 2 lỗi" in page
    errors = client.get(f"{preview}errors.xlsx")
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert sheet["A1"].value == "Lỗi"
    assert sheet["A2"].value in ("", None)
    assert "không tìm thấy chi bộ" in sheet["A3"].value
    assert "không tồn tại" in sheet["A4"].value
    assert sheet["F3"].fill.fgColor.rgb.endswith("FCA5A5")  # "Mã chi bộ", after "Lỗi"
    assert not Member.unscoped.filter(code__startswith="W").exists()

    path = write_xlsx(tmp_path / "web2.xlsx", HEADERS, [row("W1"), row("W3")])
    with path.open("rb") as handle:
        preview = client.post("/imports/members/", {"file": handle})["Location"]
    assert "tạo mới 2</strong>" in client.get(preview).content.decode()
    client.post(f"{preview}confirm/")
    assert set(Member.unscoped.filter(code__startswith="W").values_list("code", flat=True)) == {
        "W1",
        "W3",
    }


def test_a_reimported_admission_date_moves_the_first_placement(world, tmp_path):
    run_import(write_csv(tmp_path / "v1.csv", HEADERS, [row("M7", admitted="03/02/2010")]))
    code, out, _ = run_import(
        write_csv(tmp_path / "v2.csv", HEADERS, [row("M7", admitted="20/01/2010")])
    )
    assert code == 0, out
    assert "cập nhật 1" in out
    member = Member.unscoped.get(code="M7")
    assert list(member.placements.values_list("start", flat=True)) == [datetime.date(2010, 1, 20)]
    assert member.events.get(kind="admitted").on == datetime.date(2010, 1, 20)
