"""What an upload keeps of its file: written and read a line at a time (never the whole text in
memory), loaded only by the pages that use it, and purged with the personal data in it when
the upload is abandoned (issue 11)."""

import datetime
import io
import json
import tracemalloc
import zlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangvien.core import uploads
from dangvien.core.models import AuditEntry, ImportUpload
from dangvien.core.roles import Role
from dangvien.core.spreadsheets import Problem, Table
from dangvien.members.models import Member
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
AGAIN = "Hãy tải tệp lên lại."


def member_row(world, code: str, **values) -> list:
    row = dict.fromkeys(MEMBER_HEADERS, "")
    row.update(
        {
            "Mã đảng viên": code,
            "Họ và tên": f"Phan Thị {code}",
            "Giới tính": "Nữ",
            "Ngày sinh": datetime.date(1990, 5, 12),  # a date cell, kept as a date
            "Mã chi bộ": world.branch.code,
            "Ngày vào Đảng": "03/02/2015",
            "Ngày chính thức": "03/02/2016",
            "Nơi cư trú": "Tổ 3, phường Hòa Bình",
        }
    )
    row.update(values)
    return [row[header] for header in MEMBER_HEADERS]


def upload(client, path) -> str:
    with path.open("rb") as handle:
        return client.post("/imports/members/", {"file": handle})["Location"]


def stored_lines(upload_row: ImportUpload) -> list[bytes]:
    return zlib.decompress(bytes(upload_row.parsed)).splitlines()


# -- Stored as lines ------------------------------------------------------------------------


def test_the_reading_is_stored_one_line_a_row_and_imports_as_read(world, tmp_path):
    rows = [member_row(world, f"L{number}") for number in range(1, 4)]
    rows.append(member_row(world, "L4", **{"Giới tính": "Không rõ"}))
    client = world.client(Role.SECRETARY)
    preview = upload(client, write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, rows))

    lines = stored_lines(ImportUpload.objects.get())
    header = json.loads(lines[0])
    assert header["format"] == 2 and "Họ và tên" in header["titles"]
    assert [json.loads(line)[:2] for line in lines[1:5]] == [["r", n] for n in (2, 3, 4, 5)]
    assert json.loads(lines[-1])[:3] == ["p", 5, "Giới tính"]  # the problem, last
    sheet = load_workbook(io.BytesIO(client.get(f"{preview}errors.xlsx").content)).active
    assert sheet["A5"].value.startswith("Giới tính") and sheet["B5"].value == "L4"

    fixed = write_xlsx(tmp_path / "dv2.xlsx", MEMBER_HEADERS, rows[:3])
    preview = upload(client, fixed)
    client.post(f"{preview}confirm/")
    member = Member.unscoped.get(code="L2")
    assert member.birth_date == datetime.date(1990, 5, 12)
    assert member.residence == "Tổ 3, phường Hòa Bình"


def _large_table(rows: int) -> Table:
    """Unique text longer than 64 characters (never interned by the table), numbers, dates and
    a value repeated down a column: the memory measured is the storage's, not the interning's."""
    keys = tuple(f"c{index}" for index in range(12))
    table = Table(keys=keys, titles=keys, all_keys=keys)
    for number in range(2, rows + 2):
        text = f"Tổ dân phố số {number}, phường Hòa Bình, thành phố Thử Nghiệm, tỉnh Thử Nghiệm"
        values = [number, "Chi bộ Tổ Toán", datetime.date(1985, 4, 15)]
        table.append(number, values + [text] * 9)
    return table


def test_neither_writing_nor_reading_holds_the_whole_text(world):
    """10,000 rows are 9.3 MB of JSON text. Measured: the previous one-document format peaked
    at 42 MB to write them and 39 MB to read them back; these lines at 0.8 MB to write, and to
    read at the table itself (9.5 MB, packed) plus 1.4 MB."""
    table = _large_table(10_000)
    problems = [Problem(number, "c1", "lỗi") for number in range(2, 1000)]
    tracemalloc.start()
    try:
        packed = uploads._pack(table, problems)
        _now, written_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        start, _peak = tracemalloc.get_traced_memory()
        kept = uploads.stored(ImportUpload(parsed=packed))
        _now, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    read_table, read_problems = kept
    assert written_peak < 4 * MB
    # the rows read back are held (packed) by the table itself, the text never
    # (the table's buffer grows by up to an eighth at a time; Python's interning table too)
    assert read_peak - start < len(read_table._packed) * 1.2 + 6 * MB
    assert read_table.row_count == 10_000 and read_problems == problems
    last = "Tổ dân phố số 10001, phường Hòa Bình, thành phố Thử Nghiệm, tỉnh Thử Nghiệm"
    assert list(read_table.cells())[-1] == (
        10_001,
        (10_001, "Chi bộ Tổ Toán", datetime.date(1985, 4, 15), *[last] * 9),
    )


def test_a_reading_stored_in_the_previous_format_is_still_read(world, tmp_path):
    """Uploads kept by migration 0007's format (one JSON document) until they are purged."""
    client = world.client(Role.SECRETARY)
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, [member_row(world, "C1")])
    preview = upload(client, path)
    kept = ImportUpload.objects.get()
    table, problems = uploads.stored(kept)
    document = {
        "table": table.to_document(),
        "problems": [[p.row, p.column, p.message] for p in problems],
    }
    kept.parsed = zlib.compress(json.dumps(document, ensure_ascii=False).encode())
    kept.save(update_fields=["parsed"])
    client.post(f"{preview}confirm/")
    assert Member.unscoped.get(code="C1").birth_date == datetime.date(1990, 5, 12)


def test_the_preview_and_the_confirmation_status_do_not_load_the_rows(world, tmp_path):
    client = world.client(Role.SECRETARY)
    path = write_xlsx(tmp_path / "dv.xlsx", MEMBER_HEADERS, [member_row(world, "D1")])
    preview = upload(client, path)
    with CaptureQueriesContext(connection) as queries:
        assert "Tệp hợp lệ" in client.get(preview).content.decode()
    upload_queries = [q["sql"] for q in queries if "core_importupload" in q["sql"]]
    assert upload_queries and not any('"parsed"' in sql for sql in upload_queries)
    client.post(f"{preview}confirm/")
    with CaptureQueriesContext(connection) as queries:
        client.post(f"{preview}confirm/")  # already imported: said without loading anything
    assert not any('"parsed"' in q["sql"] for q in queries)


# -- Abandoned uploads purged ---------------------------------------------------------------


def _age(upload_row: ImportUpload, hours: float) -> None:
    then = timezone.now() - datetime.timedelta(hours=hours)
    ImportUpload.objects.filter(pk=upload_row.pk).update(uploaded_at=then)


def _uploads(world, tmp_path):
    """An upload previewed, one refused, one imported, all 25 hours old; one 23 hours old."""
    client = world.client(Role.SECRETARY)
    names = ("previewed", "refused", "imported", "recent")
    previews = {}
    for name in names:
        extra = {"Giới tính": "?"} if name == "refused" else {}
        rows = [member_row(world, f"P-{name}", **extra)]
        previews[name] = upload(client, write_xlsx(tmp_path / f"{name}.xlsx", MEMBER_HEADERS, rows))
    client.post(f"{previews['imported']}confirm/")
    kept = {row.filename.removesuffix(".xlsx"): row for row in ImportUpload.objects.all()}
    for name in names:
        _age(kept[name], 23 if name == "recent" else 25)
    return client, previews


def _kept() -> dict[str, tuple[bool, bool]]:
    return {
        row.filename.removesuffix(".xlsx"): (row.parsed is not None, row.report is not None)
        for row in ImportUpload.objects.all()
    }


def test_a_new_upload_purges_the_uploads_abandoned_for_a_day(world, tmp_path):
    client, previews = _uploads(world, tmp_path)
    other = world.client(Role.OFFICER)
    upload(other, write_xlsx(tmp_path / "new.xlsx", MEMBER_HEADERS, [member_row(world, "N1")]))
    assert _kept() == {
        "previewed": (False, False),
        "refused": (False, False),
        "imported": (False, True),  # its rows went when it was imported; its counts stay
        "recent": (True, True),
        "new": (True, True),
    }
    entry = AuditEntry.unscoped.get(action="upload.purge")
    assert entry.target_label == "2 tệp tải lên chưa được nhập"
    assert entry.changes == {"parsed": ["2 tệp", "đã xóa"]} and entry.org_path == ""
    history = world.client(Role.ADMIN).get("/history/").content.decode()
    assert "2 tệp tải lên chưa được nhập" in history

    page = client.get(previews["previewed"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "không được nhập trong 24 giờ" in text and AGAIN in text
    assert "Xác nhận nhập" not in text and "P-previewed" not in text
    for url in (f"{previews['refused']}errors.xlsx", f"{previews['previewed']}confirm/"):
        method = client.post if url.endswith("confirm/") else client.get
        response = method(url, follow=True)
        assert response.status_code == 200 and AGAIN in response.content.decode()
    assert not Member.unscoped.filter(code="P-previewed").exists()
    assert "Tệp đã được nhập" in client.get(previews["imported"]).content.decode()


def test_the_purge_command_for_cron_and_its_setting(world, tmp_path, settings):
    _uploads(world, tmp_path)
    settings.UPLOAD_KEEP_HOURS = 48
    output = io.StringIO()
    call_command("purge_uploads", stdout=output)
    assert "0 tệp" in output.getvalue() and "48 giờ" in output.getvalue()
    assert not AuditEntry.unscoped.filter(action="upload.purge").exists()

    settings.UPLOAD_KEEP_HOURS = 12
    call_command("purge_uploads", stdout=output)
    assert "Đã xóa dữ liệu đã đọc của 3 tệp tải lên" in output.getvalue()
    assert _kept()["recent"] == (False, False)
    assert AuditEntry.unscoped.get(action="upload.purge").target_label.startswith("3 tệp")
    call_command("purge_uploads", stdout=output)  # nothing left: no second entry
    assert AuditEntry.unscoped.filter(action="upload.purge").count() == 1
