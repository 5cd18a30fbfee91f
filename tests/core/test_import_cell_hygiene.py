"""Every importer refuses, at the preview (web upload) and on the command line, a cell holding a
NUL, another control character or a bidirectional-override character, or a text longer than its
column, naming its row and column — checked in one place (core.importing.bad_cells) before any
importer parses the row, the same on SQLite and PostgreSQL."""

import io

import pytest
from django.core.management import call_command

from dangvien.admissions.models import AdmissionTarget
from dangvien.assessments.models import MemberAssessment, OrgAssessment
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from tests.spreadsheets import ASSESSMENT_HEADERS, ORG_ASSESSMENT_HEADERS, ORG_HEADERS, write_csv

TARGET_HEADERS = ["Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"]
CODE_LIMIT = Member._meta.get_field("code").max_length  # = Organization.code's


def _files(world):
    """Per import kind: headers, rows (2: bidi in the code, 3: NUL in a label cell, 4: an
    overlong code, 5: a bell character), the expected problems, and what must stay unwritten."""
    last = 2025
    member, org = world.member.code, world.branch.code
    return {
        "assessments": (
            ASSESSMENT_HEADERS,
            [
                [f"{member}\u202e", last, "Tốt"],
                [member, last, "Hoàn thành\x00 tốt"],
                ["D" * (CODE_LIMIT + 1), last, "Tốt"],
                [member, last, "Tốt\x07"],
            ],
            ["Mã đảng viên", "Xếp loại", "Mã đảng viên", "Xếp loại"],
            MemberAssessment.unscoped,
        ),
        "org-assessments": (
            ORG_ASSESSMENT_HEADERS,
            [
                [f"{org}\u2066", last, "Tốt"],
                [org, last, "Tốt\x00"],
                ["O" * (CODE_LIMIT + 1), last, "Tốt"],
                [org, last, "\x1bTốt"],
            ],
            ["Mã tổ chức", "Xếp loại", "Mã tổ chức", "Xếp loại"],
            OrgAssessment.unscoped,
        ),
        "targets": (
            TARGET_HEADERS,
            [
                [f"{org}\u202d", last, "", 3],
                [org, "", "2020\x00-2025", 3],
                ["T" * (CODE_LIMIT + 1), last, "", 3],
                [org, last, "", "3\x07"],
            ],
            ["Mã tổ chức", "Nhiệm kỳ", "Mã tổ chức", "Chỉ tiêu kết nạp"],
            AdmissionTarget.unscoped,
        ),
        "orgs": (
            ORG_HEADERS,
            [
                ["P.U1.01.09", "Chi bộ Mới", "Chi bộ trực thuộc", f"{world.base.code}\u202e"],
                ["P.U1.01.10", "Chi bộ\x00 Mới", "Chi bộ trực thuộc", world.base.code],
                ["P.U1.01.11", "Chi bộ Mới", "Chi bộ trực thuộc", "B" * (CODE_LIMIT + 1)],
                ["P.U1.01.12", "Chi bộ Mới", "Chi bộ\x07 trực thuộc", world.base.code],
            ],
            ["Mã tổ chức cấp trên", "Tên tổ chức", "Mã tổ chức cấp trên", "Loại tổ chức"],
            Organization.unscoped.filter(code__startswith="P.U1.01.1"),
        ),
    }


def _expected(columns: list[str]) -> list[tuple[int, str, str]]:
    messages = [
        "chứa ký tự không được phép U+",
        "chứa ký tự không được phép U+0000 (NUL)",
        f"dài {CODE_LIMIT + 1} ký tự, tối đa {CODE_LIMIT} ký tự.",
        "chứa ký tự không được phép U+00",
    ]
    return list(zip(range(2, 6), columns, messages, strict=True))


@pytest.mark.parametrize("kind", ["assessments", "org-assessments", "targets", "orgs"])
def test_the_preview_names_the_row_and_column_of_a_forbidden_character(world, tmp_path, kind):
    headers, rows, columns, unwritten = _files(world)[kind]
    client = world.client(Role.OFFICER)
    path = write_csv(tmp_path / f"{kind}.csv", headers, rows)
    with path.open("rb") as handle:
        preview = client.post(f"/imports/{kind}/", {"file": handle})["Location"]
    page = client.get(preview).content.decode()
    assert "Tệp hợp lệ" not in page
    for row, column, message in _expected(columns):
        assert f"<tr><td>{row}</td><td>{column}</td><td>{message}" in page, (row, column)
    assert "không tìm thấy" not in page  # refused for what it holds, not looked up
    assert client.post(f"{preview}confirm/").status_code < 500
    assert not unwritten.exists()


@pytest.mark.parametrize("kind", ["assessments", "org-assessments", "targets", "orgs"])
def test_the_command_line_names_the_row_and_column_too(world, tmp_path, kind):
    headers, rows, columns, unwritten = _files(world)[kind]
    path = write_csv(tmp_path / f"{kind}.csv", headers, rows)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", kind, str(path), stdout=out, stderr=err)
    assert exit_.value.code == 1
    text = out.getvalue() + err.getvalue()
    for row, column, message in _expected(columns):
        assert f'dòng {row}, cột "{column}": {message}' in text, (row, column)
    assert not unwritten.exists()


def test_a_members_file_is_checked_in_the_same_place(world, tmp_path):
    """The branch code, which the members' own checks did not cover, is refused for a bidi
    character instead of being looked up ("not found")."""
    from tests.members.test_import_members import row, run_import
    from tests.spreadsheets import MEMBER_HEADERS

    path = write_csv(
        tmp_path / "members.csv", MEMBER_HEADERS, [row("H9", branch=f"{world.branch.code}\u202e")]
    )
    code, out, err = run_import(path)
    assert code == 1
    assert 'dòng 2, cột "Mã chi bộ": chứa ký tự không được phép U+202E' in out + err
    assert not Member.unscoped.filter(code="H9").exists()
