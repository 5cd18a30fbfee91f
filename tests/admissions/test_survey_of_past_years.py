"""The survey of the pool reads a past year in the tree as it stood on its 31/12 (issue 13): after
a base organisation moved to another upper committee in 2025, its old parent's survey of 2016
keeps the members admitted below it in 2016 and the quotas set below it then, the new parent's
does not gain them, and every count of the survey opens a list of admitted members of as many
(the list is read the same way). The units listed are today's; this year follows today's tree."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import move_organization
from tests.admissions.test_counts_link_to_lists import links, listed
from tests.admissions.test_quotas_of_past_years import province_officer
from tests.conftest import OUTSIDE_MARK
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, fresh
from tests.reports.test_admissions_report import admit, admit_in_2016, target

pytestmark = pytest.mark.django_db
PAGE = "/admissions/survey/"
MOVED_ON = datetime.date(2025, 7, 1)


@pytest.fixture
def admitted(world):
    """2016: 3 + 2 admitted in the base organisation's branches, 1 in a branch of it that ended
    on 01/09/2016, 4 in the outside branch; 2016 quotas on the base organisation (6) and the
    outside upper committee (5), none on the old parent. This year: 2 admitted in the branch."""
    admit_in_2016(world)
    admit(world.branch, 2, datetime.date(timezone.localdate().year, 1, 1))
    target(world, world.base, 6, year=2016)
    target(world, world.outside_upper, 5, year=2016)
    return world


def move(world, org, new_parent, day: datetime.date = MOVED_ON) -> None:
    """`org` moves with everything below it under `new_parent`, on a decision dated `day`."""
    decision = Decision(day, "12-QĐ/TU", body="Tỉnh ủy")
    move_organization(world.users[Role.ADMIN], fresh(org), fresh(new_parent), decision)
    assert_history_holds()


def survey(client, org, year=None) -> dict[str, tuple[int, int | None]]:
    """The survey's admitted and quota per unit code (the total under "total"), from the page."""
    params = {"org": org.code, **({"year": str(year)} if year else {})}
    response = client.get(PAGE, params)
    assert response.status_code == 200
    found = response.context["survey"]
    figures = {row.code: (row.admitted, row.quota) for row in found.rows}
    return {**figures, "total": (found.total.admitted, found.total.quota)}


def admitted_links(client, org, year) -> list[tuple[str, int]]:
    """(href, count) of every count of admitted members on the page (the totals and each row)."""
    html = client.get(PAGE, {"org": org.code, "year": str(year)}).content.decode()
    pairs = links(html, "survey-totals") + links(html, "survey")
    return [
        (href, int(figure)) for href, figure in pairs if href.startswith("/admissions/admitted/")
    ]


def assert_each_count_is_its_list(client, org, year) -> None:
    found = admitted_links(client, org, year)
    assert found, "the survey links its admitted counts to their list"
    for href, count in found:
        assert f"year={year}" in href
        response = client.get(href)
        assert response.context["total"] == count, href
        assert listed(client, href) == count, href  # the province officer sees every one


def test_the_old_parents_2016_survey_keeps_its_count_after_the_move(admitted):
    world = admitted
    client = province_officer(world)
    base, old, new = world.base.code, world.upper, world.outside_upper
    outside_base = world.outside_base.code
    assert survey(client, old, 2016) == {base: (6, 6), "total": (6, 6)}
    assert survey(client, new, 2016) == {outside_base: (4, None), "total": (4, 5)}

    move(world, world.base, world.outside_upper)

    # The base organisation is no longer listed under its old parent (today's tree), but the
    # old parent's 2016 admissions and quota stay; the new parent's total gains nothing.
    assert survey(client, old, 2016) == {"total": (6, 6)}
    assert survey(client, new, 2016) == {base: (6, 6), outside_base: (4, None), "total": (4, 5)}
    assert_each_count_is_its_list(client, old, 2016)
    assert_each_count_is_its_list(client, new, 2016)
    page = client.get(PAGE, {"org": old.code, "year": "2016"}).content.decode()
    assert "tính theo cây tổ chức vào ngày 31/12/2016" in page
    assert f'<a href="?org={world.province.code}&amp;year=2016">' in page  # the breadcrumb


def test_a_branch_moved_between_units_stays_in_the_unit_it_stood_in_then(admitted):
    """The rows too: the other branch moved to a second base organisation in 2025 (after the
    year) still counts for the first in 2016, and the second has none of its 2016 admissions."""
    world = admitted
    second = OrganizationFactory(
        code="P.U1.02",
        name="Đảng bộ Trường Mầm non",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
    )
    target(world, world.other_branch, 2, year=2016)
    client = province_officer(world)
    before = survey(client, world.upper, 2016)
    assert before == {world.base.code: (6, 6), second.code: (0, None), "total": (6, 6)}
    assert survey(client, world.base, 2016)[world.other_branch.code] == (2, 2)

    move(world, world.other_branch, second)

    assert survey(client, world.upper, 2016) == before
    after = survey(client, second, 2016)
    assert after == {world.other_branch.code: (2, 2), "total": (0, None)}
    assert world.other_branch.code not in survey(client, world.base, 2016)
    assert survey(client, world.base, 2016)["total"] == (6, 6)
    assert_each_count_is_its_list(client, world.upper, 2016)
    assert_each_count_is_its_list(client, second, 2016)


def test_this_years_survey_follows_todays_tree(admitted):
    world = admitted
    client = province_officer(world)
    year = timezone.localdate().year
    assert survey(client, world.upper)["total"] == (2, None)
    move(world, world.base, world.outside_upper)
    assert survey(client, world.upper)["total"] == (0, None)
    assert survey(client, world.outside_upper, year)["total"] == (2, None)
    page = client.get(PAGE, {"org": world.upper.code}).content.decode()
    assert "tính theo cây tổ chức vào ngày" not in page


def test_the_past_survey_is_counted_by_a_few_queries_whatever_the_number_of_units(admitted):
    world = admitted
    move(world, world.base, world.outside_upper)
    client = province_officer(world)
    client.get(PAGE, {"org": world.outside_upper.code})  # the session's first-request work
    with CaptureQueriesContext(connection) as before:
        figures = survey(client, world.outside_upper, 2016)
    assert figures["total"] == (4, 5)
    for number in range(2, 7):
        unit = OrganizationFactory(
            code=f"P.{OUTSIDE_MARK}.0{number}",
            name=f"Đảng bộ cơ sở số {number}",
            kind=OrgKind.BASE_COMMITTEE,
            parent=world.outside_upper,
        )
        branch = OrganizationFactory(
            code=f"{unit.code}.01", name=f"Chi bộ số {number}", kind=OrgKind.SUB_BRANCH, parent=unit
        )
        admit(branch, number, datetime.date(2016, 2, number))
        target(world, unit, number, year=2016)
    with CaptureQueriesContext(connection) as after:
        figures = survey(client, world.outside_upper, 2016)
    assert len(after) == len(before)
    assert figures["total"] == (4 + sum(range(2, 7)), 5)
    assert figures[f"P.{OUTSIDE_MARK}.06"] == (6, 6)


def test_a_year_that_is_not_one_is_refused(world):
    client = world.client(Role.OFFICER)
    response = client.get(PAGE, {"org": world.base.code, "year": "hai nghìn"})
    assert response.status_code == 400
    assert "Năm: “hai nghìn” không phải là một số." in response.content.decode()
    assert client.get(PAGE, {"org": world.base.code, "year": "1800"}).status_code == 400
