"""Every count of organisations and members on the home page and an organisation's page links
to its list, and the list holds as many as the count says; the list of organisations below one
filters, sorts and pages on the server."""

import datetime
import re

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.members.services import end_membership
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import dissolve_organization
from tests.factories import OrganizationFactory

STAT = re.compile(
    r'<a class="stat" href="([^"]+)"><span class="stat-value">([\d.]+)</span>'
    r'<span class="stat-label">([^<]+)</span></a>'
)


def listed(client, url: str) -> int:
    """How many rows the list a count links to holds (all its pages)."""
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200, url
    if url.startswith("/members/"):
        text = re.search(r'id="result-count">([\d.]+) đảng viên', response.content.decode())
        return int(text[1].replace(".", ""))
    return response.context["page"].paginator.count


@pytest.fixture
def bigger(world):
    """A second base committee with a partial committee and three branches, one dissolved."""
    base = OrganizationFactory(
        code="P.U1.02", name="Đảng bộ Trường THCS", kind=OrgKind.BASE_COMMITTEE, parent=world.upper
    )
    partial = OrganizationFactory(
        code="P.U1.02.A", name="Đảng bộ bộ phận Khối A", kind=OrgKind.PARTIAL_COMMITTEE, parent=base
    )
    for number in (1, 2, 3):
        OrganizationFactory(
            code=f"P.U1.02.A.0{number}",
            name=f"Chi bộ Lớp {number}",
            kind=OrgKind.SUB_BRANCH,
            parent=partial,
        )
    ended = OrganizationFactory(
        code="P.U1.02.09", name="Chi bộ Giải Thể", kind=OrgKind.SUB_BRANCH, parent=base
    )
    dissolve_organization(
        world.users[Role.OFFICER], ended, Decision(datetime.date(2025, 1, 1), reason="Sáp nhập")
    )
    return base


@pytest.mark.parametrize("where", ["/", "/orgs/P.U1/", "/orgs/P.U1.02/"])
def test_every_count_links_to_a_list_that_agrees(world, bigger, where):
    client = world.client(Role.OFFICER)
    stats = STAT.findall(client.get(where).content.decode())
    assert len(stats) >= 5, stats
    for url, value, label in stats:
        assert listed(client, url) == int(value.replace(".", "")), (where, label, url)


def test_the_home_page_counts_and_their_lists(world, bigger):
    page = world.client(Role.OFFICER).get("/").content.decode()
    stats = {label: (url, value) for url, value, label in STAT.findall(page)}
    assert stats["chi bộ"] == ("/orgs/P.U1/below/?kind=branches", "5")  # not the dissolved one
    assert stats["đảng bộ bộ phận"] == ("/orgs/P.U1/below/?kind=partial", "1")
    assert stats["tổ chức cơ sở đảng"] == ("/orgs/P.U1/below/?kind=base", "2")
    assert stats["đảng viên"] == ("/members/?org=P.U1", "2")


def test_the_list_filters_by_state_and_name_and_sorts(world, bigger):
    client = world.client(Role.OFFICER)
    url = "/orgs/P.U1.02/below/"
    active = client.get(url, {"kind": "branches"}).content.decode()
    assert "Chi bộ Lớp 1" in active and "Chi bộ Giải Thể" not in active
    ended = client.get(url, {"kind": "branches", "state": "ended"}).content.decode()
    assert "Chi bộ Giải Thể" in ended and "Chi bộ Lớp 1" not in ended
    assert "<td>01/01/2025</td>" in ended
    found = client.get(url, {"q": "lop 2"}).context["page"]
    assert [org.code for org in found] == ["P.U1.02.A.02"]
    by_code = client.get(url, {"kind": "branches", "sort": "-code"}).context["page"]
    assert [org.code for org in by_code] == ["P.U1.02.A.03", "P.U1.02.A.02", "P.U1.02.A.01"]
    assert client.get(url, {"kind": "chi_bo"}).status_code == 400
    assert client.get(url, {"sort": "members"}).status_code == 400


def test_the_list_pages_on_the_server(world):
    for number in range(55):
        OrganizationFactory(
            code=f"P.U1.01.T{number:02d}",
            name=f"Chi bộ Thêm {number:02d}",
            kind=OrgKind.SUB_BRANCH,
            parent=world.base,
        )
    client = world.client(Role.OFFICER)
    first = client.get("/orgs/P.U1.01/below/", {"kind": "branches"})
    assert first.context["page"].paginator.count == 57
    assert "57 tổ chức · trang 1/2" in first.content.decode()
    second = client.get("/orgs/P.U1.01/below/", {"kind": "branches", "page": 2}).content.decode()
    assert '<td class="num">57</td>' in second and "Chi bộ Tổ Văn" in second


def test_members_counts_of_an_organisation_follow_a_leaving(world):
    end_membership(
        world.users[Role.OFFICER],
        world.other_member,
        Status.RESIGNED,
        Decision(datetime.date(2025, 3, 1), reason="Đơn"),
    )
    client = world.client(Role.OFFICER)
    stats = STAT.findall(client.get("/orgs/P.U1.01/").content.decode())
    counts = {label: int(value) for _url, value, label in stats}
    assert counts["đảng viên đang sinh hoạt"] == 1 and counts["đảng viên chính thức"] == 1
    for url, value, _label in stats:
        assert listed(client, url) == int(value)


def test_the_list_keeps_to_the_scope(world):
    assert (
        world.client(Role.OFFICER).get(f"/orgs/{world.outside_base.code}/below/").status_code == 404
    )
    secretary = world.client(Role.SECRETARY)
    assert secretary.get(f"/orgs/{world.base.code}/below/").status_code == 404
    own = secretary.get(f"/orgs/{world.branch.code}/below/")
    assert own.status_code == 200 and own.context["page"].paginator.count == 0
