"""The demo's residence contact: the member account sees last year's comment on their own
record, the secretary of the school branch last year's figures and the member still missing."""

import re

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from tests.transfers.steps import today


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_demo_shows_residence_comments(demo_data):
    last = today().year - 1
    member = _client("dangvien")
    page = member.get("/members/me/", follow=True).content.decode()
    section = page.split('id="residence"')[1].split("</section>")[0]
    assert "Chi bộ Thôn Đồng Tâm" in section and "Gương mẫu, gần gũi nhân dân." in section
    assert f"<td>{last}</td>" in section

    secretary = _client("bithu")
    page = secretary.get(f"/residence/org/SH.HB.01.01/?year={last}").content.decode()
    figures = {
        name: re.search(rf'id="{name}">([^<]*)<', page)[1].strip()
        for name in ("covered", "received", "missing")
    }
    assert figures["received"].startswith("3 ") and figures["missing"] != "0"
    assert "Cổng Dịch vụ công quốc gia</dt><dd>1</dd>" in page
    assert "Giới thiệu, miễn nhận xét định kỳ</dt><dd>1</dd>" in page
    assert re.search(r'id="missing-SH\d{6}"', page) is not None
