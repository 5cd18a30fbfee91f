"""Paging the member list at any size: every page holds exactly the members the name order puts
there, whichever way the page is read (sorted here, along the index, or from the end), and a
filter matching more than the exact-count limit says so instead of counting."""

import random

import pytest
from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.members import selectors
from dangvien.members.models import Gender, Member
from dangvien.members.views import PAGE_SIZE, table_rows
from tests.factories import MemberFactory

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Vũ", "Hoàng"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", ""]
GIVEN = ["An", "Ân", "Anh", "Bình", "Dũng", "Đức", "Hoa", "Hòa", "Yến"]


@pytest.fixture
def crowd(world):
    """130 more members of random Vietnamese names in the officer's subtree (three pages)."""
    rng = random.Random(7)
    for _ in range(130):
        name = " ".join(filter(None, [rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)]))
        MemberFactory(full_name=name, branch=rng.choice([world.branch, world.other_branch]))
    return world


def ids_on(response) -> list[int]:
    table = response.content.decode().split('id="members"')[1].split("</table>")[0]
    return [int(part.split('/"')[0]) for part in table.split('href="/members/')[1:]]


def name_order(**filters) -> list[int]:
    """The ids of the officer's active members with `filters`, in the database's name order."""
    members = Member.unscoped.filter(
        branch_path__startswith="/", status__in=["official", "probationary"]
    )
    return list(members.filter(**filters).order_by("sort_key", "id").values_list("pk", flat=True))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
def test_every_page_of_the_list_holds_its_share_of_the_name_order(crowd, role):
    client = crowd.client(role)
    scope = crowd.upper.path if role == Role.OFFICER else "/"
    expected = [
        pk for pk in name_order() if Member.unscoped.get(pk=pk).branch_path.startswith(scope)
    ]
    pages = -(-len(expected) // PAGE_SIZE)
    seen = []
    for number in range(1, pages + 1):
        response = client.get("/members/", {"page": number})
        text = response.content.decode()
        assert f"{len(expected)} đảng viên · trang {number}/{pages}" in text
        seen += ids_on(response)
    assert seen == expected  # the last page is read from the end of the name order
    assert ids_on(client.get("/members/", {"page": 99})) == expected[(pages - 1) * PAGE_SIZE :]


def test_a_filter_sorted_here_pages_like_the_database(crowd):
    client = crowd.client(Role.OFFICER)
    expected = name_order(gender=Gender.FEMALE, branch_path__startswith=crowd.upper.path)
    seen = ids_on(client.get("/members/", {"gender": Gender.FEMALE}))
    seen += ids_on(client.get("/members/", {"gender": Gender.FEMALE, "page": 2}))
    assert seen == expected[: 2 * PAGE_SIZE]


def test_more_matches_than_the_exact_count_limit_are_not_counted(crowd, monkeypatch):
    monkeypatch.setattr(selectors, "EXACT_COUNT_LIMIT", 40)
    client = crowd.client(Role.OFFICER)
    expected = name_order(gender=Gender.MALE, branch_path__startswith=crowd.upper.path)
    assert len(expected) > 40
    first = client.get("/members/", {"gender": Gender.MALE})
    text = first.content.decode()
    assert "Hơn 40 đảng viên khớp điều kiện" in text
    assert 'rel="next"' in text and "Sau ›" in text
    assert ids_on(first) == expected[:PAGE_SIZE]
    second = client.get("/members/", {"gender": Gender.MALE, "page": 2})
    assert ids_on(second) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    # few enough matches are still counted exactly
    assert "1 đảng viên" in client.get("/members/", {"q": crowd.member.code}).content.decode()


def test_a_cached_list_is_never_served_after_a_change(crowd, django_assert_max_num_queries):
    from dangvien.core.decisions import Decision
    from dangvien.members.services import transfer_member, update_member

    client = crowd.client(Role.OFFICER)
    first = client.get("/members/")
    with django_assert_max_num_queries(8):  # served from the cache: no member is read
        again = client.get("/members/")
    assert ids_on(again) == ids_on(first)
    table = again.content.decode().split('id="member-filters"')[1]
    assert table == first.content.decode().split('id="member-filters"')[1]
    admin = crowd.users[Role.ADMIN]
    update_member(admin, crowd.member, {"full_name": "Lê Đổi Tên A"})
    assert "Lê Đổi Tên A" in client.get("/members/").content.decode()
    crowd.branch.name = "Chi bộ Tổ Toán – Tin"
    crowd.branch.save()
    assert "Chi bộ Tổ Toán – Tin" in client.get("/members/").content.decode()
    transfer_member(admin, crowd.member, crowd.outside_branch, Decision(timezone.localdate()))
    assert crowd.member.pk not in ids_on(client.get("/members/", {"q": "doi ten"}))


def test_the_pager_reaches_the_last_page_in_one_click(crowd):
    """40 pages had only "previous" and "next" (issue 12): the pager names the first, the
    ones around this page and the last."""
    client = crowd.client(Role.OFFICER)
    pager = client.get("/members/").content.decode().split('class="pager"')[1].split("</nav>")[0]
    expected = name_order(branch_path__startswith=crowd.upper.path)
    last = -(-len(expected) // PAGE_SIZE)
    assert last >= 3
    assert 'aria-current="page">1<' in pager and f'page={last}">{last}<' in pager
    on_last = client.get("/members/", {"page": last})
    assert ids_on(on_last) == expected[(last - 1) * PAGE_SIZE :]


def test_the_list_sorts_by_a_column_on_the_server_and_pages_in_that_order(crowd):
    """Lists could not be sorted (issue 12): a column's heading sorts by it, again the other
    way; the pages and the export follow; the name order breaks ties."""
    client = crowd.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name", "code", "birth_date", "admitted_on"]})
    members = Member.unscoped.filter(
        branch_path__startswith=crowd.upper.path, status__in=["official", "probationary"]
    )
    by_code = list(members.order_by("code", "sort_key", "id").values_list("pk", flat=True))
    page = client.get("/members/", {"sort": "code"})
    assert ids_on(page) == by_code[:PAGE_SIZE]
    assert (
        ids_on(client.get("/members/", {"sort": "code", "page": 2}))
        == by_code[PAGE_SIZE : 2 * PAGE_SIZE]
    )
    heading = page.content.decode().split('aria-sort="ascending"')[1].split("</th>")[0]
    assert "sort=-code" in heading and "▲" in heading
    backwards = list(members.order_by("-code", "sort_key", "id").values_list("pk", flat=True))
    assert ids_on(client.get("/members/", {"sort": "-code"})) == backwards[:PAGE_SIZE]
    assert client.get("/members/", {"sort": "drop table"}).status_code == 400


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
@pytest.mark.parametrize("column", ["code", "birth_date", "admitted_on", "official_on"])
def test_each_column_sorts_both_ways_in_a_subtree_and_over_the_whole_tree(crowd, role, column):
    """The officer's subtree and the administrator's whole tree are ordered by different SQL
    (members.selectors.sort_order: a subtree does not walk the code index); the rows are the
    same either way, a missing official date last both ways."""
    from django.db.models import F

    client = crowd.client(role)
    scope = crowd.upper.path if role == Role.OFFICER else "/"
    members = Member.unscoped.filter(
        branch_path__startswith=scope, status__in=["official", "probationary"]
    )
    probationers = list(members.order_by("id").values_list("pk", flat=True)[::9])
    Member.unscoped.filter(pk__in=probationers).update(status="probationary", official_on=None)
    for descending in (False, True):
        key = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
        expected = list(members.order_by(key, "sort_key", "id").values_list("pk", flat=True))
        sort = f"-{column}" if descending else column
        pages = -(-len(expected) // PAGE_SIZE)
        seen = []
        for number in range(1, pages + 1):
            seen += ids_on(client.get("/members/", {"sort": sort, "page": number}))
        assert seen == expected, (role, sort)


def test_a_filtered_list_sorts_too(crowd):
    client = crowd.client(Role.OFFICER)
    women = Member.unscoped.filter(
        branch_path__startswith=crowd.upper.path,
        status__in=["official", "probationary"],
        gender=Gender.FEMALE,
    )
    expected = list(women.order_by("-admitted_on", "sort_key", "id").values_list("pk", flat=True))
    page = client.get("/members/", {"gender": Gender.FEMALE, "sort": "-admitted_on"})
    assert ids_on(page) == expected[:PAGE_SIZE]


def test_page_numbers_and_row_numbers_are_written_the_vietnamese_way(world):
    """«Trang 1.200/40.000» and «STT 59.951», as every other count: the list body prints them
    (the row numbers made with the table's rows)."""
    from django.template.loader import render_to_string

    from dangvien.members import columns
    from dangvien.members.selectors import MemberFilters, MemberPage

    page = MemberPage(number=1_200, ids=[], count=2_000_000, has_next=True, size=50)
    rows = table_rows(page, [(1, ["Nguyễn Văn An"])])
    html = render_to_string(
        "members/_list_body.html",
        {
            "page": page,
            "rows": rows,
            "filters": MemberFilters(),
            "columns": columns.chosen(None),
            "query": {},
        },
    )
    assert "2.000.000 đảng viên · trang 1.200/40.000" in html
    assert '<td class="num">59.951</td>' in html
    assert '<td><a href="/members/1/">Nguyễn Văn An</a></td>' in html
    assert ">1.201</a>" in html and ">40.000</a>" in html and "page=40000" in html
