"""The demo's action programme and resolution study: the ward's officer finds last year's
programme with its targets measured, the hand-tracked one, the two reviews, and the study of
Resolution 21-NQ/TW counted in its target."""

import re

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from tests.transfers.steps import today


def test_the_ward_finds_its_programme_measured_and_reviewed(demo_data):
    ward = Client()
    assert ward.login(username="hoabinh", password=DEMO_PASSWORD)
    listing = ward.get("/programmes/", follow=True).content.decode()
    year = today().year - 1
    assert f"Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ phường năm {year}" in (
        listing
    )
    pk = re.search(r'href="/programmes/(\d+)/"', listing)[1]
    page = ward.get(f"/programmes/{pk}/").content.decode()
    assert "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên" in page
    assert "87,5" in page  # the hand-tracked result
    assert f"Sơ kết 6 tháng năm {year}" in page and f"Tổng kết năm năm {year}" in page
    assert "data:image/svg+xml;base64," in page
    # All the ward's base organisations but one studied the resolution by the deadline.
    quan_triet = re.search(
        r"Tỷ lệ tổ chức cơ sở đảng tổ chức quán triệt nghị quyết.*?</tr>", page, re.S
    )[0]
    assert "Không đạt" in quan_triet
