"""The error workbook joins a row's problems into one sentence: «…quản lý; Số CCCD: …» and one
full stop at the end (issue 12 found «…quản lý.; Số CCCD…»)."""

import io

from openpyxl import load_workbook

from dangvien.core.spreadsheets import Problem, Table
from dangvien.core.workbooks import annotated_workbook


def test_problems_of_a_row_are_joined_without_a_stop_before_each_semicolon():
    table = Table(titles=["Mã đảng viên", "Số CCCD"])
    table.append(2, ["DV1", "123"])
    problems = [
        Problem(2, "Mã đảng viên", "trùng với một hồ sơ ngoài phạm vi quản lý."),
        Problem(2, "Số CCCD", "phải gồm đúng 12 chữ số."),
    ]
    sheet = load_workbook(io.BytesIO(annotated_workbook(table, problems)))["Lỗi nhập"]
    note = sheet["A2"].value
    assert note == (
        "Mã đảng viên: trùng với một hồ sơ ngoài phạm vi quản lý; Số CCCD: phải gồm đúng 12 chữ số."
    )
