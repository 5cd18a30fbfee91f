"""`dangvien import transfers FILE [--dry-run]` (formats.md): a row is a transfer done on its day,
keyed by member code and Ngày chuyển; all or nothing; importing the same file again changes
nothing."""

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Placement
from dangvien.organizations.models import OrgKind
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus
from tests.assessments.commands import run_import
from tests.factories import OrganizationFactory
from tests.spreadsheets import write_csv, write_xlsx
from tests.transfers.steps import ONE_DAY, ddmmyyyy, members_on, today

HEADERS = [
    "Mã đảng viên",
    "Ngày chuyển",
    "Loại",
    "Mã chi bộ chuyển đến",
    "Nơi chuyển đến",
    "Số giấy giới thiệu",
]
OUTSIDE = "Đảng bộ Công ty Cổ phần Sông Đà, tỉnh Hòa Bình"


def _state() -> tuple:
    return (
        list(Placement.objects.order_by("pk").values_list("member", "branch", "start", "end")),
        list(Member.unscoped.order_by("pk").values_list("branch", "branch_path", "left_on")),
        list(Transfer.unscoped.order_by("pk").values_list("status", "letter_number")),
        AuditEntry.unscoped.count(),
    )


def test_import_twice_changes_nothing_the_second_time(world, tmp_path):
    moved_on, left_on = today() - ONE_DAY * 30, today() - ONE_DAY * 10
    rows = [
        [world.member.code, ddmmyyyy(moved_on), "Chính thức", world.outside_branch.code, "", "1"],
        # the same member again, later: moves back inside (rows of a member in any order)
        [world.member.code, ddmmyyyy(left_on), "", world.other_branch.code, "", "2"],
        [world.other_member.code, ddmmyyyy(moved_on), "tam thoi", world.branch.code, "", ""],
        [world.outside_member.code, ddmmyyyy(moved_on), "", "", OUTSIDE, "3"],
    ]
    rows = [rows[1], rows[0], rows[2], rows[3]]
    path = write_csv(tmp_path / "chuyen.csv", HEADERS, rows)
    status, out, err = run_import("transfers", path, "--dry-run")
    assert status == 0 and "sẽ tạo mới 4" in out
    assert Transfer.unscoped.count() == 0
    status, out, err = run_import("transfers", path)
    assert (status, err) == (0, "") and "tạo mới 4, cập nhật 0, không thay đổi 0" in out

    counts = [
        (members_on(world.branch, day), members_on(world.outside_branch, day))
        for day in (moved_on - ONE_DAY, moved_on, left_on - ONE_DAY, left_on)
    ]
    assert counts == [(1, 1), (0, 1), (0, 1), (0, 0)]
    assert (
        members_on(world.other_branch, left_on) == 2
    )  # other_member (away, still counted here) + member
    member = Member.unscoped.get(pk=world.member.pk)
    assert member.branch == world.other_branch
    hosted = Transfer.unscoped.get(member=world.other_member)
    assert (hosted.kind, hosted.status) == (TransferKind.TEMPORARY, TransferStatus.ARRIVED)
    assert Member.unscoped.get(pk=world.other_member.pk).branch == world.other_branch
    gone = Transfer.unscoped.get(member=world.outside_member)
    assert gone.direction == Direction.OUT
    assert Member.unscoped.get(pk=world.outside_member.pk).left_on == moved_on

    before = _state()
    status, out, err = run_import("transfers", path)
    assert status == 0 and "tạo mới 0, cập nhật 0, không thay đổi 4" in out
    assert _state() == before

    # A corrected letter number is the one update a row makes.
    rows[2][5] = "9-GGT"
    status, out, _ = run_import("transfers", write_xlsx(tmp_path / "b.xlsx", HEADERS, rows))
    assert status == 0 and "cập nhật 1" in out
    assert Transfer.unscoped.get(member=world.other_member).letter_number == "9-GGT"


def test_a_bad_row_imports_nothing_and_names_row_and_column(world, tmp_path):
    day = ddmmyyyy(today() - ONE_DAY * 5)
    rows = [
        [world.member.code, day, "", world.outside_branch.code, "", ""],
        [world.other_member.code, day, "", world.outside_branch.code, OUTSIDE, ""],
        [world.other_member.code, "31/02/2024", "", world.outside_branch.code, "", ""],
        ["KHONG-CO", day, "", world.outside_branch.code, "", ""],
        [world.member.code, ddmmyyyy(today() + ONE_DAY), "", world.branch.code, "", ""],
        [world.other_member.code, day, "Vĩnh viễn", world.base.code, "", ""],
        [world.other_member.code, day, "", world.other_branch.code, "", ""],
    ]
    before = _state()
    status, out, _ = run_import("transfers", write_csv(tmp_path / "x.csv", HEADERS, rows))
    assert status == 1
    assert 'dòng 3, cột "Mã chi bộ chuyển đến": ghi một trong hai cột' in out
    assert 'dòng 4, cột "Ngày chuyển"' in out
    assert 'dòng 5, cột "Mã đảng viên": không tìm thấy đảng viên mã KHONG-CO' in out
    assert 'dòng 6, cột "Ngày chuyển"' in out and "tương lai" in out
    assert 'dòng 7, cột "Loại"' in out
    assert 'dòng 8, cột "Mã chi bộ chuyển đến"' in out and "đang sinh hoạt ở chi bộ này" in out
    assert _state() == before


def test_a_row_before_the_admission_is_refused(world, tmp_path):
    rows = [[world.member.code, "01/01/2009", "", world.outside_branch.code, "", ""]]
    status, out, _ = run_import("transfers", write_csv(tmp_path / "x.csv", HEADERS, rows))
    assert status == 1 and 'dòng 2, cột "Ngày chuyển"' in out
    assert Transfer.unscoped.count() == 0


def _web_import(client, path) -> str:
    """Upload through the import page; confirm when valid. Returns the preview page."""
    with path.open("rb") as handle:
        preview = client.post("/imports/transfers/", {"file": handle})["Location"]
    page = client.get(preview).content.decode()
    if "Tệp hợp lệ" in page:
        assert client.post(f"{preview}confirm/").status_code == 302
    return page


def test_the_sending_officer_imports_the_same_file_twice(world, tmp_path):
    """After the first import the member is in another officer's scope; the rows of transfers
    sent from the importer's branches still count as theirs, unchanged."""
    client = world.client(Role.OFFICER)
    day = today() - ONE_DAY * 20
    rows = [[world.member.code, ddmmyyyy(day), "", world.outside_branch.code, "", "4-GGT"]]
    path = write_xlsx(tmp_path / "gui.xlsx", HEADERS, rows)
    first = _web_import(client, path)
    assert "tạo mới 1</strong>" in first
    assert Member.unscoped.get(pk=world.member.pk).branch == world.outside_branch
    before = _state()
    second = _web_import(client, path)
    assert "tạo mới 0</strong>" in second and "giữ nguyên 1" in second
    assert "không tìm thấy đảng viên" not in second
    assert _state() == before
    # Another member of the receiving side is still not theirs.
    other = [[world.outside_member.code, ddmmyyyy(day), "", world.branch.code, "", ""]]
    page = _web_import(client, write_xlsx(tmp_path / "khac.xlsx", HEADERS, other))
    assert f"không tìm thấy đảng viên mã {world.outside_member.code}" in page


def test_a_branch_is_received_into_only_once_founded_and_unseen_ones_are_not_named(world, tmp_path):
    founded_on = today() - ONE_DAY * 30
    new = OrganizationFactory(
        code="P.U1.01.08",
        name="Chi bộ Tổ Mới",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=founded_on,
    )
    early = ddmmyyyy(founded_on - ONE_DAY * 20)
    rows = [
        [world.member.code, early, "", new.code, "", ""],
        [world.other_member.code, early, "", world.outside_upper.code, "", ""],
        [world.other_member.code, ddmmyyyy(founded_on), "", world.base.code, "", ""],
    ]
    page = _web_import(world.client(Role.OFFICER), write_xlsx(tmp_path / "x.xlsx", HEADERS, rows))
    assert "Chi bộ Tổ Mới được thành lập ngày" in page  # row 2
    assert f"không có chi bộ đang hoạt động mã {world.outside_upper.code} ngày {early}" in page
    assert world.outside_upper.name not in page
    assert f"{world.base.name} không phải chi bộ" in page  # seen: named
    assert Transfer.unscoped.count() == 0

    status, out, _ = run_import("transfers", write_csv(tmp_path / "x.csv", HEADERS, rows[:1]))
    assert status == 1 and 'dòng 2, cột "Mã chi bộ chuyển đến": Chi bộ Tổ Mới được thành' in out


def test_a_temporary_row_runs_for_the_longest_stay_and_holds_later_rows(world, tmp_path):
    day = today() - ONE_DAY * 40
    rows = [[world.other_member.code, ddmmyyyy(day), "Tạm thời", world.branch.code, "", ""]]
    status, out, _ = run_import("transfers", write_csv(tmp_path / "t.csv", HEADERS, rows))
    assert status == 0, out
    stay = Transfer.unscoped.get(member=world.other_member)
    # Under 12 months (the rule set's transfer_temporary_max_months): the day before.
    assert stay.temporary_until == add_months(day, 12) - ONE_DAY
    assert stay.status == TransferStatus.ARRIVED
    later = [[world.other_member.code, ddmmyyyy(day + ONE_DAY * 10), "", world.branch.code, "", ""]]
    status, out, _ = run_import("transfers", write_csv(tmp_path / "u.csv", HEADERS, rows + later))
    assert status == 1
    assert 'dòng 3, cột "Ngày chuyển"' in out and "đang sinh hoạt tạm thời từ" in out
    assert Transfer.unscoped.filter(member=world.other_member).count() == 1
