"""`dangvien import transfers FILE [--dry-run]` (formats.md): a row is a transfer done on its day,
keyed by member code and Ngày chuyển; all or nothing; importing the same file again changes
nothing."""

from dangvien.core.models import AuditEntry
from dangvien.members.models import Member, Placement
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus
from tests.assessments.commands import run_import
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
