"""The organisation's page of residence comments (its subtree's officers only) and the section
of the member's page, as each role sees them."""

import re

from django.utils import timezone

from dangvien.assessments.services import open_round
from dangvien.core.roles import Role
from dangvien.residence.models import Category, ResidenceLink
from tests.conftest import OUTSIDE_MARK
from tests.residence.worlds import YEAR, comment, introduce, school


def _without(response, world) -> str:
    """The page without what the user typed (the outside branch's code)."""
    return response.content.decode().replace(world.outside_branch.code, "")


def _figure(page: str, name: str) -> str:
    return re.search(rf'id="{name}">([^<]*)<', page)[1].strip()


def test_the_org_page_counts_the_subtree_and_lists_who_is_missing(world):
    school(world)
    officer = world.users[Role.OFFICER]
    introduce(officer, world.member)
    comment(officer, world.member)
    client = world.client(Role.OFFICER)
    page = client.get(f"/residence/org/{world.upper.code}/?year={YEAR}").content.decode()
    assert (_figure(page, "covered"), _figure(page, "missing")) == ("2", "1")
    assert _figure(page, "received") == "1 (50,0%)"
    assert 'id="missing-DV-TRONG-2"' in page and 'id="missing-DV-TRONG-1"' not in page
    org_page = client.get(f"/orgs/{world.upper.code}/").content.decode()
    assert f'href="/residence/org/{world.upper.code}/"' in org_page
    bad = client.get(f"/residence/org/{world.upper.code}/?year=1800")
    assert bad.status_code == 400 and "Năm 1800 không hợp lệ" in bad.content.decode()


def test_only_the_subtree_sees_the_org_page(world):
    school(world)
    secretary = world.client(Role.SECRETARY)  # the branch P.U1.01.01 only
    assert secretary.get(f"/residence/org/{world.branch.code}/").status_code == 200
    assert secretary.get(f"/residence/org/{world.base.code}/").status_code == 404
    officer = world.client(Role.OFFICER)
    assert officer.get(f"/residence/org/{world.outside_upper.code}/").status_code == 404
    member = world.client(Role.MEMBER)
    assert member.get(f"/residence/org/{world.branch.code}/").status_code == 404


def test_the_member_sees_their_own_comment_without_buttons(world):
    school(world)
    officer = world.users[Role.OFFICER]
    introduce(officer, world.member, letter_number="12-GGT/ĐU")
    comment(officer, world.member, content="Gương mẫu ở khu dân cư")
    page = world.client(Role.MEMBER).get(f"/members/{world.member.pk}/").content.decode()
    assert "Chi bộ Tổ dân phố 5" in page and "12-GGT/ĐU" in page
    assert "Gương mẫu ở khu dân cư" in page and "Hoàn thành tốt" in page
    assert "residence-comment-new" not in page and "/withdraw/" not in page
    officer_page = world.client(Role.OFFICER).get(f"/members/{world.member.pk}/").content.decode()
    assert 'id="residence-comment-new"' in officer_page


def test_the_page_warns_of_this_year_missing_comment(world):
    """Due before the year's review: last year's until its round is closed, this year's once
    its round is opened (issue 16 review)."""
    school(world)
    this_year = timezone.localdate().year
    url = f"/members/{world.member.pk}/"
    page = world.client(Role.SECRETARY).get(url).content.decode()
    assert f'id="residence-missing-{this_year - 1}"' in page
    assert f'id="residence-missing-{this_year}"' not in page
    open_round(world.users[Role.OFFICER], world.upper, this_year)
    page = world.client(Role.SECRETARY).get(url).content.decode()
    assert f'id="residence-missing-{this_year}"' in page
    introduce(world.users[Role.OFFICER], world.member, Category.NO_YEARLY_COMMENT)
    page = world.client(Role.SECRETARY).get(f"/members/{world.member.pk}/").content.decode()
    assert 'id="residence-missing-' not in page


def test_introducing_again_ends_the_link_in_force(world):
    client = world.client(Role.OFFICER)
    url = f"/residence/member/{world.member.pk}/link/"
    form = {"category": Category.REQUIRED, "introduced_on": "01/03/2020"}
    # A branch outside the officer's scope is not looked up by its code: no oracle of its name.
    response = client.post(url, {**form, "residence_code": world.outside_branch.code})
    assert response.status_code == 400 and OUTSIDE_MARK not in _without(response, world)
    response = client.post(url, {**form, "outside_name": "Chi bộ Thôn 3"})
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "category": Category.NO_YEARLY_COMMENT,
            "introduced_on": "01/09/2024",
            "outside_name": "Chi bộ Thôn 3",
        },
    )
    assert response.status_code == 400 and "Ghi lý do miễn" in response.content.decode()
    response = client.post(
        url,
        {
            "category": Category.NO_YEARLY_COMMENT,
            "introduced_on": "01/09/2024",
            "residence_code": world.other_branch.code,
            "reason": "Đi học tập trung",
        },
    )
    assert response.status_code == 302
    old, new = ResidenceLink.unscoped.filter(member=world.member).order_by("introduced_on")
    assert (str(old.ended_on), old.outside_name) == ("2024-09-01", "Chi bộ Thôn 3")
    assert new.ended_on is None and new.residence_org == world.other_branch
