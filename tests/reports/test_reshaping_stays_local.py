"""A reshaping of the tree slows only the reports it touches (issue 13, items 1 and 6;
organizations/dated.py, reshaped_since): after a base organisation of province P moves to
another unit, province Q's past reports still read today's path copies (no join with the
organisations' states) and its unit tallies, and give what they gave; P's past reports read
the tree as it stood and give what they gave too. An ended organisation's report names what it
became only to a reader who may see that organisation."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.assessments.models import OrgAssessment
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import scope_of, unscoped
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind
from dangvien.organizations.models import whole_party as the_whole_party
from dangvien.organizations.services import dissolve_organization, move_organization
from dangvien.reports.models import DirtyUnit
from dangvien.reports.quality import quality_report
from dangvien.reports.structure import structure_report
from tests.factories import MemberFactory, OrganizationFactory
from tests.organizations.history_checks import fresh
from tests.reports.worlds import END_2024, add_grades, grade

pytestmark = pytest.mark.django_db

MOVED_ON = datetime.date(2025, 7, 1)
STATES_JOINED = re.compile(r'JOIN\s+"organizations_orgstate"')


@pytest.fixture
def country(world):
    """The test world with its grades of 2023 and 2024, and a province Q of two graded base
    branches, one of them graded as an organisation too."""
    add_grades(world)
    province = OrganizationFactory(code="Q", name="Đảng bộ tỉnh Quảng Thịnh", kind=OrgKind.PROVINCE)
    for number in (1, 2):
        school = OrganizationFactory(
            code=f"Q.0{number}",
            name=f"Chi bộ Trường số {number}",
            kind=OrgKind.BASE_BRANCH,
            parent=province,
        )
        first, second, third = MemberFactory.create_batch(3, branch=school)
        grade(first, 2024, "xuat_sac")
        grade(second, 2024, "tot")
        grade(third, 2023, "hoan_thanh")
        if number == 1:
            grade(third, 2024, not_graded="new_member")
            OrgAssessment.unscoped.create(
                organization=school, org_path=school.path, year=2024, grade="tot"
            )
    return world


def province_q() -> Organization:
    return Organization.unscoped.get(code="Q")


def past_reports(org: Organization, **options) -> list:
    """The structure at the end of 2024 and the quality of 2024 (with the years before and the
    members not graded, and as formats.md's JSON) of `org`."""
    with unscoped():
        return [
            structure_report(org, END_2024),
            quality_report(org, 2024, **options),
            quality_report(org, 2024, details=False, **options),
        ]


def read_sql(org: Organization, **options) -> str:
    """The SQL the past reports of `org` ran, one statement a line."""
    with CaptureQueriesContext(connection) as queries:
        past_reports(org, **options)
    return "\n".join(query["sql"] for query in queries.captured_queries)


def recount_all() -> None:
    call_command("recount", "--all", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not DirtyUnit.objects.exists()


def move_base_to_the_other_unit(world) -> None:
    admin = world.users[Role.ADMIN]
    move_organization(admin, world.base, world.outside_upper, Decision(MOVED_ON, "5-QĐ/TU"))


def test_a_move_in_one_province_leaves_the_other_on_the_fast_path(country):
    q = province_q()
    recount_all()
    before = {
        code: past_reports(org)
        for code, org in (("Q", q), ("P", country.province), ("*", the_whole_party()))
    }
    assert before["Q"][1].counts.assessed == 4
    assert before["Q"][1].organizations.assessed == 1
    assert before["P"][1].children[0].counts.assessed > 0

    move_base_to_the_other_unit(country)
    recount_all()

    # Q: nothing moved there, so its reports read today's paths and its unit tallies.
    sql = read_sql(q)
    assert not STATES_JOINED.search(sql)
    assert "reports_unittally" in sql
    assert not STATES_JOINED.search(read_sql(q, from_tallies=False))
    assert past_reports(q) == before["Q"]
    # P and the whole Party: the base organisation's 2024 members and grades stay in the unit
    # it was in then, read by joining that day's states.
    assert STATES_JOINED.search(read_sql(country.province))
    assert past_reports(country.province) == before["P"]
    assert past_reports(the_whole_party()) == before["*"]


def test_a_report_of_the_unit_that_moved_or_received_reads_the_tree_as_it_stood(country):
    upper_before = past_reports(country.upper)
    receiving_before = past_reports(country.outside_upper)
    untouched = OrganizationFactory(
        code="P.U9", name="Đảng bộ phường Đông Hải", kind=OrgKind.UPPER, parent=country.province
    )
    move_base_to_the_other_unit(country)

    assert STATES_JOINED.search(read_sql(fresh(country.upper)))
    assert STATES_JOINED.search(read_sql(fresh(country.outside_upper)))
    assert past_reports(fresh(country.upper)) == upper_before
    assert past_reports(fresh(country.outside_upper)) == receiving_before
    # The moved organisation itself: its own path changed.
    assert dated.reshaped_since(END_2024, country.base.path)
    assert not dated.reshaped_since(END_2024, untouched.path)
    assert not dated.reshaped_since(MOVED_ON, country.upper.path)
    assert dated.reshaped_since(END_2024, "/")


def test_tallies_follow_each_years_tree_after_a_move_and_an_end(country):
    """The unit tallies count each year by the tree of its end: after the base organisation
    moves to the other unit in mid-2025 and its old unit ends, the reports of the provinces
    and of the whole Party read from them equal those counted from the records, for the years
    before (where the old unit still counts it) and for 2025 (where the new one does)."""
    grade(country.member, 2025, "tot")
    q = province_q()
    orgs = (("Q", q), ("P", country.province), ("*", the_whole_party()))
    recount_all()
    before = {code: past_reports(org) for code, org in orgs}
    move_base_to_the_other_unit(country)
    admin = country.users[Role.ADMIN]
    ended = Decision(datetime.date(2025, 8, 1), "7-QĐ/TU", reason="Sắp xếp tổ chức bộ máy")
    dissolve_organization(admin, fresh(country.upper), ended)
    assert set(DirtyUnit.objects.values_list("unit_id", flat=True)) == {
        country.upper.pk,
        country.outside_upper.pk,
    }
    for stage in ("dirty", "recounted"):
        for code, org in orgs:
            plain = past_reports(org, from_tallies=False)
            assert past_reports(org, from_tallies=True) == plain, (stage, code)
            assert past_reports(org) == plain == before[code], (stage, code)
            with unscoped():
                for year in (2025, 2026):
                    fast = quality_report(org, year, from_tallies=True)
                    assert fast == quality_report(org, year, from_tallies=False), (code, year)
        recount_all()
    with unscoped():
        moved = quality_report(country.province, 2025)
    assert {child.code: child.counts.assessed for child in moved.children} == {
        country.outside_upper.code: 1
    }


def test_a_unit_moved_into_another_province_keeps_its_past_years(country):
    """A base branch directly under province Q (a unit) moves under a committee of province P
    in mid-2025: the years before stay Q's, read from its tallies as from the records."""
    orgs = (("Q", province_q()), ("P", country.province), ("*", the_whole_party()))
    recount_all()
    before = {code: past_reports(org) for code, org in orgs}
    p_today = structure_report(country.province).members
    school = Organization.unscoped.get(code="Q.01")
    admin = country.users[Role.ADMIN]
    move_organization(admin, school, country.outside_upper, Decision(MOVED_ON, "9-QĐ/TW"))
    for stage in ("dirty", "recounted"):
        for code, org in orgs:
            plain = past_reports(org, from_tallies=False)
            assert past_reports(org, from_tallies=True) == plain, (stage, code)
            assert past_reports(org) == plain == before[code], (stage, code)
            with unscoped():
                fast = quality_report(org, 2026, from_tallies=True)
                assert fast == quality_report(org, 2026, from_tallies=False), (stage, code)
        recount_all()
    assert structure_report(country.province).members == p_today + 3  # today Q.01's are P's


@pytest.fixture
def absorbed(world):
    """A branch of the officer's subtree absorbed three days ago into a base organisation the
    officer does not see."""
    ended = timezone.localdate() - datetime.timedelta(days=3)
    gone = OrganizationFactory(
        code="P.U1.08", name="Chi bộ Thôn Cũ", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    admin = world.users[Role.ADMIN]
    dissolve_organization(admin, gone, Decision(ended, "12-QĐ", reason="Sáp nhập"))
    OrgEvent.unscoped.create(
        org=gone, kind=OrgEventKind.ABSORB, effective_on=ended, receiving=world.outside_base
    )
    return fresh(gone), ended


def test_the_successor_s_code_is_given_only_to_a_reader_who_sees_it(world, absorbed):
    """What the ended branch became is its own history, which its reader sees by name (as its
    timeline does); the code, which opens the successor, only to those who may open it."""
    gone, ended = absorbed
    named = f"(đã sáp nhập vào {world.outside_base.name}, mã {world.outside_base.code})"
    hidden = f"(đã sáp nhập vào {world.outside_base.name})"

    page = world.client(Role.OFFICER).get("/reports/structure/", {"org": gone.code})
    assert page.status_code == 400
    text = page.content.decode()
    assert f"Chi bộ Thôn Cũ đã kết thúc hoạt động từ ngày {ended:%d/%m/%Y} {hidden}." in text
    assert world.outside_base.code not in text

    page = world.client(Role.ADMIN).get("/reports/structure/", {"org": gone.code})
    assert page.status_code == 400
    assert named in page.content.decode()

    officer, outside = world.users[Role.OFFICER], world.users["outside_officer"]
    assert hidden in dated.absence(gone, ended, officer)
    assert hidden in dated.absence(gone, ended, scope_of(officer))
    assert named in dated.absence(gone, ended, scope_of(outside))
    assert named in dated.absence(gone, ended)  # the command line sees every organisation


def test_a_successor_above_the_reader_is_named(world):
    """Sáp nhập into the officer's own superior: an organisation they may name."""
    ended = timezone.localdate() - datetime.timedelta(days=3)
    gone = OrganizationFactory(
        code="P.U1.09", name="Chi bộ Xóm Mới", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    dissolve_organization(
        world.users[Role.ADMIN], gone, Decision(ended, "13-QĐ", reason="Sáp nhập")
    )
    OrgEvent.unscoped.create(
        org=gone, kind=OrgEventKind.ABSORB, effective_on=ended, receiving=world.province
    )
    page = world.client(Role.OFFICER).get("/reports/quality/", {"org": gone.code, "year": "2026"})
    assert page.status_code == 400
    assert f"(đã sáp nhập vào {world.province.name}, mã P)" in page.content.decode()
