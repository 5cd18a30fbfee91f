"""No part of an .xlsx can exhaust memory: a part read whole (content types, workbook,
relationships, styles) is bounded before and while it is read, a row's cells and a cell's text
while the row is built, and what surrounds the rows is dropped as it is read. Checked through
the web upload, the command line and the reading functions, with bombs that pass the archive
checks (under 300 MB decompressed, compressed less than a hundredfold) and are small on disk."""

import html
import io
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.core.spreadsheets import MAX_COLUMNS, ReadLimits, UnreadableFile, raw_rows
from dangvien.core.xlsx_archive import BoundedArchive, PartTooLarge
from dangvien.organizations.models import Organization
from tests.spreadsheets import ORG_HEADERS

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def _peak_mb(action) -> float:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def _upload(client, kind: str, name: str, content: bytes):
    url = reverse("core:import-upload", kwargs={"kind": kind})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _parts(rows: list[list]) -> dict[str, bytes]:
    """The parts of a workbook written by openpyxl: the organisations' headers and `rows`."""
    workbook = Workbook()
    workbook.active.append(ORG_HEADERS)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(out) as archive:
        return {item.filename: archive.read(item.filename) for item in archive.infolist()}


def _units(count: int, unit: bytes, every: int = 40):
    """`count` copies of `unit` (a %d in it), one in `every` with a random number: just
    enough entropy to compress less than a hundredfold, as the archive check requires. The
    copies with 0 between two random ones come as one piece (millions of pieces take seconds)."""
    rng = random.Random(11)
    zero = unit % 0
    for number in range(0, count, every):
        yield unit % rng.randrange(10**6)
        yield zero * (min(every, count - number) - 1)


def _write(path: Path, parts: dict[str, bytes], name: str, pieces, level: int = 9) -> Path:
    """The workbook `parts` with part `name` written from `pieces`, at high compression."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for filename, data in parts.items():
            if filename != name:
                archive.writestr(filename, data)
                continue
            with archive.open(name, "w", force_zip64=True) as part:
                buffer: list[bytes] = []
                for piece in pieces:
                    buffer.append(piece)
                    if len(buffer) == 50_000:
                        part.write(b"".join(buffer))
                        buffer = []
                part.write(b"".join(buffer))
    return path


def _sheet(rows_xml: bytes, after: bytes = b"") -> list[bytes]:
    """A worksheet: the organisations' header row, then `rows_xml`, then `after`."""
    header = b"".join(
        b'<c t="inlineStr"><is><t>%s</t></is></c>' % title.encode() for title in ORG_HEADERS
    )
    return [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="%s"><sheetData>' % MAIN,
        b'<row r="1">%s</row>' % header,
        rows_xml,
        b"</sheetData>",
        after,
        b"</worksheet>",
    ]


def _org_row(number: int, code: str, parent: str) -> bytes:
    cells = [code, f"Đảng bộ {code}", "Đảng bộ cơ sở", parent]
    return b'<row r="%d">%s</row>' % (
        number,
        b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % v.encode() for v in cells),
    )


def _styles_bomb(path: Path) -> Path:
    """xl/styles.xml of 2,000,000 cell formats: 225 MB decompressed, under 3 MB on disk."""
    pieces = [
        b'<?xml version="1.0"?><styleSheet xmlns="%s"><cellXfs count="2000000">' % MAIN,
        *_units(
            2_000_000,
            b'<xf numFmtId="0" fontId="0" fillId="0" borderId="%d" xfId="0" '
            b'applyAlignment="1"><alignment horizontal="center"/></xf>',
            every=5,
        ),
        b"</cellXfs></styleSheet>",
    ]
    return _write(path, _parts([]), "xl/styles.xml", pieces)


def _wide_row_bomb(path: Path) -> Path:
    """Row 2 of 1,000,000 cells: 14 MB decompressed, under 200 KB on disk."""
    cells = b"".join(_units(1_000_000, b"<c><v>%d</v></c>"))
    return _write(path, _parts([]), SHEET, _sheet(b'<row r="2">%s</row>' % cells))


def _surrounded_bomb(path: Path, parent: str) -> Path:
    """One valid organisation, then 500,000 merged ranges, 20,000 conditional formats and
    100,000 rows of another namespace: 20 MB decompressed, a few hundred KB on disk."""
    after = [
        b'<mergeCells count="500000">',
        *_units(500_000, b'<mergeCell ref="A%d:B2"/>', every=20),
        b"</mergeCells>",
        *_units(
            20_000,
            b'<conditionalFormatting sqref="A1:A%d"><cfRule type="cellIs" dxfId="0" '
            b'priority="1" operator="equal"><formula>"X"</formula></cfRule>'
            b"</conditionalFormatting>",
            every=2,
        ),
        b'<extLst><ext uri="urn:dangvien:test" xmlns:o="urn:dangvien:other">',
        *_units(100_000, b'<o:row r="%d"><o:c><o:v>1</o:v></o:c></o:row>', every=10),
        b"</ext></extLst>",
    ]
    return _write(path, _parts([]), SHEET, _sheet(_org_row(2, "P.U1.10", parent), b"".join(after)))


def _long_text_bomb(path: Path) -> Path:
    """Cell B2 of 100 MB of text: a little over 1 MB on disk."""
    text = b"".join(_units(10_000_000, b"H\xc3\xb2a %d "))
    row = b'<row r="2"><c t="inlineStr"><is><t>P.U1.10</t></is></c>'
    row += b'<c t="inlineStr"><is><t>%s</t></is></c></row>' % text
    # Level 6 packs this text as small as level 9 does, in a fourteenth of the time.
    return _write(path, _parts([]), SHEET, _sheet(row), level=6)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("part-bombs")
    made = {
        "styles": _styles_bomb(folder / "styles.xlsx"),
        "wide": _wide_row_bomb(folder / "wide.xlsx"),
        "surrounded": _surrounded_bomb(folder / "surrounded.xlsx", "P.U1"),
        "text": _long_text_bomb(folder / "text.xlsx"),
    }
    for path in made.values():  # each passes the archive's size and ratio checks
        assert path.stat().st_size < 3 * MB
        with zipfile.ZipFile(path) as archive:
            assert sum(item.file_size for item in archive.infolist()) < 300 * MB
            for item in archive.infolist():
                assert item.file_size < MB or item.file_size / item.compress_size < 100
    return made


def _read(source, limits: ReadLimits | None = None) -> list:
    return list(raw_rows(source, "t.xlsx", limits or ReadLimits()))


def test_a_styles_bomb_is_refused_before_it_is_read(world, bombs):
    client = world.client(Role.OFFICER)
    content = bombs["styles"].read_bytes()
    responses = []
    peak = _peak_mb(lambda: responses.append(_upload(client, "orgs", "kieu.xlsx", content)))
    page = html.unescape(responses[0].content.decode())
    assert (
        "Tệp quá lớn: phần xl/styles.xml của tệp Excel khi giải nén lớn 225 MB, vượt giới "
        "hạn 4 MB; hệ thống không đọc tệp này." in page
    )
    assert ImportUpload.objects.count() == 0
    assert peak < 50, f"{peak:.0f} MB allocated refusing the styles bomb"
    with pytest.raises(CommandError, match=r"phần xl/styles\.xml") as raised:
        call_command("import", "orgs", str(bombs["styles"]))
    assert raised.value.returncode == 1


@pytest.mark.parametrize(
    "part",
    ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"],
)
def test_each_part_read_whole_is_bounded(tmp_path, part):
    parts = _parts([["P.U1.10", "Đảng bộ 10", "Đảng bộ cơ sở", "P.U1"]])
    # 200 KB of whitespace inside the root element: still valid XML, under the ratio check.
    root_end = parts[part].rindex(b"</")
    padded = parts[part][:root_end] + b" " * (200 * 1024) + parts[part][root_end:]
    path = _write(tmp_path / "phan.xlsx", parts, part, [padded])
    assert len(_read(path)) == 2  # the default limit (4 MB) lets it through
    with pytest.raises(UnreadableFile, match="Tệp quá lớn: phần ") as raised:
        _read(path, ReadLimits(part_bytes=100 * 1024))
    assert str(raised.value) == (
        f"Tệp quá lớn: phần {part} của tệp Excel khi giải nén lớn {-(-len(padded) // 1024)} "
        "KB, vượt giới hạn 100 KB; hệ thống không đọc tệp này."
    )


def test_a_directory_understating_a_part_gets_no_further(tmp_path):
    """The directory says xl/styles.xml has 1,000 bytes; it inflates to 20 MB."""
    parts = _parts([])
    path = tmp_path / "doi.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if name == "xl/styles.xml":
                data = data.replace(b"</styleSheet>", b" " * (20 * MB) + b"</styleSheet>")
            archive.writestr(name, data)
    content = bytearray(path.read_bytes())
    entry = content.index(b"PK\x01\x02")  # the central directory's first entry
    while content[entry + 46 : entry + 59] != b"xl/styles.xml":
        entry = content.index(b"PK\x01\x02", entry + 4)
    content[entry + 24 : entry + 28] = (1000).to_bytes(4, "little")  # its uncompressed size
    errors = []

    def read():
        with pytest.raises(UnreadableFile) as raised:
            _read(bytes(content))
        errors.append(str(raised.value))

    peak = _peak_mb(read)
    assert errors == ["Không đọc được tệp Excel (.xlsx): tệp bị hỏng."]
    assert peak < 10
    # Whatever zipfile gives, the bytes are counted as they come: past the limit, refused.
    archive = BoundedArchive(io.BytesIO(bytes(content)), 1000, 300 * MB)
    with archive.open("xl/styles.xml") as part:
        part._part = io.BytesIO(b" " * 5000)  # a decompressor giving more than declared
        with pytest.raises(PartTooLarge) as raised:
            part.read()
    assert (raised.value.part, raised.value.size) == ("xl/styles.xml", None)


def test_a_row_of_a_million_cells_is_refused_as_it_is_read(world, bombs):
    client = world.client(Role.OFFICER)
    content = bombs["wide"].read_bytes()
    responses = []
    peak = _peak_mb(lambda: responses.append(_upload(client, "orgs", "rong.xlsx", content)))
    page = html.unescape(responses[0].content.decode())
    assert "Dòng 2: có hơn 16.384 ô, vượt giới hạn số ô của một dòng" in page
    assert ImportUpload.objects.count() == 0
    assert peak < 50, f"{peak:.0f} MB allocated reading a row of a million cells"
    with pytest.raises(UnreadableFile, match="Dòng 2: có hơn 200 ô"):
        _read(bombs["wide"], ReadLimits(row_cells=200))


def test_what_surrounds_the_rows_is_dropped_as_it_is_read(world, bombs):
    peak = _peak_mb(lambda: call_command("import", "orgs", str(bombs["surrounded"])))
    assert Organization.unscoped.filter(code="P.U1.10", parent__code="P.U1").exists()
    assert peak < 50, f"{peak:.0f} MB allocated by what surrounds the rows"
    rows = []
    peak = _peak_mb(lambda: rows.extend(_read(bombs["surrounded"])))
    assert rows[1] == ["P.U1.10", "Đảng bộ P.U1.10", "Đảng bộ cơ sở", "P.U1"]
    assert len(rows) == 2
    assert peak < 20, f"{peak:.0f} MB allocated by what surrounds the rows"


def test_a_huge_cell_is_refused_while_its_text_arrives(bombs):
    errors = []

    def read():
        with pytest.raises(UnreadableFile) as raised:
            _read(bombs["text"])
        errors.append(str(raised.value))

    peak = _peak_mb(read)
    assert errors == [
        'Dòng 2, cột "Tên tổ chức": ô dài hơn 32.767 ký tự, vượt giới hạn 1.000 ký tự; '
        "hệ thống dừng đọc tệp."
    ]
    assert peak < 20, f"{peak:.0f} MB allocated reading a 100 MB cell"


def _with_strings(tmp_path: Path, strings: list[str], rows_xml: bytes) -> Path:
    parts = _parts([])
    items = b"".join(b"<si><t>%s</t></si>" % text.encode() for text in strings)
    parts["xl/sharedStrings.xml"] = b'<sst xmlns="%s">%s</sst>' % (MAIN, items)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        b'-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return _write(tmp_path / "chuoi.xlsx", parts, SHEET, _sheet(rows_xml))


def test_a_shared_string_longer_than_a_cell_holds_is_refused(tmp_path):
    path = _with_strings(tmp_path, ["P.U1.10", "x" * 40_000], _org_row(2, "P.U1.10", "P.U1"))
    with pytest.raises(UnreadableFile) as raised:
        _read(path)
    assert str(raised.value) == (
        "Tệp quá lớn: phần xl/sharedStrings.xml của tệp Excel có một chuỗi dài hơn 32.767 ký "
        "tự, vượt giới hạn của một ô; hệ thống không đọc tệp này."
    )


def test_cells_sharing_a_long_string_stop_at_the_first_row(tmp_path):
    """5,000 rows of 3 cells each showing one 30,000-character string: 450 million characters
    if unfolded; the reading stops at the first, as the cell limit says."""
    cell = b'<c t="s"><v>0</v></c>'
    rows = b"".join(b'<row r="%d">%s</row>' % (n, cell * 3) for n in range(2, 5002))
    path = _with_strings(tmp_path, ["Nguyễn Văn Đạt " * 2000], rows)
    errors = []

    def read():
        with pytest.raises(UnreadableFile) as raised:
            _read(path)
        errors.append(str(raised.value))

    peak = _peak_mb(read)
    assert errors == [
        'Dòng 2, cột "Mã tổ chức": ô dài 30.000 ký tự, vượt giới hạn 1.000 ký tự; hệ thống '
        "dừng đọc tệp."
    ]
    assert peak < 20, f"{peak:.0f} MB allocated"


def _trimmed(row) -> list:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


def _dressed_workbook(path: Path, parent: str) -> Path:
    """A workbook as an officer's spreadsheet program leaves it: styles, merged cells,
    conditional formats, validation, comments, a frozen header, a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổ chức"
    sheet.append(ORG_HEADERS)
    for number in (10, 11):
        sheet.append([f"P.U1.{number}", f"Đảng bộ {number}", "Đảng bộ cơ sở", parent])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B91C1C")
    sheet.freeze_panes = "A2"
    sheet.merge_cells("F1:H1")
    sheet["F1"] = "Ghi chú"
    sheet["A2"].comment = Comment("Mã theo hướng dẫn", "Văn phòng")
    sheet.conditional_formatting.add(
        "A2:A100", CellIsRule(operator="equal", formula=['"X"'], fill=PatternFill("solid"))
    )
    validation = DataValidation(type="list", formula1='"Đảng bộ cơ sở,Chi bộ cơ sở"')
    sheet.add_data_validation(validation)
    validation.add("C2:C100")
    sheet.column_dimensions["B"].width = 40
    workbook.create_sheet("Hướng dẫn").append(["Không nhập vào trang này"])
    workbook.save(path)
    return path


def test_a_dressed_workbook_still_reads_and_imports(world, tmp_path):
    path = _dressed_workbook(tmp_path / "to-chuc.xlsx", world.upper.code)
    expected = [
        [*ORG_HEADERS, None, "Ghi chú"],
        ["P.U1.10", "Đảng bộ 10", "Đảng bộ cơ sở", world.upper.code],
        ["P.U1.11", "Đảng bộ 11", "Đảng bộ cơ sở", world.upper.code],
    ]
    assert _read(path) == expected
    sheet = load_workbook(path, read_only=True).worksheets[0]
    as_openpyxl_reads = [
        _trimmed(row) for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    ]
    assert as_openpyxl_reads == expected
    client = world.client(Role.OFFICER)
    preview = _upload(client, "orgs", path.name, path.read_bytes())["Location"]
    response = client.post(f"{preview}confirm/", follow=True)
    assert "tạo mới 2, cập nhật 0, không thay đổi 0." in response.content.decode()
    assert Organization.unscoped.filter(code__in=["P.U1.10", "P.U1.11"]).count() == 2


def test_shared_formula_groups_are_bounded(tmp_path):
    """100,001 groups of shared formulas, each kept until the sheet ends: refused at the
    group past the limit (openpyxl keeps about 1 KB a group)."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><f t="shared" ref="A%d:A%d" si="%d">B%d+1</f></c></row>'
        % (n, n, n, n, n, n)
        for n in range(2, 100_003)
    )
    path = _write(tmp_path / "cong-thuc.xlsx", _parts([]), SHEET, _sheet(rows))
    errors = []

    def read():
        with pytest.raises(UnreadableFile) as raised:
            _read(path)
        errors.append(str(raised.value))

    peak = _peak_mb(read)
    assert errors == [
        "Dòng 100002: tệp có hơn 100.000 nhóm công thức dùng chung, vượt giới hạn; hệ thống "
        "dừng đọc tệp. Hãy dán dữ liệu dưới dạng giá trị."
    ]
    assert peak < 50, f"{peak:.0f} MB allocated"
