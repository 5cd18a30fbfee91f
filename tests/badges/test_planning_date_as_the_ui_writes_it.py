"""The badge planning page takes and shows the ceremony as dd/mm/yyyy, like the rest of the UI;
its links and the workbook carry the same; a day it cannot read is explained in those words."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from dangvien.core.roles import Role
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_ceremony_is_read_and_written_as_dd_mm_yyyy(world):
    MemberFactory(
        code="HH-30", full_name="Phạm Văn Ba Mươi", branch=world.branch,
        admitted_on=datetime.date(1996, 5, 10), official_on=datetime.date(1997, 5, 10),
    )  # fmt: skip
    client = world.client(Role.SECRETARY)
    url = f"/badges/org/{world.branch.code}/"
    page = client.get(url, {"ceremony": "19/05/2026"}).content.decode()
    assert "Huy hiệu Đảng đợt 19/05/2026" in page
    assert 'name="ceremony" value="19/05/2026"' in page and "Đợt trao (dd/mm/yyyy)" in page
    assert "YYYY-MM-DD" not in page and "2026-05-19" not in page
    assert "Phạm Văn Ba Mươi" in page and "10/05/2026" in page
    assert "list.xlsx?ceremony=19/05/2026" in page  # the workbook's link
    workbook = client.get(f"/badges/org/{world.branch.code}/list.xlsx?ceremony=19%2F05%2F2026")
    title = load_workbook(io.BytesIO(workbook.content)).active["A1"].value
    assert title == f"Huy hiệu Đảng đợt 19/05/2026: {world.branch.name}"

    wrong = client.get(url, {"ceremony": "31/02/2026"}).content.decode()
    assert "“31/02/2026” không phải một ngày (dd/mm/yyyy)." in wrong
