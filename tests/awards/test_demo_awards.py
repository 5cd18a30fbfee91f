"""The demo's awards: the province's award of a streak branch on its page and in the list, and
the ward's proposal built from five excellent years, waiting for its decision."""

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from dangvien.awards.models import Award, Proposal
from tests.transfers.steps import today


def test_the_demo_has_an_award_and_a_proposal(demo_data):
    province = Client()
    assert province.login(username="tinhuy", password=DEMO_PASSWORD)
    award = Award.unscoped.get(organization__code="SH.CQD.01.02")
    assert award.year_to == today().year - 1 and award.decided_on <= today()
    assert "tiêu biểu 5 năm liền" in province.get("/orgs/SH.CQD.01.02/").content.decode()
    assert f'id="award-{award.pk}"' in province.get("/awards/org/SH/").content.decode()

    proposal = Proposal.unscoped.get(organization__code="SH.HB")
    assert proposal.status == "de_nghi" and proposal.year == today().year - 1
    assert proposal.entries.filter(organization__code="SH.HB.01.01").exists()
    ward = Client()
    assert ward.login(username="hoabinh", password=DEMO_PASSWORD)
    page = ward.get(f"/awards/proposals/{proposal.pk}/").content.decode()
    assert "Ghi quyết định khen thưởng" in page
