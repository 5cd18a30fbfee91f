"""The quotas page reads a past year or term in the tree as it stood at its end (issue 13): after
a base organisation moved to another upper committee (and was renamed) in 2025, the 2016 quota
of its old parent still shows the members its branches admitted in 2016, the new parent's 2016
quota does not gain them, and every 2016 quota keeps its organisation's name and place of
2016; this year's quotas follow today's tree. The count opens a list of as many members."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvien.admissions.models import AdmissionTarget
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import move_organization, rename_organization
from tests.conftest import OUTSIDE_MARK
from tests.factories import PASSWORD, OrganizationFactory, user_with_role
from tests.organizations.history_checks import assert_history_holds, fresh
from tests.reports.test_admissions_report import admit, admit_in_2016, target

pytestmark = pytest.mark.django_db
PAGE = reverse("admissions:targets")
LIST = reverse("admissions:admitted")
MOVED_ON = datetime.date(2025, 7, 1)
OLD_NAME = "Đảng bộ Trường Tiểu học Hòa Bình"
NEW_NAME = "Đảng bộ Trường Liên cấp Hòa Bình"


@pytest.fixture
def quotas(world):
    """2016: 3 + 2 admitted in the base organisation's branches, 1 in a branch of it that ended
    on 01/09/2016, 4 in the outside branch; quotas of 2016 for the old parent (P.U1), the base
    organisation and the new parent, and of the term 2015-2020 for the old parent. This year:
    2 admitted in the branch, quotas for both parents."""
    admit_in_2016(world)
    this_year = timezone.localdate().year
    admit(world.branch, 2, datetime.date(this_year, 1, 1))
    target(world, world.upper, 8, year=2016)
    target(world, world.base, 6, year=2016)
    target(world, world.outside_upper, 5, year=2016)
    target(world, world.upper, 20, term=(2015, 2020))
    target(world, world.upper, 4, year=this_year)
    target(world, world.outside_upper, 4, year=this_year)
    return world


def province_officer(world):
    """An officer of the whole province, who sees both parents."""
    user_with_role(Role.OFFICER, world.province, "canbotinh")
    client = world.client(None)
    assert client.login(username="canbotinh", password=PASSWORD)
    return client


def move_and_rename(world) -> None:
    """On 01/07/2025 the base organisation moves with its branches to the outside upper
    committee (through the service, on a decision of that day) and takes a new name."""
    admin = world.users[Role.ADMIN]
    decision = Decision(MOVED_ON, "12-QĐ/TU", body="Tỉnh ủy")
    move_organization(admin, world.base, world.outside_upper, decision)
    rename_organization(admin, fresh(world.base), NEW_NAME, decision)
    assert_history_holds()


def rows(client, **params) -> dict[tuple[str, str], tuple[str, str]]:
    """The quotas listed: (code, period) → (name, admitted), read from the page's table."""
    response = client.get(PAGE, params)
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="targets"' not in html:
        return {}
    table = html.split('id="targets"')[1].split("</table>")[0]
    found = re.findall(
        r'<td><strong>([^<]+)</strong> <span class="muted">([^<]+)</span></td>\s*'
        r'<td class="nowrap">([^<]+)</td>\s*<td class="num">[^<]*</td>\s*'
        r'<td class="num"><a href="[^"]*">([^<]+)</a></td>',
        table,
    )
    return {(code, period): (name, count) for name, code, period, count in found}


def test_the_2016_quotas_keep_their_counts_and_names_after_the_move(quotas):
    world = quotas
    client = province_officer(world)
    old, new = world.upper.code, world.outside_upper.code
    before = {code: rows(client, org=code, period="2016") for code in (old, new)}
    assert before[old] == {
        (old, "Năm 2016"): ("Đảng bộ phường Hòa Bình", "6"),
        ("P.U1.01", "Năm 2016"): (OLD_NAME, "6"),
    }
    assert before[new] == {(new, "Năm 2016"): (f"Đảng bộ {OUTSIDE_MARK}", "4")}
    term = rows(client, org=old, period="2015-2020")

    move_and_rename(world)

    after = {code: rows(client, org=code, period="2016") for code in (old, new)}
    assert after == before  # the old parent keeps 6, the base its name; the new gains nothing
    assert (
        rows(client, org=old, period="2015-2020")
        == term
        == {(old, "Nhiệm kỳ 2015-2020"): ("Đảng bộ phường Hòa Bình", "6")}
    )
    # Without a period, each past quota is still read at its own period's end.
    listed = rows(client, org=old)
    assert listed[(old, "Năm 2016")] == ("Đảng bộ phường Hòa Bình", "6")
    assert listed[("P.U1.01", "Năm 2016")] == (OLD_NAME, "6")


def test_this_years_quotas_follow_todays_tree(quotas):
    world = quotas
    client = province_officer(world)
    year = str(timezone.localdate().year)
    old, new = world.upper.code, world.outside_upper.code
    target(world, world.upper, 10, term=(2025, 2030))  # a term not over: today's tree too
    term = {"org": old, "period": "2025-2030"}
    assert rows(client, org=old, period=year)[(old, f"Năm {year}")][1] == "2"
    assert rows(client, org=new, period=year)[(new, f"Năm {year}")][1] == "0"
    assert rows(client, **term)[(old, "Nhiệm kỳ 2025-2030")][1] == "2"
    move_and_rename(world)
    assert rows(client, org=old, period=year)[(old, f"Năm {year}")][1] == "0"
    assert rows(client, org=new, period=year)[(new, f"Năm {year}")][1] == "2"
    assert rows(client, **term)[(old, "Nhiệm kỳ 2025-2030")][1] == "0"
    # Without a period too: this year's quota counts by today's tree, 2016's by 2016's.
    listed = rows(client, org=new)
    assert listed[(new, f"Năm {year}")][1] == "2"
    assert listed[(new, "Năm 2016")][1] == "4"


def test_the_officer_of_the_old_parent_keeps_its_count_without_seeing_the_moved_unit(quotas):
    """Visibility follows today's tree: the moved base organisation's quota leaves the
    officer's page, its admissions of 2016 still count in their parent's quota (a number)."""
    world = quotas
    client = world.client(Role.OFFICER)
    old = world.upper.code
    before = rows(client, period="2016")
    assert before[(old, "Năm 2016")] == ("Đảng bộ phường Hòa Bình", "6")
    move_and_rename(world)
    html = client.get(PAGE, {"period": "2016"}).content.decode()
    assert rows(client, period="2016") == {(old, "Năm 2016"): ("Đảng bộ phường Hòa Bình", "6")}
    assert OUTSIDE_MARK not in html and NEW_NAME not in html


def test_the_count_opens_a_list_of_as_many_members(quotas):
    world = quotas
    move_and_rename(world)
    client = province_officer(world)
    html = client.get(PAGE, {"org": world.upper.code, "period": "2016"}).content.decode()
    quota = AdmissionTarget.unscoped.get(organization=world.base, year=2016)
    row = html.split(f'id="target-{quota.pk}"')[1].split("</tr>")[0]
    href = re.search(r'<a href="([^"]+)">6</a>', row).group(1).replace("&amp;", "&")
    response = client.get(href)
    assert response.context["page"].paginator.count == 6
    page = response.content.decode()
    assert "6 đảng viên được kết nạp" in page and OLD_NAME in page and NEW_NAME not in page
    outside = client.get(LIST, {"org": world.outside_upper.code, "year": 2016})
    assert outside.context["page"].paginator.count == 4
    # This year: today's tree, the new parent lists the two admitted in the moved branch.
    year = timezone.localdate().year
    now = client.get(LIST, {"org": world.outside_upper.code, "year": year})
    assert now.context["page"].paginator.count == 2


def test_a_rename_alone_keeps_the_old_name_on_past_quotas(quotas):
    world = quotas
    client = province_officer(world)
    admin = world.users[Role.ADMIN]
    rename_organization(admin, world.upper, "Đảng bộ phường Hòa Bình Mới", Decision(MOVED_ON))
    year = timezone.localdate().year
    listed = rows(client, org=world.upper.code)
    assert listed[(world.upper.code, "Năm 2016")] == ("Đảng bộ phường Hòa Bình", "6")
    assert listed[(world.upper.code, f"Năm {year}")] == ("Đảng bộ phường Hòa Bình Mới", "2")


def test_an_organisation_founded_after_the_year_has_no_quota_listed_for_it(quotas):
    world = quotas
    newer = OrganizationFactory(
        code="P.U1.05",
        name="Đảng bộ Khu phố Mới",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        founded_on=datetime.date(2020, 1, 1),
    )
    client = province_officer(world)
    html = client.get(PAGE, {"org": newer.code, "period": "2016"}).content.decode()
    assert "Đảng bộ Khu phố Mới được thành lập ngày 01/01/2020, sau ngày 31/12/2016." in html
    assert 'id="targets"' not in html
    listing = client.get(LIST, {"org": newer.code, "year": 2016}).content.decode()
    assert "được thành lập ngày 01/01/2020, sau ngày 31/12/2016." in listing


def test_past_quotas_are_counted_without_a_query_per_row(quotas):
    world = quotas
    move_and_rename(world)
    client = province_officer(world)
    client.get(PAGE)  # the session's once-a-minute work
    with CaptureQueriesContext(connection) as before:
        client.get(PAGE, {"period": "2016"})
    for org in (world.branch, world.other_branch, world.outside_base):
        target(world, fresh(org), 2, year=2016)
        target(world, fresh(org), 9, term=(2015, 2020))
    with CaptureQueriesContext(connection) as after:
        found = rows(client, period="2016")
    assert len(found) == 6
    assert len(after) == len(before)
    with CaptureQueriesContext(connection) as mixed:
        assert len(rows(client)) == 12
    assert len(mixed) <= len(before) + 1  # the earliest past year, read once
