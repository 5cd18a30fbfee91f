"""Organisations graded excellent N years in a row (the streak that earns an award)."""

import pytest

from dangvien.assessments.streaks import streaks_below
from dangvien.core.roles import Role
from dangvien.core.scope import scope_of
from tests.assessments.history_data import grade_org
from tests.conftest import OUTSIDE_MARK


@pytest.fixture
def streaks(world):
    grade_org(world.branch, range(2017, 2022))  # 5 years: 2017–2021
    grade_org(world.other_branch, range(2018, 2022))  # 4 years only
    grade_org(world.other_branch, [2017], "tot")
    grade_org(world.base, range(2015, 2022))  # 7 years
    grade_org(world.upper, [2017, 2018, 2020, 2021])  # a gap in 2019
    grade_org(world.upper, [2019], "hoan_thanh")
    grade_org(world.outside_branch, range(2017, 2022))
    return world


def _rows(page: str) -> list[str]:
    table = page[page.index('id="streaks"') : page.index("</table>")]
    return [row.split("</tr>")[0] for row in table.split("<tr")[2:]]


def test_officer_sees_exactly_the_organisations_excellent_five_years_running(streaks):
    page = streaks.client(Role.OFFICER).get("/assessments/streaks/?years=5&until=2021")
    assert page.status_code == 200
    rows = _rows(page.content.decode())
    assert len(rows) == 2
    assert streaks.base.name in rows[0] and "2015–2021" in rows[0] and "7 năm" in rows[0]
    assert streaks.branch.name in rows[1] and "2017–2021" in rows[1] and "5 năm" in rows[1]
    assert OUTSIDE_MARK not in page.content.decode()


def test_four_years_running_adds_the_branch_that_missed_the_first_year(streaks):
    page = streaks.client(Role.INSPECTOR).get("/assessments/streaks/?years=4&until=2021")
    names = " ".join(_rows(page.content.decode()))
    assert streaks.other_branch.name in names and "2018–2021" in names
    assert f">{streaks.upper.name}</a>" not in names  # only as the base's parent


def test_the_streak_must_end_in_the_year_asked(streaks):
    page = streaks.client(Role.OFFICER).get(
        f"/assessments/streaks/?org={streaks.base.code}&years=5&until=2022"
    )
    assert "Không có tổ chức nào được xếp loại xuất sắc 5 năm liền (2018–2022)" in (
        page.content.decode()
    )


def test_a_subtree_shows_only_its_own_organisations(streaks):
    page = streaks.client(Role.OFFICER).get(
        f"/assessments/streaks/?org={streaks.branch.code}&until=2021"
    )
    rows = _rows(page.content.decode())
    assert len(rows) == 1 and streaks.branch.name in rows[0]


def test_the_secretary_sees_their_own_branch(streaks):
    page = streaks.client(Role.SECRETARY).get("/assessments/streaks/?until=2021")
    rows = _rows(page.content.decode())
    assert len(rows) == 1 and streaks.branch.name in rows[0]


def test_the_administrator_sees_the_whole_province(streaks):
    page = streaks.client(Role.ADMIN).get(
        f"/assessments/streaks/?org={streaks.province.code}&until=2021"
    )
    assert len(_rows(page.content.decode())) == 3


def test_a_wrong_number_of_years_is_explained_and_the_default_used(streaks):
    page = streaks.client(Role.OFFICER).get("/assessments/streaks/?years=abc&until=2021")
    text = page.content.decode()
    assert "Số năm liền phải là số từ 2 đến 30." in text
    assert len(_rows(text)) == 2


def test_an_organisation_outside_the_scope_is_not_found(streaks):
    client = streaks.client(Role.OFFICER)
    response = client.get(f"/assessments/streaks/?org={streaks.outside_upper.code}&until=2021")
    assert response.status_code == 404


def test_a_member_account_is_refused(streaks):
    assert streaks.client(Role.MEMBER).get("/assessments/streaks/").status_code == 403


def test_the_streaks_take_four_queries_whatever_the_number_of_organisations(
    streaks, django_assert_num_queries
):
    """The organisations excellent over the window, the successor links (one level here),
    the grades of those found, the organisations."""
    officer = streaks.users[Role.OFFICER]
    scope_of(officer)  # the scope is read once per request
    with django_assert_num_queries(4):
        found = streaks_below(officer, streaks.upper, 2021, 5)
    assert [s.organization.code for s in found] == [streaks.base.code, streaks.branch.code]
