"""A grade recorded in a branch that ended within its year (giải thể in September) counts in
that year's quality report where the branch last stood, before and after a later move in the
tree: the report read from today's copies and the one read from the year-end tree agree."""

import datetime

import pytest
from django.core.management import call_command

from dangvien.assessments.models import OrgAssessment
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import dissolve_organization, move_organization
from dangvien.reports.quality import quality_report
from tests.factories import OrganizationFactory
from tests.reports.worlds import grade

pytestmark = pytest.mark.django_db


def figures(org, year: int = 2024) -> tuple:
    report = quality_report(org, year)
    children = {child.code: child.counts.grades for child in report.children}
    return report.counts.grades, children, report.organizations.grades, report


def test_the_grade_of_a_branch_ended_in_the_year_stays_where_it_last_stood(world):
    admin = world.users[Role.ADMIN]
    ended = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Sử", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    grade(world.other_member, 2024, "xuat_sac", branch=ended)
    grade(world.member, 2024, "tot")
    for org, value in ((world.base, "tot"), (world.outside_base, "xuat_sac")):
        OrgAssessment.unscoped.create(organization=org, org_path=org.path, year=2024, grade=value)
    dissolve_organization(
        admin, ended, Decision(datetime.date(2024, 9, 1), "9-QĐ/ĐU", "", "Sáp xếp tổ")
    )
    call_command("recount", "--all", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = {org.code: figures(org) for org in (world.base, world.province)}
    assert before[world.base.code][0]["xuat_sac"] == 1
    assert before[world.province.code][2] == {
        "xuat_sac": 1,
        "tot": 1,
        "hoan_thanh": 0,
        "khong_hoan_thanh": 0,
    }

    # Later moves below the base committee and of a base committee: the 2024 reports now
    # read the year-end tree.
    move_organization(
        admin,
        world.branch,
        world.outside_base,
        Decision(datetime.date(2025, 7, 1), "12-QĐ/TU", "", "Sắp xếp"),
    )
    move_organization(
        admin,
        world.outside_base,
        world.upper,
        Decision(datetime.date(2025, 7, 1), "13-QĐ/TU", "", "Sắp xếp"),
    )
    call_command("recount", "--all", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {org.code: figures(org) for org in (world.base, world.province)} == before
