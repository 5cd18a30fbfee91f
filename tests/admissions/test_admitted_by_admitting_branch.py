"""Admissions count for the branch that admitted the member, not the one they are in today: a
member admitted in one organisation and transferred to another later stays in the first one's
figures (its quota was met by admitting them) on every page that shows them: the admissions
report, the survey of the pool, the quotas page and the grading of organisations."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from dangvien.admissions.candidates import selectors
from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets import services
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Member, Status
from dangvien.members.services import create_member, transfer_member, update_member
from dangvien.reports.admissions import admitted_between
from tests.assessments.workflow import table_rows
from tests.factories import MemberFactory
from tests.reports.commands import run_report

pytestmark = pytest.mark.django_db
YEAR = 2024
MOVED_ON = datetime.date(YEAR + 1, 6, 1)


def admitted_then_moved(world, admitted_in, admitted_on, moved_to) -> Member:
    """A member admitted into `admitted_in` (with the placement every writer of members
    creates), transferred to `moved_to` the next year by the administrator."""
    member = MemberFactory(
        branch=admitted_in, admitted_on=admitted_on, official_on=None, status=Status.PROBATIONARY
    )
    decision = Decision(effective_on=MOVED_ON, number="15-QĐ/ĐU", body="Đảng ủy tỉnh")
    return transfer_member(world.users[Role.ADMIN], member, moved_to, decision)


@pytest.fixture
def moved(world):
    """Admitted in 2024 in the officer's branch, now outside the officer's scope; and admitted
    in 2024 outside, now in the officer's other branch. Year quotas on the three branches."""
    out = admitted_then_moved(world, world.branch, datetime.date(YEAR, 3, 1), world.outside_branch)
    came_in = admitted_then_moved(
        world, world.outside_branch, datetime.date(YEAR, 4, 1), world.other_branch
    )
    assert (out.branch, came_in.branch) == (world.outside_branch, world.other_branch)
    admin = world.users[Role.ADMIN]
    services.set_target(admin, world.branch, quota=2, year=YEAR)
    services.set_target(admin, world.other_branch, quota=1, year=YEAR)
    services.set_target(admin, world.outside_branch, quota=3, year=YEAR)
    return world


def report(code: str) -> dict:
    status, out, err = run_report("admissions", "--org", code, "--year", str(YEAR))
    assert status == 0, err
    return json.loads(out)


def test_the_report_counts_them_under_the_admitting_organisation(moved):
    world = moved
    upper = report(world.upper.code)
    assert upper["admitted"] == 1
    assert [(child["org"], child["admitted"]) for child in upper["children"]] == [
        (world.base.code, 1)
    ]
    base = report(world.base.code)
    assert base["admitted"] == 1
    assert {child["org"]: child["admitted"] for child in base["children"]} == {
        world.branch.code: 1,
        world.other_branch.code: 0,
    }
    outside = report(world.outside_upper.code)
    assert outside["admitted"] == 1
    assert [(child["org"], child["admitted"]) for child in outside["children"]] == [
        (world.outside_base.code, 1)
    ]
    assert report(world.province.code)["admitted"] == 2


def test_the_survey_counts_them_under_the_admitting_branch(moved):
    world = moved
    survey = selectors.survey(world.users[Role.OFFICER], world.base, YEAR)
    assert [(row.code, row.admitted, row.quota) for row in survey.rows] == [
        (world.branch.code, 1, 2),
        (world.other_branch.code, 0, 1),
    ]
    assert (survey.total.admitted, survey.total.quota) == (1, 3)
    outside = selectors.survey(world.users[Role.ADMIN], world.outside_base, YEAR)
    assert [(row.code, row.admitted) for row in outside.rows] == [(world.outside_branch.code, 1)]
    # An organisation the user does not see counts nothing for them.
    hidden = selectors.survey(world.users[Role.OFFICER], world.outside_base, YEAR)
    assert hidden.total.admitted == 0


def quota_cells(html: str, org) -> list[str]:
    """The quota, admitted and percent cells of the year's quota of `org` on the quotas page."""
    target = AdmissionTarget.unscoped.get(organization=org, year=YEAR)
    start = html.index(f'id="target-{target.pk}"')
    row = html[start : html.index("</tr>", start)]
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    # The figure, not the bar beside it, nor the link to the admitted members' list.
    return [re.sub(r"<[^>]+>", "", cell.split("<br>")[0]) for cell in cells]


def test_the_quotas_page_counts_them_under_the_admitting_branch(moved):
    world = moved
    page = reverse("admissions:targets")
    html = world.client(Role.ADMIN).get(page, {"period": str(YEAR)}).content.decode()
    assert quota_cells(html, world.branch) == ["2", "1", "50%"]
    assert quota_cells(html, world.other_branch) == ["1", "0", "0%"]
    assert quota_cells(html, world.outside_branch) == ["3", "1", "33,33%"]
    # The officer's branch keeps the member who has left the officer's scope.
    html = world.client(Role.OFFICER).get(page, {"period": str(YEAR)}).content.decode()
    assert quota_cells(html, world.branch) == ["2", "1", "50%"]
    assert quota_cells(html, world.other_branch) == ["1", "0", "0%"]


def test_the_grading_of_organisations_counts_them_under_the_admitting_branch(moved):
    world = moved
    client = world.client(Role.OFFICER)

    def column(org) -> list[str]:
        page = client.get(reverse("assessments:orgs", args=[org.code, YEAR]))
        return [row[3] for row in table_rows(page, "org-grades")[1:]]

    assert column(world.base) == ["1/2 chỉ tiêu (50%)", "0/1 chỉ tiêu (0%)"]
    # The base has no quota of its own: the sum of its branches' (2 + 1).
    assert column(world.upper) == ["1/3 chỉ tiêu (33,33%)"]


def test_a_corrected_admission_date_keeps_the_member_counted(world):
    """Correcting the admission date moves the placement where admissions are counted."""
    officer = world.users[Role.OFFICER]
    member = create_member(
        officer,
        branch=world.branch,
        code="DV-SUA-NGAY",
        values={
            "full_name": "Đinh Văn Sửa",
            "gender": "Nam",
            "birth_date": datetime.date(1995, 5, 5),
            "admitted_on": datetime.date(2024, 3, 1),
        },
    )
    update_member(officer, member, {"admitted_on": datetime.date(2024, 2, 20)})
    counted = admitted_between(
        world.branch.path, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)
    )
    assert list(counted.values_list("pk", flat=True)) == [member.pk]
    assert member.events.get(kind="admitted").on == datetime.date(2024, 2, 20)
