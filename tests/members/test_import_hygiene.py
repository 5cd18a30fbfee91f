"""Importing members refuses, at the preview, what a column cannot hold: NUL, control and
bidirectional-override characters, overlong text, malformed codes, dates out of range — with
the row and column named, the same on SQLite and PostgreSQL (never a 500 at confirm)."""

from dangvien.core.roles import Role
from dangvien.members.models import Member
from tests.members.test_import_members import row
from tests.spreadsheets import MEMBER_HEADERS as HEADERS
from tests.spreadsheets import write_csv


def _cell(row: int, column: str, message: str) -> str:
    """A problem as the preview's table shows it: row, column, message."""
    return f"<tr><td>{row}</td><td>{column}</td><td>{message}"


def _preview(world, tmp_path, rows):
    client = world.client(Role.OFFICER)
    path = write_csv(tmp_path / "members.csv", HEADERS, rows)
    with path.open("rb") as handle:
        preview = client.post("/imports/members/", {"file": handle})["Location"]
    return client, preview, client.get(preview).content.decode()


def test_forbidden_characters_are_named_by_row_and_column(world, tmp_path):
    rows = [
        row("H1", name="Nguyễn\x00 Văn A"),
        row("H2", residence="Phường \u202eHòa Bình"),
        row("H3", origin="Hà\x07 Tĩnh"),
    ]
    client, preview, page = _preview(world, tmp_path, rows)
    assert "Tệp hợp lệ" not in page
    assert _cell(2, "Họ và tên", "chứa ký tự không được phép U+0000 (NUL)") in page
    assert _cell(3, "Nơi cư trú", "chứa ký tự không được phép U+202E") in page
    assert _cell(4, "Quê quán", "chứa ký tự không được phép U+0007") in page
    response = client.post(f"{preview}confirm/")
    assert response.status_code < 500
    assert not Member.unscoped.filter(code__in=["H1", "H2", "H3"]).exists()


def test_overlong_values_bad_codes_and_dates_are_refused_at_the_preview(world, tmp_path):
    limit = Member._meta.get_field("residence").max_length
    rows = [
        row("H4", residence="x" * (limit + 1)),
        row("H5/1"),
        row("H 6"),
        row("H7", admitted="03/02/1850"),
    ]
    client, preview, page = _preview(world, tmp_path, rows)
    assert "Tệp hợp lệ" not in page
    assert _cell(2, "Nơi cư trú", f"dài {limit + 1} ký tự, tối đa {limit} ký tự.") in page
    assert _cell(3, "Mã đảng viên", "mã “H5/1” không hợp lệ") in page
    assert _cell(4, "Mã đảng viên", "mã “H 6” không hợp lệ") in page
    assert _cell(5, "Ngày vào Đảng", "ngày 03/02/1850 nằm ngoài khoảng") in page
    assert client.post(f"{preview}confirm/").status_code < 500
    assert not Member.unscoped.filter(code__startswith="H").exists()
