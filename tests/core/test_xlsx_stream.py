"""The streaming .xlsx reader gives what openpyxl's read-only mode gives, for workbooks written
by openpyxl and XlsxWriter and for the XML shapes Excel and LibreOffice write, in less memory."""

import datetime
import io
import random
import sys
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from dangvien.core.spreadsheets import MAX_COLUMNS, ReadLimits, UnreadableFile, raw_rows
from dangvien.core.xlsx_stream import SharedStrings

MB = 1024 * 1024


def openpyxl_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    # As the application read them before: a row limit, not the dimension the file declares.
    rows = workbook.worksheets[0].iter_rows(
        max_row=ReadLimits().rows + 2, max_col=MAX_COLUMNS, values_only=True
    )
    return [_trimmed(row) for row in rows]


def streamed_rows(content: bytes) -> list[tuple]:
    return [_trimmed(row) for row in raw_rows(content, "t.xlsx", ReadLimits())]


def _trimmed(row) -> tuple:
    values = [getattr(v, "text", v) if isinstance(v, ArrayFormula) else v for v in row]
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("ạễờửĐđ \t\n"),
    max_size=30,
)
cells = st.one_of(
    st.none(),
    texts,
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.sampled_from(["=SUM(A1:A2)", '=A1&"x"', "'=text", "#N/A"]),
)
grids = st.lists(st.lists(cells, max_size=8), min_size=1, max_size=12)


def _openpyxl_file(grid, write_only: bool) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Dữ liệu") if write_only else workbook.active
    for row in grid:
        sheet.append(row)
    if not write_only:
        workbook.create_sheet("Thứ hai").append(["không đọc"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsxwriter_file(grid, constant_memory: bool) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out, {"in_memory": True, "constant_memory": constant_memory, "strings_to_numbers": False}
    )
    sheet = workbook.add_worksheet()
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, value, day)
            elif isinstance(value, str) and value.startswith("="):
                sheet.write_formula(r, c, value)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids, st.booleans())
def test_openpyxl_workbooks_read_as_openpyxl_reads_them(grid, write_only):
    content = _openpyxl_file(grid, write_only)
    assert streamed_rows(content) == openpyxl_rows(content)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids, st.booleans())
def test_xlsxwriter_workbooks_read_as_openpyxl_reads_them(grid, constant_memory):
    content = _xlsxwriter_file(grid, constant_memory)  # constant_memory: inline strings
    assert streamed_rows(content) == openpyxl_rows(content)


def _with_parts(sheet_data: str, strings: str | None, epoch_1904: bool = False) -> bytes:
    """A workbook written by openpyxl, its sheet and shared strings replaced by the XML shapes
    other writers produce (Excel, LibreOffice, the .NET OpenXML SDK's prefixes)."""
    workbook = Workbook()
    workbook.active.append(["x"])
    workbook.epoch = datetime.datetime(1904, 1, 1) if epoch_1904 else workbook.epoch
    source = io.BytesIO()
    workbook.save(source)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<x:worksheet xmlns:x="{main}"><x:dimension ref="A1"/>'
                    f"<x:sheetData>{sheet_data}</x:sheetData></x:worksheet>"
                ).encode()
            elif item.filename == "xl/styles.xml":
                data = data.replace(
                    b'<cellXfs count="1">',
                    b'<cellXfs count="3"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"'
                    b' applyNumberFormat="1"/><xf numFmtId="46" fontId="0" fillId="0"'
                    b' borderId="0" applyNumberFormat="1"/>',
                )
            new.writestr(item, data)
        if strings is not None:
            new.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main}">{strings}</sst>')
    content = out.getvalue()
    if strings is not None:  # declare the part, as every writer does
        content = _declare_strings(content)
    return content


def _declare_strings(content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            new.writestr(item, data)
    return out.getvalue()


EXCEL_LIKE_SHEET = """
<x:row r="1" spans="1:6"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c>
<x:c r="F1" t="s"><x:v>2</x:v></x:c></x:row>
<x:row r="3"><x:c r="A3" s="1"><x:v>45000</x:v></x:c><x:c r="B3" s="1"><x:v>45000.75</x:v></x:c>
<x:c r="C3" s="2"><x:v>1.5</x:v></x:c><x:c r="D3" t="b"><x:v>1</x:v></x:c>
<x:c r="E3" t="e"><x:v>#N/A</x:v></x:c><x:c r="F3" t="str"><x:f>A1&amp;"!"</x:f><x:v>x!</x:v></x:c>
</x:row>
<x:row r="4"><x:c r="A4"><x:f t="shared" ref="A4:A6" si="0">B4*2</x:f><x:v>2</x:v></x:c>
<x:c r="B4"><x:v>1E-3</x:v></x:c><x:c r="C4" t="inlineStr"><x:is><x:r><x:t>Hà </x:t></x:r>
<x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">Nội </x:t></x:r></x:is></x:c>
<x:c r="D4" t="d"><x:v>2024-03-05T00:00:00</x:v></x:c><x:c r="E4" t="inlineStr"/></x:row>
<x:row r="5"><x:c r="A5"><x:f t="shared" si="0"/><x:v>4</x:v></x:c></x:row>
<x:row><x:c><x:v>7</x:v></x:c><x:c/><x:c t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="2"><x:c r="A2"><x:v>99</x:v></x:c></x:row>
<x:row r="9"><x:c r="A9"><x:f t="array" ref="A9">{1,2}</x:f></x:c><x:c r="CW9"><x:v>1</x:v></x:c>
<x:c r="CX9"><x:v>2</x:v></x:c></x:row>
"""
EXCEL_LIKE_STRINGS = """
<si><t>Mã đảng viên</t></si>
<si><r><t>Họ và </t></r><r><rPr><i/></rPr><t>tên</t></r><rPh sb="0" eb="1"><t>ホ</t></rPh></si>
<si><t xml:space="preserve"> Ngày x005F_sinh </t></si>
<si><t/></si>
"""


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_excel_and_libreoffice_shapes_read_as_openpyxl_reads_them(epoch_1904):
    content = _with_parts(EXCEL_LIKE_SHEET, EXCEL_LIKE_STRINGS, epoch_1904)
    rows = streamed_rows(content)
    assert rows == openpyxl_rows(content)
    assert rows[0] == ("Mã đảng viên", None, "Họ và tên", None, None, " Ngày sinh ")
    assert rows[1] == ()  # the missing row 2 keeps the next row's number; the late "2" is skipped
    assert rows[3][2] == "Hà Nội "
    assert rows[4] == ("=B5*2",)  # a shared formula translated to its cell
    assert rows[8][0] == "={1,2}"
    assert len(rows[8]) == 1  # columns past MAX_COLUMNS (CW is column 101) are not read


def test_a_part_declaring_a_dtd_is_refused():
    sheet = '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>'
    content = _with_parts(sheet, None)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>\n", b'?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            new.writestr(item, data)
    with pytest.raises(UnreadableFile, match="tệp bị hỏng"):
        streamed_rows(out.getvalue())


def test_a_reference_to_a_missing_shared_string_is_a_damaged_file():
    content = _with_parts('<x:row r="1"><x:c r="A1" t="s"><x:v>5</x:v></x:c></x:row>', "<si/>")
    with pytest.raises(UnreadableFile, match="tệp bị hỏng"):
        streamed_rows(content)


def test_shared_strings_are_kept_compactly():
    """20,000 distinct Vietnamese strings: under 40% of the memory of a list of str."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    words = [f"Nguyễn Văn Đạt {number}" for number in range(20_000)]
    xml = f'<sst xmlns="{main}">' + "".join(f"<si><t>{w}</t></si>" for w in words) + "</sst>"
    source = io.BytesIO(xml.encode())
    tracemalloc.start()
    strings = SharedStrings(source)
    kept, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    as_objects = sum(sys.getsizeof(word) + 8 for word in words)  # each str and its list slot
    assert [strings[i] for i in (0, 19_999)] == [words[0], words[-1]]
    assert len(strings) == 20_000
    assert kept < as_objects * 0.4


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_streamed_table_gives_the_rows_and_problems_of_a_kept_table(kind):
    from dangvien.core.spreadsheets import Column, read_table, stream_table

    columns = [Column("Mã", "code", required=True), Column("Ngày", "day"), Column("Tên", "name")]
    grid = [["Tên", "Mã", "Khác", "Ngày"], [" An ", "A1", 1, datetime.date(2024, 3, 5)]]
    grid += [[None, None], ["Bình", "A2", None, None]]
    if kind == "xlsx":
        content = _openpyxl_file(grid, write_only=False)
    else:
        content = "\n".join(",".join(str(v or "") for v in row) for row in grid).encode()
    kept = read_table(content, columns, f"t.{kind}")
    table, rows = stream_table(content, columns, f"t.{kind}")
    assert (table.keys, table.warnings, table.problems) == (kept.keys, kept.warnings, [])
    assert list(rows) == list(kept.rows)
    missing, rows = stream_table("Tên\nAn\n".encode(), columns, "t.csv")
    assert [p.message for p in missing.problems] == ["thiếu cột bắt buộc."] and list(rows) == []
    with pytest.raises(UnreadableFile, match="vượt giới hạn"):
        list(stream_table(content, columns, f"t.{kind}", ReadLimits(rows=1))[1])


UNUSUAL_SHEET = """
<!-- a comment --><?pi data?>
<x:row r="1">  <x:c r="A1" t="inlineStr"><x:is><x:t>a<x:b/>tail</x:t>
  <x:r><x:t><![CDATA[<c>]]> &amp; d</x:t>after</x:r></x:is></x:c>
  <x:c r="B1" t="n"><x:v>1<!-- c -->2</x:v></x:c> <x:c r="C1" t="s"><x:v>0</x:v>  </x:c>
  <o:c xmlns:o="urn:other" r="D1"><o:v>9</o:v></o:c><x:extLst><x:c r="E1"><x:v>5</x:v></x:c>
  </x:extLst></x:row>
<o:row xmlns:o="urn:other" r="2"><x:c r="A2"><x:v>7</x:v></x:c></o:row>
<x:row r="3"><x:c r="A3" t="str"><x:f>A1</x:f><x:v>x</x:v></x:c></x:row>
"""


def test_comments_cdata_tails_and_other_namespaces_read_as_openpyxl_reads_them():
    strings = '<si><t>s<b/>t</t><r><t>u</t></r><rPh sb="0" eb="1"><t>no</t></rPh>w</si>'
    content = _with_parts(UNUSUAL_SHEET, strings)
    rows = streamed_rows(content)
    assert rows == openpyxl_rows(content)
    assert rows[0] == ("a<c> & d", datetime.datetime(1900, 1, 12), "su")
    assert rows[1:] == [(), ("=A1",)]


@pytest.mark.parametrize(
    "shape",
    [
        "<x:a>" * 100 + "</x:a>" * 100,  # nesting no spreadsheet part has
        '<x:a b="' + random.Random(1).randbytes(MB).hex() + '"/>',  # one tag of 2 MB
        "<!--" + random.Random(2).randbytes(MB).hex() + "-->",  # one comment of 2 MB
    ],
    ids=["deep", "long-tag", "long-comment"],
)
def test_a_sheet_shaped_to_exhaust_the_parser_is_a_damaged_file(shape):
    row = '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c></x:row>'
    with pytest.raises(UnreadableFile, match="tệp bị hỏng"):
        streamed_rows(_with_parts(row + shape, None))
