"""A member's own study page: the documents their organisations study, whether their base
organisation held the study in time, their attendance and learning report, the document's file;
nothing of a plan of another organisation."""

import datetime

import pytest

from dangvien.core.attachments import Attachment
from dangvien.core.roles import Role
from dangvien.programmes import study
from dangvien.programmes.models import DocumentKind, SessionMode

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


def test_a_member_sees_the_study_of_their_organisation(world):
    document = study.record_document(
        None,
        kind=DocumentKind.RESOLUTION,
        number="57-NQ/TW",
        title="Về đột phá phát triển khoa học, công nghệ",
        issued_on=datetime.date(2024, 12, 22),
        issuing_body="Bộ Chính trị",
        attachment=Attachment("nq57.png", "image/png", PNG, "0" * 64),
    )
    plan = study.adopt_plan(None, world.upper, document, deadline=datetime.date(2025, 3, 31))
    other = study.adopt_plan(
        None, world.outside_upper, document, deadline=datetime.date(2025, 3, 31)
    )
    study.record_session(
        None,
        plan,
        world.base,
        study.Session(
            datetime.date(2025, 3, 1), SessionMode.IN_PERSON, attendees=(world.member.code,)
        ),
    )
    study.record_learning_report(
        None, plan, world.member, submitted_on=datetime.date(2025, 3, 10), text="Thu hoạch"
    )
    client = world.client(Role.MEMBER)
    page = client.get("/programmes/study/my/").content.decode()
    assert "57-NQ/TW" in page
    assert "đã học tập ngày 01/03/2025" in page
    assert "Đồng chí có tên trong danh sách dự học tập." in page
    assert "đã nộp ngày 10/03/2025" in page
    assert client.get(f"/programmes/study/my/{plan.pk}/document/").content == PNG
    assert client.get(f"/programmes/study/my/{other.pk}/document/").status_code == 404
    assert client.get(f"/programmes/study/{plan.pk}/").status_code == 404  # not a reader
