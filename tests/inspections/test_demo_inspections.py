"""The demo's inspection work: the ward's officer finds its programme, an activity done against
it, one overdue, a letter; only the inspection-committee officer finds the denunciation."""

import re

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from tests.transfers.steps import ONE_DAY, today


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_ward_finds_its_inspection_work_and_only_its_committee_the_denunciation(demo_data):
    ward = _client("hoabinh")
    activities = ward.get("/inspections/org/SH.HB/").content.decode()
    assert "03-QĐ/UBKT" in activities and "05-KH/ĐU" in activities
    assert "05-KH/ĐU" in ward.get("/inspections/org/SH.HB/?overdue=1").content.decode()
    # The programme of the year the demo's work began in (120 days before the demo's day).
    year = (today() - ONE_DAY * 120).year
    programme = ward.get(f"/inspections/org/SH.HB/programmes/?year={year}").content.decode()
    assert "Kế hoạch 3 nội dung, đã thực hiện 1." in programme
    assert (
        "Lịch sinh hoạt chi bộ khu phố"
        in ward.get("/inspections/petitions/org/SH.HB/").content.decode()
    )
    assert ward.get("/inspections/denunciations/org/SH.HB/").status_code == 404

    committee = _client("ubkt")
    register = committee.get("/inspections/denunciations/org/SH.HB/").content.decode()
    assert "Đã tiếp nhận, đang giải quyết" in register
    letter = re.search(r'id="denunciation-(\d+)"', register)[1]
    assert (
        "Nguyễn Văn Tố" in committee.get(f"/inspections/denunciations/{letter}/").content.decode()
    )
    report = ward.get("/reports/inspection/?org=SH.HB").content.decode()
    assert "Báo cáo kiểm tra, giám sát và kỷ luật năm" in report
