"""`dangvien import assessments FILE`: members' grades of past years (formats.md), all or nothing,
upserted by (member code, year), the branch of that year taken from the member's placements."""

import datetime

import pytest
from django.utils import timezone

from dangvien.assessments.models import MemberAssessment
from dangvien.assessments.services import close_round, open_round
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from tests.assessments.commands import run_import
from tests.factories import MemberFactory
from tests.reports.worlds import add_history
from tests.spreadsheets import ASSESSMENT_HEADERS, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def grades() -> dict[tuple[str, int], tuple[str, str, str, str]]:
    """(code, year) → (grade, not graded reason, note, branch code) of every stored assessment."""
    with unscoped():
        rows = MemberAssessment.objects.values_list(
            "member__code", "year", "grade", "not_graded", "not_graded_note", "branch__code"
        )
        return {(code, year): tuple(rest) for code, year, *rest in rows}


def test_grades_in_every_accepted_spelling_are_imported(world, tmp_path):
    third = MemberFactory(code="DV-TRONG-3", branch=world.branch)
    fourth = MemberFactory(code="DV-TRONG-4", branch=world.other_branch)
    path = write_xlsx(
        tmp_path / "xep-loai.xlsx",
        ["xếp  LOẠI", "nam", "Ma dang vien"],  # any order, case, diacritics and spacing
        [
            ["Hoàn thành xuất sắc nhiệm vụ", 2024, world.member.code],
            ["tốt", "2024", world.other_member.code],
            ["HOAN THANH", 2024.0, third.code],
            ["Không hoàn thành", 2024, fourth.code],
            ["hoàn thành tốt nhiệm vụ", 2023, world.member.code],
            ["Chưa xếp loại", 2023, world.other_member.code],
        ],
    )
    status, out, err = run_import("assessments", path)
    assert (status, err) == (0, "")
    assert out.strip() == (
        "Đã nhập kết quả xếp loại đảng viên: tạo mới 6, cập nhật 0, không thay đổi 0."
    )
    assert grades() == {
        (world.member.code, 2024): ("xuat_sac", "", "", "P.U1.01.01"),
        (world.other_member.code, 2024): ("tot", "", "", "P.U1.01.02"),
        (third.code, 2024): ("hoan_thanh", "", "", "P.U1.01.01"),
        (fourth.code, 2024): ("khong_hoan_thanh", "", "", "P.U1.01.02"),
        (world.member.code, 2023): ("tot", "", "", "P.U1.01.01"),
        (world.other_member.code, 2023): ("", "other", "Chưa xếp loại", "P.U1.01.02"),
    }
    with unscoped():
        assert MemberAssessment.objects.filter(imported=True).count() == 6
        entries = AuditEntry.objects.filter(action="assessment.import")
        assert entries.count() == 6
        entry = entries.get(target_id=world.member.pk, changes__has_key="grade_2024")
        assert entry.changes == {"grade_2024": [None, "Xuất sắc"]}
        assert entry.reason == "Nhập từ tệp xep-loai.xlsx"
        assert entry.org_path == world.branch.path


def test_the_branch_of_the_year_comes_from_the_placements(world, tmp_path):
    people = add_history(world)  # moved out of P.U1 on 01/02/2025, moved in the same day
    path = write_csv(
        tmp_path / "xep-loai.csv",
        ASSESSMENT_HEADERS,
        [
            [people["moved_out"].code, "2024", "Tốt"],
            [people["moved_out"].code, "2025", "Tốt"],
            [people["moved_in"].code, "2024", "Hoàn thành"],
            [people["moved_in"].code, "2025", "Xuất sắc"],
        ],
    )
    status, out, _ = run_import("assessments", path)
    assert status == 0, out
    found = grades()
    assert found[(people["moved_out"].code, 2024)][3] == world.branch.code
    assert found[(people["moved_out"].code, 2025)][3] == world.outside_branch.code
    assert found[(people["moved_in"].code, 2024)][3] == world.outside_branch.code
    assert found[(people["moved_in"].code, 2025)][3] == world.other_branch.code
    with unscoped():
        assessment = MemberAssessment.objects.get(member=people["moved_out"], year=2024)
    assert assessment.branch_path == world.branch.path


def test_a_bad_file_is_refused_naming_every_row(world, tmp_path):
    people = add_history(world)
    admin = world.users[Role.ADMIN]
    close_round(admin, open_round(admin, world.base, 2023), reason="Hết thời hạn đánh giá")
    this_year = timezone.localdate().year
    path = write_xlsx(
        tmp_path / "loi.xlsx",
        ASSESSMENT_HEADERS,
        [
            [world.member.code, 2024, "Tốt"],  # 2: fine
            ["DV-KHONG-CO", 2024, "Tốt"],  # 3: unknown member
            [world.other_member.code, 2024, "Giỏi"],  # 4: not a grade
            [world.other_member.code, "năm ngoái", "Tốt"],  # 5: not a year
            [world.other_member.code, 1929, "Tốt"],  # 6: before 1930
            [world.other_member.code, this_year + 1, "Tốt"],  # 7: a future year
            [world.member.code, 2024, "Xuất sắc"],  # 8: (code, year) again
            [world.member.code, 2023, "Tốt"],  # 9: the round of 2023 is closed
            [people["admitted_2025"].code, 2024, "Tốt"],  # 10: admitted in 2025
            [people["resigned_2024"].code, 2024, "Tốt"],  # 11: left on 31/12/2024
            ["", 2024, ""],  # 12: empty code and grade
            [world.other_member.code, 2024.5, "Tốt"],  # 13: not a whole year
            [world.other_member.code, None, "Tốt"],  # 14: no year
        ],
    )
    status, out, err = run_import("assessments", path)
    assert status == 1
    assert "Tệp có 13 lỗi; không có dữ liệu nào được ghi." in err
    this = this_year
    assert out.splitlines() == [
        'dòng 3, cột "Mã đảng viên": không tìm thấy đảng viên mã DV-KHONG-CO '
        "trong phạm vi quản lý.",
        'dòng 4, cột "Xếp loại": “Giỏi” không phải xếp loại hợp lệ (Hoàn thành xuất sắc nhiệm '
        "vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ, "
        "Chưa xếp loại).",
        'dòng 5, cột "Năm": “năm ngoái” không phải là một năm (số nguyên, ví dụ 2024).',
        f'dòng 6, cột "Năm": năm 1929 phải từ 1930 đến {this}.',
        f'dòng 7, cột "Năm": năm {this + 1} phải từ 1930 đến {this}.',
        'dòng 8, cột "Mã đảng viên": mã DV-TRONG-1 năm 2024 bị trùng với dòng 2.',
        'dòng 9, cột "Năm": đợt đánh giá năm 2023 của Đảng bộ Trường Tiểu học Hòa Bình đã '
        "khóa: sửa kết quả bằng chức năng đính chính có lý do, không qua tệp nhập.",
        f'dòng 10, cột "Mã đảng viên": {people["admitted_2025"].full_name} '
        f"(mã {people['admitted_2025'].code}) không phải là đảng viên vào ngày 31/12/2024.",
        f'dòng 11, cột "Mã đảng viên": {people["resigned_2024"].full_name} '
        f"(mã {people['resigned_2024'].code}) không phải là đảng viên vào ngày 31/12/2024.",
        'dòng 12, cột "Mã đảng viên": không được để trống.',
        'dòng 12, cột "Xếp loại": không được để trống.',
        'dòng 13, cột "Năm": “2024.5” không phải là một năm (số nguyên, ví dụ 2024).',
        'dòng 14, cột "Năm": không được để trống.',
    ]
    assert grades() == {}
    with unscoped():
        assert not AuditEntry.objects.filter(action="assessment.import").exists()


def test_a_missing_column_is_reported(world, tmp_path):
    path = write_csv(tmp_path / "thieu.csv", ["Mã đảng viên", "Năm"], [["DV-TRONG-1", "2024"]])
    status, out, _ = run_import("assessments", path)
    assert status == 1
    assert out.strip() == 'dòng 1, cột "Xếp loại": thiếu cột bắt buộc.'


def test_importing_the_same_file_twice_changes_nothing(world, tmp_path):
    rows = [
        [world.member.code, 2024, "Tốt"],
        [world.other_member.code, 2024, "Chưa xếp loại"],
        [world.member.code, 2025, "Xuất sắc"],
    ]
    path = write_xlsx(tmp_path / "xep-loai.xlsx", ASSESSMENT_HEADERS, rows)
    assert run_import("assessments", path)[0] == 0
    before, audits = grades(), AuditEntry.unscoped.count()
    status, out, _ = run_import("assessments", path)
    assert status == 0
    assert "tạo mới 0, cập nhật 0, không thay đổi 3" in out
    assert grades() == before
    assert AuditEntry.unscoped.count() == audits

    # a changed grade is one update with its history; the rest stays
    rows[0][2] = "Hoàn thành"
    path = write_xlsx(tmp_path / "sua.xlsx", ASSESSMENT_HEADERS, rows)
    status, out, _ = run_import("assessments", path)
    assert "tạo mới 0, cập nhật 1, không thay đổi 2" in out
    assert grades()[(world.member.code, 2024)][0] == "hoan_thanh"
    entry = AuditEntry.unscoped.filter(action="assessment.import").order_by("-id").first()
    assert entry.changes == {"grade_2024": ["Tốt", "Hoàn thành"]}
    assert entry.reason == "Nhập từ tệp sua.xlsx"


def test_chua_xep_loai_keeps_a_reason_already_recorded(world, tmp_path):
    with unscoped():
        MemberAssessment.objects.create(
            member=world.member,
            year=2024,
            branch=world.branch,
            branch_path=world.branch.path,
            not_graded="illness",
        )
    path = write_csv(
        tmp_path / "a.csv", ASSESSMENT_HEADERS, [[world.member.code, "2024", "chưa xếp loại"]]
    )
    status, out, _ = run_import("assessments", path)
    assert status == 0
    assert "tạo mới 0, cập nhật 0, không thay đổi 1" in out
    assert grades()[(world.member.code, 2024)][:2] == ("", "illness")


def test_an_open_round_takes_the_imported_grades(world, tmp_path):
    admin = world.users[Role.ADMIN]
    open_round(admin, world.upper, 2025)
    path = write_csv(tmp_path / "a.csv", ASSESSMENT_HEADERS, [[world.member.code, "2025", "Tốt"]])
    assert run_import("assessments", path)[0] == 0
    assert grades()[(world.member.code, 2025)][0] == "tot"


def test_imports_do_not_apply_the_excellent_cap(world, tmp_path):
    """Past results are decisions already taken: 2 excellent and no good is stored as it is."""
    path = write_csv(
        tmp_path / "a.csv",
        ASSESSMENT_HEADERS,
        [[world.member.code, "2022", "Xuất sắc"], [world.other_member.code, "2022", "Xuất sắc"]],
    )
    assert run_import("assessments", path)[0] == 0
    assert [value[0] for value in grades().values()] == ["xuat_sac", "xuat_sac"]


def test_a_dry_run_writes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "a.csv", ASSESSMENT_HEADERS, [[world.member.code, "2024", "Tốt"]])
    status, out, _ = run_import("assessments", path, "--dry-run")
    assert status == 0
    assert "Kiểm tra xong, tệp hợp lệ, chưa ghi gì" in out
    assert "sẽ tạo mới 1" in out
    assert grades() == {}


def test_the_import_reads_placements_in_a_few_queries(world, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    branch_members = MemberFactory.create_batch(60, branch=world.branch)
    rows = [[m.code, year, "Tốt"] for m in branch_members for year in (2023, 2024)]
    path = write_csv(tmp_path / "a.csv", ASSESSMENT_HEADERS, rows)
    with CaptureQueriesContext(connection) as queries:
        status, out, _ = run_import("assessments", path)
    assert status == 0, out
    assert "tạo mới 120" in out
    assert len(queries) <= 15  # no query per row
    first = datetime.date(2023, 12, 31)
    assert all(m.admitted_on <= first for m in branch_members)
