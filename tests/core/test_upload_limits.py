"""Uploads that cannot take the server down: a size limit before storing, zip bombs, row and
cell limits checked while reading (web and command line), and a file parsed only once."""

import html
import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvien.core import spreadsheets
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from tests.factories import OrganizationFactory
from tests.spreadsheets import (
    ASSESSMENT_HEADERS,
    MEMBER_HEADERS,
    ORG_ASSESSMENT_HEADERS,
    ORG_HEADERS,
    member_rows,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
TARGET_HEADERS = ["Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"]


def upload(client, kind: str, name: str, content: bytes):
    url = reverse("core:import-upload", kwargs={"kind": kind})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _bomb(path, unzipped_mb: int, entries: int = 1):
    """An .xlsx (valid workbook parts) whose sheet XML is `unzipped_mb` MB of repeated rows,
    written as a stream so building it keeps little in memory; a few hundred KB on disk."""
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    chunk = row + b" " * (MB - len(row))  # whitespace between rows: compressed a thousandfold
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        for number in range(1, entries):
            archive.writestr(f"docProps/extra{number}.xml", "<x/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            for _ in range(unzipped_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "huge": _bomb(folder / "huge.xlsx", 400),  # over the 300 MB decompressed
        "ratio": _bomb(folder / "ratio.xlsx", 20),  # small enough, compressed far too well
        "entries": _bomb(folder / "entries.xlsx", 0, entries=2000),
    }


def _peak_mb(action) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_an_oversized_upload_is_refused_before_anything_is_stored(world, settings):
    settings.UPLOAD_MAX_MB = 1
    client = world.client(Role.OFFICER)
    content = ("Mã tổ chức,Tên tổ chức\n" + "X,Y\n" * (MB // 3)).encode()
    response = upload(client, "orgs", "lon.csv", content)
    assert response.status_code == 400
    assert "Tệp lớn hơn 1 MB, giới hạn của một lần tải lên; tệp chưa được lưu." in (
        response.content.decode()
    )
    assert ImportUpload.objects.count() == 0


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        ("huge", "MB, vượt giới hạn 300 MB; hệ thống không đọc tệp này"),
        ("ratio", "Tệp Excel bị nén bất thường (phần xl/worksheets/sheet1.xml"),
        ("entries", "Tệp Excel có 2.001 thành phần, vượt giới hạn 1.000"),
    ],
)
def test_a_zip_bomb_is_refused_without_memory_growing(world, bombs, bomb, message):
    client = world.client(Role.OFFICER)
    content = bombs[bomb].read_bytes()
    assert len(content) < MB
    responses = []
    peak = _peak_mb(lambda: responses.append(upload(client, "members", "bom.xlsx", content)))
    assert message in responses[0].content.decode()
    assert ImportUpload.objects.count() == 0
    assert peak < 30, f"{peak:.0f} MB allocated refusing a bomb"


def test_the_command_refuses_the_same_bomb_with_exit_code_1(bombs):
    errors = []

    def run():
        with pytest.raises(CommandError) as raised:
            call_command("import", "members", str(bombs["huge"]))
        errors.append(raised.value)

    peak = _peak_mb(run)
    assert errors[0].returncode == 1
    assert "MB, vượt giới hạn 300 MB; hệ thống không đọc tệp này" in str(errors[0])
    assert peak < 30


def test_too_many_rows_stop_the_reading(world, settings, tmp_path):
    settings.IMPORT_READ_LIMITS = {"rows": 5}
    client = world.client(Role.OFFICER)
    rows = [[f"P.U1.{n:02d}", f"Đảng bộ {n}", "Đảng bộ cơ sở", "P.U1"] for n in range(10, 16)]
    for path in (
        write_xlsx(tmp_path / "dai.xlsx", ORG_HEADERS, rows),
        write_csv(tmp_path / "dai.csv", ORG_HEADERS, rows),
    ):
        page = upload(client, "orgs", path.name, path.read_bytes()).content.decode()
        assert "Tệp có hơn 5 dòng dữ liệu, vượt giới hạn của một lần nhập" in page
        with pytest.raises(CommandError, match="Tệp có hơn 5 dòng dữ liệu"):
            call_command("import", "orgs", str(path), "--dry-run")
    assert ImportUpload.objects.count() == 0
    assert not Organization.unscoped.filter(code="P.U1.10").exists()
    path = write_csv(tmp_path / "du.csv", ORG_HEADERS, rows[:5])
    assert upload(client, "orgs", path.name, path.read_bytes()).status_code == 302
    assert ImportUpload.objects.count() == 1


def test_an_overlong_cell_stops_the_reading(world, settings, tmp_path):
    settings.IMPORT_READ_LIMITS = {"cell_chars": 50}
    client = world.client(Role.OFFICER)
    rows = [["P.U1.10", "Đảng bộ " + "Hòa Bình " * 10, "Đảng bộ cơ sở", "P.U1"]]
    path = write_xlsx(tmp_path / "o-dai.xlsx", ORG_HEADERS, rows)
    page = html.unescape(upload(client, "orgs", path.name, path.read_bytes()).content.decode())
    assert 'Dòng 2, cột "Tên tổ chức": ô dài 98 ký tự, vượt giới hạn 50 ký tự' in page
    assert ImportUpload.objects.count() == 0
    with pytest.raises(CommandError, match="ô dài 98 ký tự"):
        call_command("import", "orgs", str(path))


@pytest.fixture
def reads(monkeypatch):
    """Every time a file is read (spreadsheets.raw_rows), counted."""
    calls = []
    original = spreadsheets.raw_rows

    def counting(*args, **kwargs):
        calls.append(args[1:2])
        return original(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "raw_rows", counting)
    return calls


def _valid_files(world, tmp_path) -> dict[str, tuple]:
    year = timezone.localdate().year - 2
    return {
        "orgs": (ORG_HEADERS, [["P.U1.09", "Đảng bộ Mới", "Đảng bộ cơ sở", "P.U1"]]),
        "members": (
            MEMBER_HEADERS,
            member_rows([world.branch.code], 3, timezone.localdate()),
        ),
        "assessments": (ASSESSMENT_HEADERS, [[world.member.code, year, "Tốt"]]),
        "org-assessments": (ORG_ASSESSMENT_HEADERS, [[world.base.code, year, "Tốt"]]),
        "targets": (TARGET_HEADERS, [[world.base.code, year, None, 8]]),
    }


@pytest.mark.parametrize("kind", ["orgs", "members", "assessments", "org-assessments", "targets"])
def test_each_kind_previews_and_imports_from_the_stored_reading(world, tmp_path, reads, kind):
    client = world.client(Role.OFFICER)
    headers, rows = _valid_files(world, tmp_path)[kind]
    path = write_xlsx(tmp_path / f"{kind}.xlsx", headers, rows)
    response = upload(client, kind, path.name, path.read_bytes())
    assert len(reads) == 1
    preview = response["Location"]
    for _ in range(2):
        page = client.get(preview).content.decode()
        assert f"tạo mới {len(rows)}</strong>" in page
    response = client.post(f"{preview}confirm/", follow=True)
    assert f"tạo mới {len(rows)}, cập nhật 0, không thay đổi 0." in response.content.decode()
    assert len(reads) == 1, "the file was read again after the upload"
    assert ImportUpload.objects.get().status == ImportUpload.Status.IMPORTED


def test_errors_and_preview_use_the_reading_kept_at_upload(world, tmp_path, reads):
    client = world.client(Role.OFFICER)
    rows = [
        ["P.U1.09", "Đảng bộ Mới", "Đảng bộ cơ sở", "P.U1"],
        ["P.U1.09.01", "=Chi bộ Mới", "Chi bộ ảo", "P.U1.09"],
    ]
    path = write_xlsx(tmp_path / "loi.xlsx", ORG_HEADERS, rows)
    preview = upload(client, "orgs", path.name, path.read_bytes())["Location"]
    assert "Tệp có 1 lỗi" in client.get(preview).content.decode()
    response = client.get(f"{preview}errors.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == ["Lỗi", *ORG_HEADERS]
    assert sheet["A3"].value.startswith("Loại tổ chức: “Chi bộ ảo”")
    assert sheet["C3"].value == "'=Chi bộ Mới"
    assert sheet["D3"].fill.fgColor.rgb.endswith("FCA5A5")
    client.post(f"{preview}confirm/")
    assert len(reads) == 1
    assert not Organization.unscoped.filter(code="P.U1.09").exists()


def test_the_confirmation_checks_the_kept_rows_against_the_database_again(world, tmp_path, reads):
    client = world.client(Role.OFFICER)
    rows = [["P.U1.09", "Đảng bộ Mới", "Đảng bộ cơ sở", "P.U1"]]
    path = write_xlsx(tmp_path / "moi.xlsx", ORG_HEADERS, rows)
    preview = upload(client, "orgs", path.name, path.read_bytes())["Location"]
    assert "tạo mới 1</strong>" in client.get(preview).content.decode()
    # Meanwhile, the code is taken outside the officer's scope.
    OrganizationFactory(code="P.U1.09", name="Khác", parent=world.outside_base)
    page = client.post(f"{preview}confirm/", follow=True).content.decode()
    assert "Tệp có lỗi, không có dữ liệu nào được ghi." in page
    assert "Tệp có 1 lỗi" in page
    assert ImportUpload.objects.get().status == ImportUpload.Status.REJECTED
    assert len(reads) == 1
    with unscoped():
        assert not Member.objects.filter(code="DV000001").exists()
