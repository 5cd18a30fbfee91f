"""core/xlsx_write.py: the streamed workbook opens in openpyxl and in the project's own reader
with the values written: Vietnamese text, dates as dates shown dd/mm/yyyy, numbers, the
characters XML cannot hold written as Excel writes them; its zip and XML are sound; it is
written as the rows are read."""

import datetime
import io
import re
import zipfile
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dangvien.core.spreadsheets import raw_rows
from dangvien.core.xlsx_write import column_letters, stream_workbook

HEADERS = ["Mã đảng viên", "Họ và tên", "Ngày sinh", "Số năm", "Ghi chú"]


def written(rows, headers=HEADERS, name="Danh sách đảng viên") -> bytes:
    return b"".join(stream_workbook(name, headers, rows, len(rows)))


def test_values_dates_and_vietnamese_text_read_back_in_openpyxl():
    rows = [
        ["080000123", "Nguyễn Thị Hồng Nhung", datetime.date(1985, 4, 15), 41, None],
        ["080000124", "Đặng Văn Ước", datetime.date(1900, 3, 1), 0, "  giữ khoảng trắng "],
        ["080000125", "Lò Văn Pả", datetime.date(1900, 1, 1), 7, "'=HYPERLINK(1)"],
    ]
    workbook = load_workbook(io.BytesIO(written(rows)))
    sheet = workbook.active
    assert sheet.title == "Danh sách đảng viên"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert values[1] == [
        "080000123",
        "Nguyễn Thị Hồng Nhung",
        datetime.datetime(1985, 4, 15),
        41,
        None,  # an empty cell
    ]
    assert values[2][2] == datetime.datetime(1900, 3, 1)
    assert values[2][4] == "  giữ khoảng trắng "
    assert values[3][2] == datetime.datetime(1900, 1, 1)  # Excel's serial 1
    assert values[3][4] == "'=HYPERLINK(1)"  # text, never a formula
    assert sheet["C2"].number_format == "dd/mm/yyyy" and sheet["C2"].is_date
    assert sheet["A2"].data_type == "s" and sheet["D2"].data_type == "n"
    assert not sheet["A2"].font.b


def test_a_date_before_1900_is_written_as_its_text():
    sheet = load_workbook(io.BytesIO(written([["1", "Cụ Lê", datetime.date(1899, 5, 1)]]))).active
    assert sheet["C2"].value == "01/05/1899"


def test_characters_xml_cannot_hold_are_written_as_excel_writes_them():
    text = "a & b <c> \x01\x0b\r\x1f \ufffe _x0041_ đ"
    content = written([["1", text]])
    sheet = load_workbook(io.BytesIO(content)).active
    # As Excel and XlsxWriter write them; Excel shows the characters, openpyxl the escapes.
    assert sheet["B2"].value == "a & b <c> _x0001__x000B__x000D__x001F_ _xFFFE_ _x005F_x0041_ đ"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # well-formed


def test_the_projects_own_reader_reads_it_back():
    rows = [["080000123", "Nguyễn Thị Hồng Nhung", datetime.date(1985, 4, 15), 41, "x"]]
    read = list(raw_rows(io.BytesIO(written(rows)), "danh-sach.xlsx"))
    assert read == [
        HEADERS,
        ["080000123", "Nguyễn Thị Hồng Nhung", datetime.datetime(1985, 4, 15), 41, "x"],
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            st.characters(
                blacklist_categories=("Cs",),  # lone surrogates: never in a database's text
                blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\r"
                "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
                "\ufffe\uffff",
            ),
            min_size=1,
        ),
        min_size=1,
        max_size=30,
    )
)
def test_any_text_xml_can_hold_reads_back_unchanged(texts):
    headers = [f"Cột {n}" for n in range(len(texts))]
    sheet = load_workbook(io.BytesIO(written([texts], headers))).active
    read = [cell.value for cell in sheet[2]]
    # A text that looks like Excel's escape is kept as itself: "_x0041_" → "_x005F_x0041_".
    expected = [re.sub(r"_x[0-9A-Fa-f]{4}_", lambda m: "_x005F" + m[0], text) for text in texts]
    assert read == expected


def test_the_workbook_is_written_as_the_rows_are_read():
    consumed = []

    def rows():
        for number in range(20_000):
            consumed.append(number)
            yield [f"DV{number:06d}", "Nguyễn Văn An", datetime.date(1990, 1, 1), number]

    chunks = stream_workbook("Danh sách", HEADERS[:4], rows(), 20_000)
    first = [next(chunks), next(chunks)]  # the workbook's small parts, the sheet's first rows
    assert 0 < len(consumed) < 20_000
    content = b"".join(first + list(chunks))
    assert len(consumed) == 20_000
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    last = list(sheet.iter_rows(min_row=20_001, values_only=True))
    assert last == [("DV019999", "Nguyễn Văn An", datetime.datetime(1990, 1, 1), 19_999)]


def test_column_letters_go_past_z():
    letters = column_letters(703)
    assert letters[:3] == ["A", "B", "C"]
    assert letters[25:28] == ["Z", "AA", "AB"]
    assert letters[701:] == ["ZZ", "AAA"]
