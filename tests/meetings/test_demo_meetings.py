"""The demo's branch life: the secretary finds a year of meetings of their branch, the member
next month's meeting with its document and their task, the ward's officer the branch that fell
short and the member absent three months of last year."""

import re

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from tests.transfers.steps import today


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_demo_shows_branch_life_to_each_role(demo_data):
    secretary = _client("bithu")
    year = today().year
    meetings = secretary.get(f"/meetings/org/SH.HB.01.01/?year={year - 1}").content.decode()
    assert "Sinh hoạt định kỳ" in meetings and "Đã họp, biên bản đã thông qua" in meetings

    member = _client("dangvien")
    mine = member.get("/meetings/my/").content.decode()
    upcoming = re.search(r'href="/meetings/my/(\d+)/"', mine)
    assert upcoming is not None and "Nhà văn hóa khu phố" in mine
    assert "Vận động nhân dân tham gia vệ sinh môi trường khu phố" in mine
    page = member.get(f"/meetings/my/{upcoming[1]}/").content.decode()
    document = re.search(r'href="(/meetings/documents/\d+/)"', page)[1]
    download = member.get(document)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")

    ward = _client("hoabinh")
    compliance = ward.get(f"/meetings/compliance/SH.HB/?year={year - 1}").content.decode()
    assert 'id="branch-SH.HB.01.02"' in compliance  # no thematic meeting all year
    assert 'id="branch-SH.HB.01.01"' not in compliance
    assert re.search(r'id="flag-[^"]+"', compliance) is not None
