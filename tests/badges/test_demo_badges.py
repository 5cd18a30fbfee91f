"""The demo's party badges: three given at the last ceremony, two proposed for the next one,
seen by the province officer on the badge page of the province."""

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from dangvien.badges.models import Badge, Stage
from dangvien.badges.planning import next_ceremony
from tests.transfers.steps import today


def test_the_demo_shows_badges_given_and_proposed(demo_data):
    officer = Client()
    assert officer.login(username="tinhuy", password=DEMO_PASSWORD)
    awarded = Badge.unscoped.filter(stage=Stage.AWARDED)
    proposed = Badge.unscoped.filter(stage=Stage.PROPOSED)
    assert (awarded.count(), proposed.count()) == (3, 2)
    ceremony = next_ceremony(today())
    page = officer.get(f"/badges/org/SH/?ceremony={ceremony:%Y-%m-%d}").content.decode()
    for badge in proposed.select_related("member"):
        assert badge.member.full_name in page
        assert badge.ceremony_planned == ceremony
    member = awarded.select_related("member").first().member
    record = officer.get(f"/members/{member.pk}/").content.decode()
    assert "Huy hiệu Đảng" in record and "Đã trao" in record
