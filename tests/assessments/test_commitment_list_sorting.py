"""The commitments page sorts on the server (issue 12): its organisations below by name and by
each count, its members without a commitment by branch (grouped under the branch's name), name,
code or account, either way; the pager keeps both orders; an order it does not offer is a 400."""

import pytest

from dangvien.assessments.models import Grade
from dangvien.core.roles import Role
from tests.assessments.test_register_commitment import commitments_url
from tests.assessments.workflow import member_with_account, save_my_page
from tests.factories import MemberFactory
from tests.sorted_tables import pager_links, query_of, table

AN, BINH, DUNG, EM, GIANG = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Thị Dung",
    "Phạm Văn Em",
    "Hoàng Văn Giang",
)
TOAN, VAN = "Chi bộ Tổ Toán", "Chi bộ Tổ Văn"


@pytest.fixture
def officer(world):
    """Tổ Toán: An (registered), Dung. Tổ Văn: Bình, Em (with an account), Giang."""
    save_my_page(world.client(Role.MEMBER), {"action": "commit", "level": Grade.GOOD})
    MemberFactory(branch=world.branch, full_name=DUNG, code="DV-C-3")
    member_with_account(world.other_branch, "phamvanem", full_name=EM, code="DV-C-0")
    MemberFactory(branch=world.other_branch, full_name=GIANG, code="DV-C-5")
    return world.client(Role.OFFICER)


def shown(client, world, **query):
    response = client.get(commitments_url(world.base), query)
    assert response.status_code == 200
    return response


def missing(client, world, **query) -> list[str]:
    return table(shown(client, world, **query), "without-commitment").column("Họ và tên")


def test_members_without_a_commitment_sort_by_each_column_both_ways(world, officer):
    grouped = table(shown(officer, world), "without-commitment")
    assert grouped.column("Họ và tên") == [DUNG, BINH, EM, GIANG]
    assert grouped.groups == [TOAN, VAN]  # under their branch's name
    backwards = table(shown(officer, world, sort="-branch"), "without-commitment")
    assert backwards.column("Họ và tên") == [BINH, EM, GIANG, DUNG]
    assert backwards.groups == [VAN, TOAN]
    orders = {
        "name": ([BINH, DUNG, EM, GIANG], [GIANG, EM, DUNG, BINH]),
        "code": ([EM, DUNG, GIANG, BINH], [BINH, GIANG, DUNG, EM]),
        "account": ([EM, BINH, DUNG, GIANG], [BINH, DUNG, GIANG, EM]),  # with one first
    }
    for key, (ascending, descending) in orders.items():
        assert missing(officer, world, sort=key) == ascending, key
        assert missing(officer, world, sort=f"-{key}") == descending, key
    flat = table(shown(officer, world, sort="name"), "without-commitment")
    assert flat.groups == [] and flat.column("Chi bộ") == [VAN, TOAN, VAN, VAN]


def test_the_member_headings_say_the_order(world, officer):
    page = shown(officer, world, sort="code")
    code = table(page, "without-commitment").heading("Mã đảng viên")
    assert (code.state, code.text, query_of(code.href)) == (
        "ascending",
        "Mã đảng viên ▲",
        {"sort": ["-code"]},
    )
    branch = table(page, "without-commitment").heading("Chi bộ")
    assert (branch.state, query_of(branch.href)) == ("", {})  # back to the branch groups
    grouped = shown(officer, world).content.decode()
    caption = grouped.split('<caption class="sort-caption')[1].split("</caption>")[0]
    assert "Theo chi bộ" in caption and 'href="?sort=-branch"' in caption
    reversed_caption = shown(officer, world, sort="-branch").content.decode()
    assert "Theo chi bộ (Z → A)" in reversed_caption


def test_the_organisations_below_sort_by_each_column_both_ways(world, officer):
    def orgs(**query) -> list[str]:
        return table(shown(officer, world, **query), "commitment-progress").column("Tổ chức")

    assert orgs() == [TOAN, VAN]
    orders = {  # Tổ Toán: 2 members, 1 registered; Tổ Văn: 3 members, none registered
        "name": [TOAN, VAN],
        "members": [TOAN, VAN],
        "registered": [VAN, TOAN],
        "missing": [TOAN, VAN],
    }
    for key, ascending in orders.items():
        assert orgs(osort=key) == ascending, key
        assert orgs(osort=f"-{key}") == ascending[::-1], key
    both = table(shown(officer, world, osort="-missing", sort="name"), "commitment-progress")
    heading = both.heading("Chưa đăng ký")
    assert (heading.state, heading.text) == ("descending", "Chưa đăng ký ▼")
    assert query_of(heading.href) == {"sort": ["name"], "osort": ["missing"]}
    assert both.heading("Tổ chức").state == ""


def test_the_pager_keeps_both_orders_and_a_bad_order_is_refused(world, officer):
    MemberFactory.create_batch(50, branch=world.other_branch, full_name="Võ Văn Thêm")
    response = shown(officer, world, sort="-name", osort="members")
    links = pager_links(response)
    assert links and all(
        query_of(link)["sort"] == ["-name"] and query_of(link)["osort"] == ["members"]
        for link in links
    )
    second = missing(officer, world, sort="-name", page=2, osort="members")
    assert second[-3:] == [EM, DUNG, BINH]
    heading = table(shown(officer, world, page=2), "without-commitment").heading("Họ và tên")
    assert query_of(heading.href) == {"sort": ["name"]}  # a new order starts on page 1
    assert officer.get(commitments_url(world.base), {"sort": "status"}).status_code == 400
    assert officer.get(commitments_url(world.base), {"osort": "code"}).status_code == 400
