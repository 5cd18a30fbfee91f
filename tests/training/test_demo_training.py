"""The demo's training: the member account sees last year's political theory class and its
certificate on their summary page, the ward's officer the courses of the ward, and a
probationary member's new-member class certificate in the recognition checklist."""

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from dangvien.core.scope import unscoped
from dangvien.members.models import Member, Status
from dangvien.training.models import Participant
from tests.transfers.steps import today


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_demo_shows_the_classes(demo_data):
    last = today().year - 1
    page = _client("dangvien").get("/me/summary/").content.decode()
    section = page.split('id="my-training"')[1].split("</section>")[0]
    assert f"Lớp sơ cấp lý luận chính trị khóa I-{last}" in section
    assert f"/SC-{last}" in section

    officer = _client("tinhuy")
    page = officer.get("/training/org/SH.HB/").content.decode()
    assert f"Lớp sơ cấp lý luận chính trị khóa I-{last}" in page
    with unscoped():
        certified = (
            Participant.unscoped.filter(
                member__status=Status.PROBATIONARY, course__kind="dang_vien_moi"
            )
            .select_related("member")
            .first()
        )
        recognised = Participant.unscoped.filter(
            member__status=Status.OFFICIAL, course__kind="dang_vien_moi"
        )
        assert recognised.exists()  # given before the admissions demo's recognitions
        assert Member.unscoped.filter(status=Status.PROBATIONARY).exists()
    if certified is not None:
        page = officer.get(f"/admissions/probation/{certified.member_id}/").content.decode()
        assert certified.certificate_number in page
