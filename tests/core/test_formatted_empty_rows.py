"""Excel keeps formatting on empty rows far below the data (a border or a colour down to row
1,048,576): such rows hold nothing and never count against the row limit."""

import io

from django.core.management import call_command
from openpyxl import Workbook
from openpyxl.styles import Font

from dangvien.organizations.models import Organization
from tests.spreadsheets import ORG_HEADERS


def test_a_formatted_empty_row_at_the_sheets_end_is_not_a_row(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ORG_HEADERS)
    sheet.append(["T", "Đảng bộ tỉnh Thử", "Đảng bộ tỉnh", ""])
    sheet.cell(row=1_048_576, column=1).font = Font(bold=True)
    path = tmp_path / "to-chuc.xlsx"
    workbook.save(path)

    call_command("import", "orgs", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert Organization.unscoped.filter(code="T").exists()
