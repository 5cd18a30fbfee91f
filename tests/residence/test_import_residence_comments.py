"""`dangvien import residence-comments FILE [--dry-run]`: the residence branches' yearly
comments keyed by Mã đảng viên and Năm, all or nothing, through the same rules as a comment
recorded by hand; in the web UI, only members the officer manages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.residence.importing import COLUMNS
from dangvien.residence.models import ResidenceComment
from tests.assessments.commands import run_import
from tests.residence.worlds import YEAR, introduce, school
from tests.spreadsheets import write_csv, write_xlsx

HEADERS = [column.header for column in COLUMNS]


def _row(code, branch, result="Hoàn thành tốt", channel="Giấy", reference="", day="10/12/2025"):
    return [code, YEAR, branch, result, day, channel, reference, "Tham gia họp khu phố", ""]


def _state() -> tuple:
    return (
        list(ResidenceComment.unscoped.order_by("pk").values_list("result", "channel")),
        AuditEntry.unscoped.count(),
    )


def test_import_records_then_changes_nothing_then_corrects(world, tmp_path):
    school(world)
    officer = world.users[Role.OFFICER]
    introduce(officer, world.member)
    introduce(officer, world.other_member, residence_org=world.outside_branch)
    rows = [
        _row(world.member.code, "chi bo to dan pho 5"),  # the name, diacritics aside
        _row(
            world.other_member.code,
            world.outside_branch.code,
            "Hoàn thành",
            "Cổng dịch vụ công",
            "G22.7",
        ),
    ]
    path = write_csv(tmp_path / "nhan-xet.csv", HEADERS, rows)
    status, out, err = run_import("residence-comments", path, "--dry-run")
    assert (status, err) == (0, ""), out + err
    assert "sẽ tạo mới 2" in out
    assert not ResidenceComment.unscoped.exists()

    status, out, err = run_import("residence-comments", path)
    assert (status, err) == (0, "") and "tạo mới 2, cập nhật 0, không thay đổi 0" in out
    portal = ResidenceComment.unscoped.get(member=world.other_member)
    assert (portal.result, portal.channel, portal.portal_reference) == (
        "hoan_thanh",
        "cong_dvc",
        "G22.7",
    )
    assert portal.link.residence_org == world.outside_branch

    before = _state()
    status, out, _ = run_import("residence-comments", path)
    assert status == 0 and "không thay đổi 2" in out and _state() == before

    rows[0][3] = "Chưa hoàn thành"
    status, out, _ = run_import(
        "residence-comments", write_xlsx(tmp_path / "b.xlsx", HEADERS, rows)
    )
    assert status == 0 and "cập nhật 1" in out
    assert ResidenceComment.unscoped.get(member=world.member).result == "chua_hoan_thanh"
    entry = AuditEntry.unscoped.filter(action="residence.comment_correct").get()
    assert entry.reason == "Nhập từ tệp b.xlsx"


def test_bad_rows_write_nothing_and_each_is_named(world, tmp_path):
    school(world)
    introduce(world.users[Role.OFFICER], world.member)
    rows = [
        _row(world.member.code, "Chi bộ Thôn Khác"),  # not the branch introduced to
        _row(world.member.code, "Chi bộ Tổ dân phố 5", channel="Cổng dịch vụ công"),
        _row(world.other_member.code, "Chi bộ Tổ dân phố 5"),  # never introduced
        _row(world.member.code, "Chi bộ Tổ dân phố 5", result="Tốt"),
    ]
    rows[1][1] = YEAR - 1
    status, out, err = run_import(
        "residence-comments", write_csv(tmp_path / "x.csv", HEADERS, rows)
    )
    assert status != 0 and not ResidenceComment.unscoped.exists()
    text = out + err
    assert 'dòng 2, cột "Chi bộ nơi cư trú"' in text and "không phải “Chi bộ Thôn Khác”" in text
    assert 'dòng 3, cột "Mã hồ sơ trên Cổng"' in text
    assert "dòng 4" in text and "chưa được giới thiệu về chi bộ nơi cư trú" in text
    assert 'dòng 5, cột "Kết quả"' in text


def test_an_officer_imports_only_comments_on_members_they_manage(world):
    school(world)
    for member in (world.member, world.outside_member):
        introduce(world.users[Role.ADMIN], member)
    rows = [_row(m.code, "Chi bộ Tổ dân phố 5") for m in (world.member, world.outside_member)]
    content = "\n".join(",".join(map(str, row)) for row in [HEADERS, *rows]).encode()
    client = world.client(Role.OFFICER)
    response = client.post(
        "/imports/residence-comments/", {"file": SimpleUploadedFile("nx.csv", content)}
    )
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    page = page or response.content.decode()
    assert f"không tìm thấy đảng viên mã {world.outside_member.code}" in page
    assert world.outside_member.full_name not in page
    assert not ResidenceComment.unscoped.exists()
