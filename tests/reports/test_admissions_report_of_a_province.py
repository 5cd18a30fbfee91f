"""The admissions report of a province and of the whole Party, whose grouped count is planned
with hashes on PostgreSQL (reports/admissions_figures.py, `_planned_for_many`): the same figures
as the report of each organisation below, and the plan of the rest of a transaction unchanged."""

import datetime

import pytest
from django.db import connection, transaction

from dangvien.core.scope import unscoped
from dangvien.members.models import Gender
from dangvien.organizations.models import Organization, whole_party
from dangvien.reports.admissions import admissions_report
from tests.reports.test_admissions_report import admit, report

pytestmark = pytest.mark.django_db


def admit_in_the_term(world) -> None:
    admit(world.branch, 3, datetime.date(2021, 3, 1), qualification="Thạc sĩ")
    admit(world.other_branch, 2, datetime.date(2023, 5, 1), gender=Gender.FEMALE)
    admit(world.outside_branch, 4, datetime.date(2024, 6, 1), ethnicity="Tày")
    admit(world.outside_branch, 1, datetime.date(2019, 6, 1))  # before the term


def test_a_province_counts_each_upper_committee_as_its_own_report_does(world):
    admit_in_the_term(world)
    province = report("--org", "P", "--from", "2020", "--to", "2025")
    by_child = {child["org"]: child["admitted"] for child in province["children"]}
    assert province["admitted"] == 9
    for code, admitted in by_child.items():
        assert report("--org", code, "--from", "2020", "--to", "2025")["admitted"] == admitted
    assert sorted(by_child.values()) == [4, 5]
    assert province["breakdown"]["gioi_tinh"] == {"Nam": 7, "Nữ": 2}
    assert province["breakdown"]["dan_toc"] == {"Kinh": 5, "Tày": 4}
    assert province["breakdown"]["chuyen_mon"]["Thạc sĩ"] == 3


def test_the_whole_party_counts_the_province(world):
    admit_in_the_term(world)
    country = report("--org", "*", "--from", "2020", "--to", "2025")
    assert country["admitted"] == 9
    assert [child["admitted"] for child in country["children"]] == [9]
    assert report("--org", "*", "--year", "2019")["admitted"] == 1


@pytest.mark.postgres
def test_the_plan_of_the_rest_of_a_transaction_is_left_as_it_was(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (runs in CI's PostgreSQL pass)")
    admit_in_the_term(world)
    with transaction.atomic(), unscoped(), connection.cursor() as cursor:
        for org in (Organization.unscoped.get(code="P"), whole_party()):
            assert admissions_report(org, 2020, 2025).admitted == 9
            cursor.execute("SHOW enable_nestloop")
            assert cursor.fetchone() == ("on",)
            cursor.execute("SHOW enable_sort")
            assert cursor.fetchone() == ("on",)
