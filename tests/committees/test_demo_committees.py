"""The demo's committees: the ward's officer finds the school branch's secretary and the late
congress of its sibling, and every demo committee holds to the rules the services enforce."""

from django.test import Client

from dangvien.accounts.demo import DEMO_PASSWORD
from dangvien.committees import selectors
from dangvien.committees.models import Post, Seat, Term
from dangvien.committees.services import official_count
from dangvien.core.rules import RuleBook
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.reports.membership import members_on
from tests.transfers.steps import today


def test_the_demo_has_a_committee_for_its_organisations(demo_data):
    ward = Client()
    assert ward.login(username="hoabinh", password=DEMO_PASSWORD)
    page = ward.get("/committees/org/SH.HB.01.01/").content.decode()
    assert "hiện tại" in page and "Bí thư" in page and "Phó bí thư" in page
    late = ward.get("/committees/org/SH.HB/congresses/?overdue=1").content.decode()
    branch = Organization.unscoped.get(code="SH.HB.01.02")
    assert f'id="org-{branch.pk}"' in late and "quá hạn" in late

    terms = list(Term.unscoped.select_related("organization"))
    assert 8 <= len(terms) <= 15 and 20 <= Seat.unscoped.count() <= 60
    heads = selectors.heads_on([t.organization_id for t in terms], today())
    assert set(heads) == {t.organization_id for t in terms}
    minimum = RuleBook.load().value("branch_committee_min_official_members", today())
    for term in terms:
        org = term.organization
        seats = list(term.seats.all())
        members = members_on(org, term.congress_on, from_placements=True)
        assert members.filter(pk__in=[s.member_id for s in seats]).count() == len(seats)
        assert sum(s.post == Post.SECRETARY for s in seats) == 1
        if org.kind in BRANCH_KINDS and official_count(org, term.congress_on) < minimum:
            assert {s.post for s in seats} <= {Post.SECRETARY, Post.DEPUTY_SECRETARY}
