"""Reading spreadsheets against a column contract: header matching, CSV encodings, cells."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvien.core.spreadsheets import Column, UnreadableFile, cell_text, read_table

COLUMNS = [Column("Mã tổ chức", "code", required=True), Column("Tên tổ chức", "name")]


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


@given(
    st.sampled_from(["Mã tổ chức", "ma to chuc", "MÃ TỔ CHỨC", "  mã  tổ   chức ", "Ma To Chuc"]),
    st.booleans(),
)
def test_header_variants_match(header, bom):
    table = read_table(csv_bytes(f"{header},Tên tổ chức\nA,Tỉnh A\n", bom), COLUMNS)
    assert table.problems == []
    assert list(table.rows) == [(2, {"code": "A", "name": "Tỉnh A"})]


def test_blank_rows_are_skipped_and_row_numbers_kept():
    table = read_table(csv_bytes("Mã tổ chức,Tên tổ chức\nA,x\n,\nB,y\n"), COLUMNS)
    assert [number for number, _ in table.rows] == [2, 4]


def test_non_utf8_csv_is_refused_with_a_clear_message():
    with pytest.raises(UnreadableFile, match="UTF-8"):
        read_table(b"M\xe3 s\xf4,T\xean\nA,B\n", COLUMNS)  # Windows-1252 text


def test_cell_text_formats_dates_and_integers():
    assert cell_text(datetime.date(2024, 3, 5)) == "05/03/2024"
    assert cell_text(datetime.datetime(2024, 3, 5, 0, 0)) == "05/03/2024"
    assert cell_text(42) == "42"
    assert cell_text(None) == ""
