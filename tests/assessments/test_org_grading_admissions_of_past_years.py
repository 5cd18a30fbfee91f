"""The grading of organisations counts the members admitted in a year over where the admitting
branch stood on that year's 31/12, and the quotas set there then (issue 13): grading 2025 after
a branch moved to another base organisation in 2026 still credits the base organisation it stood
in, whatever the tree is today; this year's admissions follow today's tree."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import move_organization
from tests.assessments.workflow import table_rows
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, fresh
from tests.reports.test_admissions_report import admit, target

pytestmark = pytest.mark.django_db
YEAR = 2025
AFTER_THE_YEAR = datetime.date(2026, 2, 1)


@pytest.fixture
def graded(world):
    """2025: 3 admitted in the branch, 2 in the other branch, quotas of 4 and 3 on them (none
    on the base organisation); a second base organisation under the same upper committee."""
    world.second = OrganizationFactory(
        code="P.U1.02",
        name="Đảng bộ Trường Mầm non",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
    )
    admit(world.branch, 3, datetime.date(YEAR, 3, 1))
    admit(world.other_branch, 2, datetime.date(YEAR, 5, 1))
    target(world, world.branch, 4, year=YEAR)
    target(world, world.other_branch, 3, year=YEAR)
    return world


def move(world, org, new_parent, day: datetime.date) -> None:
    decision = Decision(day, "7-QĐ/ĐU", body="Đảng ủy phường")
    move_organization(world.users[Role.ADMIN], fresh(org), fresh(new_parent), decision)
    assert_history_holds()


def admissions(client, org, year: int = YEAR) -> dict[str, str]:
    """The admissions column of the grading page of `org`'s children: name and code → text."""
    response = client.get(reverse("assessments:orgs", args=[org.code, year]))
    assert response.status_code == 200
    return {row[0]: row[3] for row in table_rows(response, "org-grades")[1:]}


BASE, SECOND = "Đảng bộ Trường Tiểu học Hòa Bình P.U1.01", "Đảng bộ Trường Mầm non P.U1.02"
BRANCH, OTHER = "Chi bộ Tổ Toán P.U1.01.01", "Chi bộ Tổ Văn P.U1.01.02"


def test_grading_2025_after_a_move_in_2026_credits_where_the_branch_stood(graded):
    world = graded
    client = world.client(Role.OFFICER)
    before = {BASE: "5/7 chỉ tiêu (71,43%)", SECOND: "0 · chưa có chỉ tiêu"}
    assert admissions(client, world.upper) == before

    move(world, world.other_branch, world.second, AFTER_THE_YEAR)

    assert admissions(client, world.upper) == before
    # Each child today is graded on its own admissions of 2025, wherever it stood then.
    assert admissions(client, world.base) == {BRANCH: "3/4 chỉ tiêu (75%)"}
    assert admissions(client, world.second) == {OTHER: "2/3 chỉ tiêu (66,67%)"}


def test_a_branch_moved_within_the_year_counts_where_it_stood_at_its_end(graded):
    """Moved to the second base organisation on 01/07/2025 and back on 01/02/2026: its 2025
    admissions (made before the first move) count for the second, where it stood on 31/12/2025,
    neither where it admitted them nor where it is today."""
    world = graded
    client = world.client(Role.OFFICER)
    move(world, world.other_branch, world.second, datetime.date(YEAR, 7, 1))
    move(world, world.other_branch, world.base, AFTER_THE_YEAR)
    assert admissions(client, world.upper) == {
        BASE: "3/4 chỉ tiêu (75%)",
        SECOND: "2/3 chỉ tiêu (66,67%)",
    }


def test_this_years_admissions_follow_todays_tree(graded):
    world = graded
    client = world.client(Role.OFFICER)
    this_year = timezone.localdate().year
    admit(world.other_branch, 2, datetime.date(this_year, 1, 1))
    move(world, world.other_branch, world.second, timezone.localdate())
    assert admissions(client, world.upper, this_year) == {
        BASE: "0 · chưa có chỉ tiêu",
        SECOND: "2 · chưa có chỉ tiêu",
    }


def test_a_past_year_is_counted_by_the_same_queries_whatever_the_number_of_children(graded):
    world = graded
    move(world, world.other_branch, world.second, AFTER_THE_YEAR)
    client = world.client(Role.OFFICER)
    admissions(client, world.upper)  # the session's first-request work
    with CaptureQueriesContext(connection) as before:
        admissions(client, world.upper)
    for number in range(3, 7):
        unit = OrganizationFactory(
            code=f"P.U1.0{number}",
            name=f"Chi bộ Khu phố {number}",
            kind=OrgKind.BASE_BRANCH,
            parent=world.upper,
        )
        admit(unit, number, datetime.date(YEAR, 4, number))
        target(world, unit, number * 2, year=YEAR)
    with CaptureQueriesContext(connection) as after:
        figures = admissions(client, world.upper)
    assert len(after) == len(before)
    assert figures[BASE] == "5/7 chỉ tiêu (71,43%)"
    assert figures["Chi bộ Khu phố 6 P.U1.06"] == "6/12 chỉ tiêu (50%)"
