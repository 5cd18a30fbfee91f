"""The member list's xlsx export (streamed, core/xlsx_write.py) holds what its csv export holds:
the same members in the same order, every column with the same header and value, dates as
dates; it is a streamed spreadsheet download."""

import csv
import datetime
import io
import re

from openpyxl import load_workbook

from dangvien.core.roles import Role
from dangvien.members.models import Member
from tests.factories import MemberFactory

QUERY = {"status": "all", "all_columns": "1"}


def _as_text(value) -> str:
    """A cell as Excel shows it: a date dd/mm/yyyy, the characters XML cannot hold (written
    `_xHHHH_`, which openpyxl leaves as it is) as themselves."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda found: chr(int(found[1], 16)), value)
    return "" if value is None else str(value)


def test_the_xlsx_export_has_the_rows_and_columns_of_the_csv_export(world):
    MemberFactory(code="DV-XLSX-1", branch=world.branch, full_name="Đặng Thị Ước & <Lò>")
    odd = MemberFactory(code="0800123", branch=world.branch, birth_date=datetime.date(1899, 5, 1))
    # Texts from before the input checks: straight into the table.
    Member.unscoped.filter(pk=odd.pk).update(
        full_name="=Ông  Vi\x0bệt _x0041_ ", workplace="+Công ty\tA", phone="0912 345 678"
    )
    client = world.client(Role.OFFICER)
    response = client.get("/members/export.xlsx", QUERY)
    assert response.streaming
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-dang-vien.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Danh sách đảng viên"
    workbook_rows = [[_as_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    text = b"".join(client.get("/members/export.csv", QUERY).streaming_content).decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert len(csv_rows) > 3
    assert workbook_rows == csv_rows
    dates = [cell for cell in sheet[2] if cell.is_date]
    assert dates and all(cell.number_format == "dd/mm/yyyy" for cell in dates)
