"""The unit tallies behind the reports of a province and of the whole Party (reports/tallies/):
after every kind of change the reports built from them equal the plain recomputation from the
records, both while the changed units are marked dirty and once they are recounted."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Member, Status
from dangvien.members.services import end_membership, transfer_member
from dangvien.organizations.models import OrgKind, whole_party
from dangvien.organizations.services import move_organization
from dangvien.reports.models import DirtyUnit, UnitTally
from dangvien.reports.quality import quality_report
from dangvien.reports.structure import structure_report
from tests.assessments.commands import run_import
from tests.factories import MemberFactory, OrganizationFactory
from tests.reports.worlds import add_grades
from tests.spreadsheets import ASSESSMENT_HEADERS, MEMBER_HEADERS, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def country(world):
    """The test world with its history and grades, and a second province of two units."""
    add_grades(world)
    province = OrganizationFactory(code="Q", name="Đảng bộ tỉnh Quảng Thịnh", kind=OrgKind.PROVINCE)
    for number in (1, 2):
        school = OrganizationFactory(
            code=f"Q.0{number}",
            name=f"Chi bộ Trường số {number}",
            kind=OrgKind.BASE_BRANCH,
            parent=province,
        )
        MemberFactory.create_batch(3, branch=school, birth_date=datetime.date(1991, 1, 1))
    return world


def assert_fast_equals_plain(world) -> None:
    """Every report of both provinces and of the whole Party, from the tallies and from the
    records: today, at the end of this year (other age cut-offs), and the quality of 2023,
    2024 and this year, with and without the details."""
    today = timezone.localdate()
    with unscoped():
        orgs = [whole_party(), world.province, world.province.__class__.unscoped.get(code="Q")]
    for org in orgs:
        ends = [datetime.date(year, 12, 31) for year in (2023, 2024, today.year - 1, today.year)]
        for as_of in (None, *ends):
            fast = structure_report(org, as_of, from_tallies=True)
            assert fast == structure_report(org, as_of, from_tallies=False), (org.code, as_of)
        for year in (2023, 2024, today.year):
            for details in (True, False):
                plain = quality_report(org, year, details=details, from_tallies=False)
                assert quality_report(org, year, details=details) == plain, (org.code, year)
                fast = quality_report(org, year, details=details, from_tallies=True)
                assert fast == plain, (org.code, year, details)


def recount_all() -> None:
    call_command("recount", "--all", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not DirtyUnit.objects.exists()
    assert UnitTally.objects.exists()


def test_reports_agree_from_dirty_units_and_from_stored_tallies(country):
    assert DirtyUnit.objects.exists()  # every save marked its unit: nothing counted yet
    assert_fast_equals_plain(country)
    recount_all()
    assert_fast_equals_plain(country)
    whole = structure_report(whole_party())
    assert whole.members == Member.unscoped.filter(status__in=["official", "probationary"]).count()


def test_a_transfer_between_units_marks_both_and_the_reports_follow(country):
    recount_all()
    admin = country.users[Role.ADMIN]
    transfer_member(admin, country.member, country.outside_branch, Decision(timezone.localdate()))
    assert set(DirtyUnit.objects.values_list("unit_id", flat=True)) == {
        country.upper.pk,
        country.outside_upper.pk,
    }
    assert_fast_equals_plain(country)
    recount_all()
    assert_fast_equals_plain(country)


def test_lifecycle_changes_recounted_when_their_transaction_commits(
    country, django_capture_on_commit_callbacks
):
    recount_all()
    admin = country.users[Role.ADMIN]
    with django_capture_on_commit_callbacks(execute=True):
        died = Decision(timezone.localdate(), reason="Từ trần")
        end_membership(admin, country.other_member, Status.DECEASED, died)
    assert not DirtyUnit.objects.exists()  # recounted once committed
    assert_fast_equals_plain(country)


def test_imports_write_in_bulk_and_still_mark_their_units(country, tmp_path):
    recount_all()
    rows = [
        [
            f"NEW{i}",
            f"Lê Văn Mới {i}",
            "Nam",
            "15/04/1985",
            "P.U1.01.01",
            "03/02/2010",
            "03/02/2011",
            "",
            "",
            "Tày",
            "Không",
            "Hà Tĩnh",
            "",
            "12/12",
            "Đại học",
            "Sơ cấp",
        ]
        for i in range(4)
    ]
    status, out, err = run_import("members", write_csv(tmp_path / "m.csv", MEMBER_HEADERS, rows))
    assert status == 0, out + err
    assert list(DirtyUnit.objects.values_list("unit_id", flat=True)) == [country.upper.pk]
    assert_fast_equals_plain(country)
    recount_all()
    grades = [[f"NEW{i}", 2024, "Hoàn thành xuất sắc nhiệm vụ"] for i in range(4)]
    status, out, err = run_import(
        "assessments", write_csv(tmp_path / "g.csv", ASSESSMENT_HEADERS, grades)
    )
    assert status == 0, out + err
    assert DirtyUnit.objects.exists()
    assert_fast_equals_plain(country)
    recount_all()
    assert_fast_equals_plain(country)


def test_moving_an_organisation_to_another_unit(country):
    recount_all()
    admin = country.users[Role.ADMIN]
    move_organization(admin, country.base, country.outside_upper)
    assert_fast_equals_plain(country)
    recount_all()
    assert_fast_equals_plain(country)
    # The years before the move keep their figures: the base organisation's grades of 2024
    # still count in its old unit, which the records read by the tree of 31/12/2024.
    old_unit = quality_report(country.upper, 2024).counts
    assert old_unit.assessed > 0


def test_a_write_that_bypasses_the_marks_would_make_the_tallies_wrong(country):
    """Why every bulk write marks its units: a raw update that does not leaves a stale tally."""
    recount_all()
    Member.unscoped.filter(pk=country.member.pk).update(gender="Nữ")
    fast = structure_report(country.province, from_tallies=True)
    plain = structure_report(country.province, from_tallies=False)
    assert fast.breakdown["gioi_tinh"] != plain.breakdown["gioi_tinh"]


def test_the_years_before_the_first_grade_are_not_counted_from_the_records(country):
    """The quality page of 2024 shows 2020–2024; the grades begin in 2023, so 2020–2022 have
    none anywhere: the tallies answer without counting any unit from the records."""
    recount_all()
    with CaptureQueriesContext(connection) as queries:
        report = quality_report(country.province, 2024)
    assert not [query for query in queries if "members_placement" in query["sql"]]
    assert report == quality_report(country.province, 2024, from_tallies=False)
    assert [report.history[year].assessed for year in (2020, 2021, 2022, 2023)] == [0, 0, 0, 2]
