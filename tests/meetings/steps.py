"""What the branch-life tests do through the pages: prepare a meeting, call the roll."""

import datetime
import re

from dangvien.meetings.models import Meeting
from tests.transfers.steps import ddmmyyyy


def prepare(client, org_code: str, on: datetime.date, **fields):
    data = {
        "version": "",
        "body": "dang_vien",
        "kind": "dinh_ky",
        "on": ddmmyyyy(on),
        "starts_at": "14:00",
        "place": "Hội trường nhà văn hóa",
        "topic": "Sinh hoạt định kỳ tháng",
        "agenda": "Điểm danh\nBáo cáo tháng\nPhân công nhiệm vụ",
        "chair": "",
        "minutes_writer": "",
    }
    data.update(fields)
    return client.post(f"/meetings/org/{org_code}/new/", data)


def version(client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="version" value="([^"]*)"', page)[1]


def call_roll(client, meeting: Meeting, marks: dict, **extra):
    """POST the roll call page: member → status, or (status, reason)."""
    page = client.get(f"/meetings/{meeting.pk}/attendance/").content.decode()
    data = dict(extra)
    for member, mark in marks.items():
        status, reason = mark if isinstance(mark, tuple) else (mark, "")
        data[f"status-{member.pk}"] = status
        data[f"reason-{member.pk}"] = reason
        for name in (f"shown-{member.pk}", f"shown-reason-{member.pk}"):
            data[name] = re.search(rf'name="{name}" value="([^"]*)"', page)[1]
    return client.post(f"/meetings/{meeting.pk}/attendance/", data)
