"""Every count of the round page opens the list of its members, paged and sorted on the server,
within the user's scope and the organisation clicked; a count and its list always agree
(issue 12: «every count shown has its list»; review gap 17)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvien.assessments import services
from dangvien.assessments.models import Grade, MemberAssessment, NotGraded
from dangvien.core.roles import Role
from dangvien.members.models import ACTIVE_STATUSES, Member, Status
from tests.assessments.workflow import (
    branch_url,
    member_with_account,
    open_round,
    propose,
    table_rows,
    this_year,
)
from tests.factories import MemberFactory

STATES = [
    "members",
    "self_assessed",
    "not_self_assessed",
    "proposed",
    "not_proposed",
    "decided",
    "not_graded",
    "pending",
    "excellent",
    "good",
    "completed",
    "not_completed",
]


def _imported(member, year, **outcome):
    return MemberAssessment.unscoped.create(
        member=member,
        year=year,
        branch=member.branch,
        branch_path=member.branch_path,
        imported=True,
        **outcome,
    )


@pytest.fixture
def graded(world):
    """Members of both branches in every state of the year, and some the round never counts."""
    round_ = open_round(world)
    officer = world.users[Role.OFFICER]
    year = this_year()
    ill = MemberFactory(branch=world.branch, full_name="Đỗ Thị Ốm")
    waiting = MemberFactory(branch=world.branch, full_name="Phạm Văn Chờ")
    writer = member_with_account(world.other_branch, "viet", full_name="Lê Văn Viết")
    silent = MemberFactory(branch=world.other_branch, full_name="Hà Thị Lặng")
    best = MemberFactory(branch=world.other_branch, full_name="Vũ Văn Giỏi")
    weak = MemberFactory(branch=world.other_branch, full_name="Tô Văn Yếu")
    left = MemberFactory(branch=world.branch, full_name="Ngô Văn Nghỉ", status=Status.RESIGNED)
    last_year = MemberFactory(branch=world.branch, full_name="Lý Văn Cũ")

    services.submit_self_assessment(world.users[Role.MEMBER], year, Grade.GOOD, "Bản tự kiểm")
    services.submit_self_assessment(writer.user, year, Grade.EXCELLENT, "Bản của Viết")
    propose(
        world,
        {
            world.member: {"grade": Grade.GOOD},
            ill: {"not_graded": NotGraded.OTHER},
            waiting: {"grade": Grade.COMPLETED},
        },
    )
    decisions = {world.member.pk: {"grade": "tot"}, ill.pk: {"not_graded": "other"}}
    services.decide_grades(officer, world.base, year, decisions)
    _imported(best, year, grade=Grade.EXCELLENT)
    _imported(weak, year, grade=Grade.NOT_COMPLETED)
    _imported(left, year, grade=Grade.GOOD)  # no longer a member: counted nowhere
    _imported(last_year, year - 1, grade=Grade.GOOD)  # another year
    _imported(world.outside_member, year, grade=Grade.GOOD)  # outside the round
    names = {
        m.pk: m.full_name
        for m in (world.member, ill, waiting, writer, silent, best, weak, world.other_member)
    }
    names[last_year.pk] = last_year.full_name
    everyone = set(names.values())
    expected = {
        "members": everyone,
        "self_assessed": {world.member.full_name, writer.full_name},
        "proposed": {world.member.full_name, ill.full_name, waiting.full_name},
        "decided": {world.member.full_name, ill.full_name, best.full_name, weak.full_name},
        "not_graded": {ill.full_name},
        "excellent": {best.full_name},
        "good": {world.member.full_name},
        "completed": set(),
        "not_completed": {weak.full_name},
    }
    expected["not_self_assessed"] = everyone - expected["self_assessed"]
    expected["not_proposed"] = everyone - expected["proposed"]
    expected["pending"] = everyone - expected["decided"]
    return round_, expected


def _round_page(client, round_, org=None):
    url = reverse("assessments:round", args=[round_.pk])
    response = client.get(url, {"org": org.code} if org else {})
    assert response.status_code == 200
    return response.content.decode()


def _link(page: str, element_id: str) -> tuple[str, int]:
    """The href of the count `element_id` and the number it shows."""
    match = re.search(rf'id="{element_id}"[^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert match, f"the count {element_id} is not a link"
    number = re.sub(r"<[^>]+>", " ", match.group(2)).split()[0]
    return unescape(match.group(1)), int(number.replace(".", ""))


def _listed(client, url: str) -> tuple[int, list[str], object]:
    response = client.get(url)
    assert response.status_code == 200
    count = response.content.decode().split('id="list-count">')[1].split("<")[0]
    names = [row[1] for row in table_rows(response, "round-members")[1:]]
    return int(count.replace(".", "")), names, response


@pytest.mark.parametrize("state", STATES)
def test_each_count_of_the_round_opens_its_list(world, graded, state):
    round_, expected = graded
    client = world.client(Role.OFFICER)
    url, shown = _link(_round_page(client, round_), f"count-{state}")
    assert url.startswith(reverse("assessments:round-members", args=[round_.pk]))
    count, names, _response = _listed(client, url)
    assert shown == count == len(names) == len(expected[state])
    assert set(names) == expected[state]


COLUMNS = ["members", "self_assessed", "proposed", "decided", "not_graded", "pending"]


@pytest.mark.parametrize("column", range(1, 7))
def test_each_count_of_an_organisation_below_opens_its_list(world, graded, column):
    round_, expected = graded
    client = world.client(Role.OFFICER)
    page = _round_page(client, round_, world.base)
    row = page.split('id="progress"')[1].split(f">{world.other_branch.name}</a>")[1]
    cell = row.split('<td class="num"')[column].split("</td>")[0]
    url = unescape(re.search(r'href="([^"]+)"', cell).group(1))
    shown = int(re.sub(r"<[^>]+>", "", cell.split(">", 1)[1]).strip().replace(".", ""))
    count, names, _response = _listed(client, url)
    assert f"?org={world.other_branch.code}" in url
    assert shown == count == len(names)
    assert set(names) == expected[COLUMNS[column - 1]] & _branch_names(world.other_branch)


def test_the_list_pages_and_sorts_on_the_server(world):
    round_ = open_round(world)
    MemberFactory.create_batch(54, branch=world.branch)  # 56 members below the base
    client = world.client(Role.OFFICER)
    url = reverse("assessments:round-members", args=[round_.pk])
    query = {"org": world.base.code, "state": "pending", "sort": "name"}
    first = client.get(url, query)
    second = client.get(url, {**query, "page": 2})
    names = [row[1] for row in table_rows(first, "round-members")[1:]]
    rest = [row[1] for row in table_rows(second, "round-members")[1:]]
    assert (len(names), len(rest)) == (50, 6)
    assert not set(names) & set(rest)
    assert table_rows(second, "round-members")[1][0] == "51"  # the number goes on
    assert "Trang 2/2 · 56 mục" in " ".join(second.content.decode().split())
    backwards = client.get(url, {**query, "sort": "-name"})
    assert [row[1] for row in table_rows(backwards, "round-members")[1:]][:6] == rest[::-1]
    heading = table_rows(first, "round-members")[0]
    assert heading[1].startswith("Họ và tên") and "▲" in heading[1]
    assert client.get(url, {**query, "sort": "tuoi"}).status_code == 400
    assert client.get(url, {**query, "state": "tat_ca"}).status_code == 400


def test_the_result_order_puts_the_best_first_and_no_result_last(world, graded):
    round_, _expected = graded
    client = world.client(Role.OFFICER)
    url = reverse("assessments:round-members", args=[round_.pk])
    rows = table_rows(client.get(url, {"sort": "result"}), "round-members")[1:]
    results = [row[6] for row in rows]
    assert results[:4] == ["Xuất sắc", "Tốt", "Không hoàn thành", "Không xếp loại: Lý do khác"]
    assert set(results[4:]) == {"Chưa có kết quả"}
    backwards = table_rows(client.get(url, {"sort": "-result"}), "round-members")[1:]
    assert [row[6] for row in backwards][:4] == results[:4][::-1]  # no result stays last


def test_the_list_stays_within_the_scope(world, graded):
    round_, expected = graded
    url = reverse("assessments:round-members", args=[round_.pk])
    secretary = world.client(Role.SECRETARY)
    _count, names, _response = _listed(secretary, url)
    assert set(names) == _branch_names(world.branch)
    assert secretary.get(url, {"org": world.other_branch.code}).status_code == 404
    assert secretary.get(url, {"org": world.upper.code}).status_code == 404
    assert world.client("outside_officer").get(url).status_code == 404
    assert world.client(Role.MEMBER).get(url).status_code == 403
    inspector_names = _listed(world.client(Role.INSPECTOR), url)[1]
    assert set(inspector_names) == expected["members"]
    assert all("NGOAIPHAMVI" not in name for name in inspector_names)


def _branch_names(branch) -> set[str]:
    members = Member.unscoped.filter(branch=branch, status__in=ACTIVE_STATUSES)
    return set(members.values_list("full_name", flat=True))


def test_the_query_count_does_not_grow_with_the_page(world):
    round_ = open_round(world)
    client = world.client(Role.OFFICER)
    url = reverse("assessments:round-members", args=[round_.pk])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"state": "proposed"}).status_code == 200
        return len(queries)

    propose(world, {world.member: {"grade": Grade.GOOD}})
    count_queries()
    few = count_queries()
    members = MemberFactory.create_batch(30, branch=world.branch)
    propose(world, {m: {"grade": Grade.GOOD} for m in members})
    assert count_queries() == few


def test_thousands_are_written_the_vietnamese_way(world):
    """1.001 members without a result: the round page, its list and the lock page say «1.001»."""
    round_ = open_round(world)
    many = MemberFactory.build_batch(999, branch=world.branch)
    Member.unscoped.bulk_create(many)
    client = world.client(Role.OFFICER)
    page = _round_page(client, round_)
    assert _link(page, "count-pending")[1] == 1001
    assert ">1.001</span>" in page
    count = _listed(client, _link(page, "count-pending")[0])[0]
    assert count == 1001
    lock = client.get(reverse("assessments:close", args=[round_.pk])).content.decode()
    assert "Còn 1.001 đảng viên chưa có kết quả xếp loại" in lock


def test_the_branch_screen_s_counts_open_their_lists(world, graded):
    _round, expected = graded
    client = world.client(Role.SECRETARY)
    page = client.get(branch_url(world.branch)).content.decode()
    tiles = re.findall(
        r'<a class="stat" href="([^"]+)"><span class="stat-value">([^<]+)</span>', page
    )
    assert len(tiles) == 4
    for url, shown in tiles:
        count, names, _response = _listed(client, unescape(url))
        state = re.search(r"state=(\w+)", url).group(1)
        assert int(shown.replace(".", "")) == count == len(names)
        assert set(names) == expected[state] & _branch_names(world.branch)
