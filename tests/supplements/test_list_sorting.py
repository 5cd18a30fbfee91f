"""The supplement pages sort on the server (issue 12): the rounds, a round's organisations below
(`osort`) and the members who have not submitted (`sort`, on the round's page and the branch's),
by each column either way; the pagers and the round chooser keep the order; an order a list does
not offer is a 400."""

import datetime

import pytest

from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.supplements import services
from tests.factories import MemberFactory, OrganizationFactory
from tests.sorted_tables import pager_links, query_of, table
from tests.supplements.conftest import member_with_account, today

BINH, CHUA, NHAP, TAI = "Trần Thị Bình", "Đinh Văn Chưa", "Cao Thị Nháp", "Mai Văn Tài"
BEN_DO, TRUONG = "Chi bộ Khu phố Bến Đò", "Đảng bộ Trường Tiểu học Hòa Bình"
UPPER = "Đảng bộ phường Hòa Bình"


@pytest.fixture
def rounds(world, supplement_round):
    """This year's round on the upper level: the school (7 members, 3 submitted, 2 confirmed)
    and Bến Đò (6 members, 1 submitted and approved). Last year's round on the school, ended;
    the round of two years ago on Bến Đò, one submitted on paper."""
    officer = world.users[Role.OFFICER]
    ben_do = OrganizationFactory(
        code="P.U1.02", name=BEN_DO, kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    dung = MemberFactory(branch=world.branch, full_name="Lê Thị Dung")
    em = member_with_account(world.other_branch, "phamvanem", full_name="Phạm Văn Em")
    MemberFactory(branch=world.branch, full_name=CHUA, code="S-4")
    nhap = member_with_account(world.branch, "caothinhap", full_name=NHAP, code="S-2")
    member_with_account(world.other_branch, "maivantai", full_name=TAI, code="S-1")
    giang = MemberFactory(branch=ben_do, full_name="Hoàng Văn Giang")
    ha = MemberFactory(branch=ben_do, full_name="Vũ Thị Hà")
    MemberFactory.create_batch(4, branch=ben_do, full_name="Lò Văn Bản")
    services.submit_proposal(world.users[Role.MEMBER], {"phone": "0912 000 000"})
    services.submit_proposal(nhap.user, {"phone": "0912 000 001"}, draft=True)
    for member in (dung, em):
        services.record_paper_submission(officer, supplement_round, member)
    services.approve_proposal(
        officer, services.record_paper_submission(officer, supplement_round, giang)
    )
    year = today().year
    last_year = services.open_round(
        officer, world.base, year - 1, today() + datetime.timedelta(days=10)
    )
    services.close_round(officer, last_year, reason="Đã đủ phiếu")
    older = services.open_round(officer, ben_do, year - 2, today() + datetime.timedelta(days=60))
    services.record_paper_submission(officer, older, ha)
    return world


def column(client, url, table_id, label, **query) -> list[str]:
    response = client.get(url, query)
    assert response.status_code == 200
    return table(response, table_id).column(label)


def test_the_rounds_sort_by_each_column_both_ways(rounds):
    client = rounds.client(Role.OFFICER)
    assert column(client, "/supplements/", "rounds", "Tổ chức") == [UPPER, TRUONG, BEN_DO]
    orders = {  # this year's (upper), last year's (the school, ended), Bến Đò's
        "year": [BEN_DO, TRUONG, UPPER],
        "org": [BEN_DO, UPPER, TRUONG],
        "deadline": [TRUONG, UPPER, BEN_DO],
        "members": [BEN_DO, TRUONG, UPPER],
        "submitted": [TRUONG, BEN_DO, UPPER],
        "share": [TRUONG, BEN_DO, UPPER],
    }
    for key, ascending in orders.items():
        assert column(client, "/supplements/", "rounds", "Tổ chức", sort=key) == ascending, key
        shown = column(client, "/supplements/", "rounds", "Tổ chức", sort=f"-{key}")
        assert shown == ascending[::-1], key
    # Open rounds first (in the list's own order of organisations), then the ended ones.
    state = column(client, "/supplements/", "rounds", "Tổ chức", sort="state")
    assert state == [UPPER, BEN_DO, TRUONG]
    assert column(client, "/supplements/", "rounds", "Tổ chức", sort="-state") == [
        TRUONG,
        UPPER,
        BEN_DO,
    ]
    year = table(client.get("/supplements/"), "rounds").heading("Năm")
    assert (year.state, year.text, query_of(year.href)) == (
        "descending",
        "Năm ▼",
        {"sort": ["year"]},
    )
    assert client.get("/supplements/", {"sort": "name"}).status_code == 400


def test_the_organisations_below_sort_by_each_column_both_ways(rounds, supplement_round):
    client = rounds.client(Role.OFFICER)
    url = f"/supplements/{supplement_round.pk}/"
    assert column(client, url, "progress", "Tổ chức") == [BEN_DO, TRUONG]
    orders = {  # Bến Đò: 6 members, 1 submitted, 1 confirmed, 1 approved; the school: 7, 3, 2, 0
        "name": [BEN_DO, TRUONG],
        "members": [BEN_DO, TRUONG],
        "submitted": [BEN_DO, TRUONG],
        "confirmed": [BEN_DO, TRUONG],
        "approved": [TRUONG, BEN_DO],
        "share": [BEN_DO, TRUONG],
    }
    for key, ascending in orders.items():
        assert column(client, url, "progress", "Tổ chức", osort=key) == ascending, key
        assert column(client, url, "progress", "Tổ chức", osort=f"-{key}") == ascending[::-1]
    heading = table(client.get(url, {"osort": "approved", "sort": "code"}), "progress").heading(
        "Đã duyệt"
    )
    assert (heading.state, heading.text) == ("ascending", "Đã duyệt ▲")
    assert query_of(heading.href) == {"sort": ["code"], "osort": ["-approved"]}
    assert client.get(url, {"osort": "code"}).status_code == 400


def test_members_who_have_not_submitted_sort_by_each_column_both_ways(rounds, supplement_round):
    client = rounds.client(Role.OFFICER)
    url = f"/supplements/{supplement_round.pk}/"
    school = {"org": rounds.base.code}
    assert column(client, url, "missing", "Họ và tên", **school) == [BINH, CHUA, NHAP, TAI]
    orders = {
        "name": ([BINH, CHUA, NHAP, TAI], [TAI, NHAP, CHUA, BINH]),
        "code": ([BINH, TAI, NHAP, CHUA], [CHUA, NHAP, TAI, BINH]),
        "branch": ([CHUA, NHAP, BINH, TAI], [BINH, TAI, CHUA, NHAP]),  # Tổ Toán, Tổ Văn
        # Drafting in the system, not sent, without an account.
        "state": ([NHAP, TAI, BINH, CHUA], [BINH, CHUA, TAI, NHAP]),
    }
    for key, (ascending, descending) in orders.items():
        assert column(client, url, "missing", "Họ và tên", sort=key, **school) == ascending
        assert column(client, url, "missing", "Họ và tên", sort=f"-{key}", **school) == (descending)
    heading = table(client.get(url, {"sort": "-state", **school}), "missing").heading(
        "Tình trạng phiếu"
    )
    assert (heading.state, heading.text) == ("descending", "Tình trạng phiếu ▼")
    assert query_of(heading.href) == {"org": [rounds.base.code], "sort": ["state"]}


def test_the_round_pagers_keep_the_orders(rounds, supplement_round):
    MemberFactory.create_batch(25, branch=rounds.other_branch, full_name="Võ Văn Thêm")
    client = rounds.client(Role.OFFICER)
    url = f"/supplements/{supplement_round.pk}/"
    response = client.get(url, {"sort": "-name", "osort": "members", "org": rounds.base.code})
    links = [link for link in pager_links(response) if "page=" in link]
    assert links and all(
        query_of(link)["sort"] == ["-name"] and query_of(link)["osort"] == ["members"]
        for link in links
    )
    second = column(client, url, "missing", "Họ và tên", sort="-name", page=2, org="P.U1.01")
    assert second == [TAI, NHAP, CHUA, BINH]  # after Thêm ×25
    # «Đã nộp bản giấy» comes back to the page as it was sorted.
    back = f"{url}?sort=-name&amp;osort=members&amp;org={rounds.base.code}"
    assert f'name="next" value="{back}"' in response.content.decode()


def test_the_branch_sorts_its_members_and_keeps_the_order(rounds):
    client = rounds.client(Role.SECRETARY)
    assert column(client, "/supplements/branch/", "missing", "Họ và tên") == [CHUA, NHAP]
    backwards = column(client, "/supplements/branch/", "missing", "Họ và tên", sort="-name")
    assert backwards == [NHAP, CHUA]
    by_state = column(client, "/supplements/branch/", "missing", "Họ và tên", sort="state")
    assert by_state == [NHAP, CHUA]
    page = client.get("/supplements/branch/", {"sort": "-name"}).content.decode()
    assert '<input type="hidden" name="sort" value="-name">' in page  # the round chooser
    assert client.get("/supplements/branch/", {"sort": "year"}).status_code == 400
