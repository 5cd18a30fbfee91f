"""The demo's screening: the school branch's secretary sees a case under way, the officer the
exit statistics of the ward by ground."""

import re

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from tests.transfers.steps import today


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_demo_shows_screening(demo_data):
    page = _client("bithu").get("/screening/org/SH.HB.01.01/").content.decode()
    assert "Đang xem xét" in page and "Bỏ sinh hoạt đảng 3 tháng" in page
    case = re.search(r'href="/screening/case/(\d+)/"', page)[1]
    case_page = _client("bithu").get(f"/screening/case/{case}/").content.decode()
    assert "đã yêu cầu 1 lần, không thực hiện 1 lần" in case_page

    totals = 0
    for year in (today().year - 1, today().year):
        stats = _client("tinhuy").get(f"/screening/org/SH/exits/?year={year}").content.decode()
        totals += int(re.search(r'id="exits-total">(\d+)<', stats)[1])
    assert totals >= 1
