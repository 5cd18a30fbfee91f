"""The admission quota counts in the yearly grading of organisations: the upper level sees, for
each child organisation, its quota of the year against the members admitted below it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvien.admissions.targets import services
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.organizations.models import OrgKind
from tests.assessments.workflow import table_rows
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
YEAR = 2024


def _admit(branch, *days: datetime.date) -> None:
    for day in days:
        MemberFactory(branch=branch, admitted_on=day, official_on=None, status=Status.PROBATIONARY)


def _page(client, org):
    return client.get(reverse("assessments:orgs", args=[org.code, YEAR]))


def test_each_child_shows_its_quota_admitted_and_percent(world):
    officer = world.users[Role.OFFICER]
    services.set_target(officer, world.branch, quota=4, year=YEAR)
    services.set_target(officer, world.other_branch, quota=0, year=YEAR)
    services.set_target(officer, world.branch, quota=9, term=(2020, 2025))  # not the year's
    _admit(world.branch, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    _admit(world.branch, datetime.date(YEAR, 6, 1), datetime.date(YEAR + 1, 1, 1))
    _admit(world.other_branch, datetime.date(YEAR - 1, 12, 31))

    rows = table_rows(_page(world.client(Role.OFFICER), world.base), "org-grades")
    assert rows[0][3] == f"Kết nạp đảng viên năm {YEAR}"
    assert [row[3] for row in rows[1:]] == ["3/4 chỉ tiêu (75%)", "0/0 chỉ tiêu"]

    # The base has no quota of its own: it takes the sum of its branches' (4 + 0), as the
    # survey and the admissions report do.
    rows = table_rows(_page(world.client(Role.OFFICER), world.upper), "org-grades")
    assert [row[3] for row in rows[1:]] == ["3/4 chỉ tiêu (75%)"]


def test_the_figures_are_counted_in_one_query_whatever_the_number_of_children(world):
    client = world.client(Role.OFFICER)
    services.set_target(world.users[Role.OFFICER], world.branch, quota=4, year=YEAR)
    _page(
        client, world.base
    )  # a first request does the session's once-a-minute work (last seen, menu)
    with CaptureQueriesContext(connection) as before:
        _page(client, world.base)
    for number in range(3, 6):
        branch = OrganizationFactory(
            code=f"P.U1.01.0{number}", name=f"Chi bộ {number}", kind=OrgKind.SUB_BRANCH,
            parent=world.base,
        )  # fmt: skip
        services.set_target(world.users[Role.OFFICER], branch, quota=number, year=YEAR)
        _admit(branch, datetime.date(YEAR, 3, number))
    with CaptureQueriesContext(connection) as after:
        rows = table_rows(_page(client, world.base), "org-grades")
    assert len(after) == len(before)
    figures = {row[0]: row[3] for row in rows[1:]}
    assert figures == {
        "Chi bộ 3 P.U1.01.03": "1/3 chỉ tiêu (33,33%)",
        "Chi bộ 4 P.U1.01.04": "1/4 chỉ tiêu (25%)",
        "Chi bộ 5 P.U1.01.05": "1/5 chỉ tiêu (20%)",
        "Chi bộ Tổ Toán P.U1.01.01": "0/4 chỉ tiêu (0%)",
        "Chi bộ Tổ Văn P.U1.01.02": "0 · chưa có chỉ tiêu",
    }
