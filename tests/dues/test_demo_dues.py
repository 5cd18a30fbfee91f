"""The demo's dues: the treasurer opens this month's sheet of the school branch, one member is
flagged under art. 8, the member account sees their months, the province its report."""

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from tests.transfers.steps import today


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_demo_shows_dues(demo_data):
    day = today()
    treasurer = _client("thuquy")
    page = treasurer.get("/dues/", follow=True).content.decode()
    assert f"Sổ thu đảng phí tháng {day:%m/%Y}" in page
    assert 'class="dues-collect"' in page and "Đã nộp" in page  # half paid this month
    flagged_year = day.year if day.month >= 4 else day.year - 1
    report = _client("tinhuy").get(f"/dues/report/SH/?year={flagged_year}").content.decode()
    assert 'id="flag-' in report
    assert 'id="unit-total"' in report
    member = _client("dangvien").get(f"/dues/my/?year={day.year}").content.decode()
    assert "Hưởng lương, đóng BHXH bắt buộc" in member
