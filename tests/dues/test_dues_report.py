"""The province sees collected vs due by unit (R5.5 reconciliation aside): the report of a
subtree for a month or a year, computed in SQL, and its xlsx export."""

import io
import re

from openpyxl import load_workbook

from dangvien.core.roles import Role
from dangvien.dues.selectors import unpaid_flags
from tests.dues.helpers import MAY, declare, pay
from tests.factories import user_with_role


def test_the_province_sees_collected_against_due_by_unit(world):
    secretary = world.client(Role.SECRETARY)
    officer = world.client(Role.OFFICER)
    declare(secretary, world.member)  # 1% of 10.000.000 = 100.000
    declare(officer, world.other_member, category="hoc_sinh", base=None)  # 5.000 (QĐ 01)
    pay(secretary, world.branch, world.member, *MAY)

    province_user = user_with_role(Role.OFFICER, world.province, "tinhuy")
    client = world.client(None)
    client.force_login(province_user)
    url = f"/dues/report/{world.province.code}/?year={MAY[0]}&month={MAY[1]}"
    page = client.get(url).content.decode()
    inside = page.split(f'id="unit-{world.upper.code}"', 1)[1].split("</tr>", 1)[0]
    cells = [cell.strip() for cell in re.findall(r">([^<>]*)</td>", inside)]
    # members, undeclared, due, collected, percent; then the members flagged this year
    assert cells[-6:-1] == ["2", "0", "105.000", "100.000", "95%"]
    assert cells[-1] == str(len(unpaid_flags(world.upper, MAY[0])))
    outside = page.split(f'id="unit-{world.outside_upper.code}"', 1)[1].split("</tr>", 1)[0]
    assert ">1</td>" in outside and '>1</td><td class="num">0</td>' in outside  # undeclared

    response = client.get(url + "&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows[world.upper.name][:4] == (2, 0, 105_000, 100_000)
    assert rows["Tổng cộng"][2:4] == (105_000, 100_000)


def test_the_year_adds_the_months(world):
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member, from_month="01/2025")
    pay(secretary, world.branch, world.member, 2025, 1, months="12")
    page = world.client(Role.OFFICER).get(f"/dues/report/{world.base.code}/?year=2025")
    text = page.content.decode()
    row = text.split(f'id="unit-{world.branch.code}"', 1)[1].split("</tr>", 1)[0]
    assert "1.200.000" in row and "100%" in row
