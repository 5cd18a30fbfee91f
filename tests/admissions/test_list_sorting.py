"""Lists could not be sorted (issue 12): the candidate pool, the probationary members and both
card lists sort on the server by their columns, either way, in Vietnamese name order; the
pager and the filters keep the order; an order a list does not offer is a 400."""

import datetime

import pytest

from dangvien.admissions.candidates.services import create_candidate, record_awareness_class
from dangvien.admissions.models import AdmissionStepKind, CardEnd
from dangvien.admissions.procedure.services import record_admission_step
from dangvien.core.models import RuleSet
from dangvien.core.roles import Role
from tests.admissions.probation_steps import months_ago, probationary, today
from tests.admissions.test_cards import end, issue
from tests.factories import MemberFactory
from tests.sorted_tables import pager_links, query_of, table

CANDIDATES = "/admissions/candidates/"
PROBATION = "/admissions/probation/"
CARDS = "/admissions/cards/"
DAY = datetime.timedelta(days=1)


def names(client, url, table_id="candidates", column="Họ và tên", **query) -> list[str]:
    response = client.get(url, query)
    assert response.status_code == 200
    return table(response, table_id).column(column)


def both_ways(client, url, key, ascending, table_id, param="sort", **query) -> None:
    """The list sorted by `key` reads `ascending`, and by `-key` reads it back to front (rows
    tied on the column keep the name order both ways, so the expected lists say it)."""
    shown = names(client, url, table_id, **{param: key}, **query)
    assert shown == ascending[0], key
    shown = names(client, url, table_id, **{param: f"-{key}"}, **query)
    assert shown == ascending[1], f"-{key}"


# The candidate pool


def candidate(world, branch, full_name, *, born, selected_days_ago, citizen_id):
    return create_candidate(
        world.users[Role.OFFICER],
        organization=branch,
        values={
            "full_name": full_name,
            "gender": "Nam",
            "birth_date": born,
            "ethnicity": "Kinh",
            "citizen_id": citizen_id,
            "general_education": "12/12",
        },
        selected_on=today() - selected_days_ago * DAY,
    )


@pytest.fixture
def pool(world):
    """Đạt (Tổ Văn, in the pool), Dung (Tổ Toán, file under way), Em (Tổ Văn, attended the
    class): three orders that differ column by column. Vietnamese order puts Dung before Đạt,
    which code points do not."""
    officer = world.users[Role.OFFICER]
    candidate(
        world,
        world.other_branch,
        "Trần Văn Đạt",
        born=datetime.date(1998, 1, 1),
        selected_days_ago=600,
        citizen_id="001098000001",
    )
    dung = candidate(
        world,
        world.branch,
        "Lê Thị Dung",
        born=datetime.date(2000, 5, 5),
        selected_days_ago=500,
        citizen_id="001200000002",
    )
    em = candidate(
        world,
        world.other_branch,
        "Phạm Văn Em",
        born=datetime.date(1995, 3, 3),
        selected_days_ago=100,
        citizen_id="001095000003",
    )
    record_awareness_class(officer, dung, attended_on=today() - 200 * DAY)
    record_admission_step(officer, dung, AdmissionStepKind.APPLICATION, on=today() - 10 * DAY)
    record_awareness_class(officer, em, attended_on=today() - 90 * DAY)
    return world.client(Role.OFFICER)


DAT, DUNG, EM = "Trần Văn Đạt", "Lê Thị Dung", "Phạm Văn Em"


def test_the_candidate_pool_sorts_by_each_column_both_ways(pool):
    assert names(pool, CANDIDATES) == [DUNG, DAT, EM]  # its own order: the names
    orders = {
        "name": ([DUNG, DAT, EM], [EM, DAT, DUNG]),
        "birth": ([EM, DAT, DUNG], [DUNG, DAT, EM]),
        "branch": ([DUNG, DAT, EM], [DAT, EM, DUNG]),  # Tổ Toán, then Tổ Văn
        "selected": ([DAT, DUNG, EM], [EM, DUNG, DAT]),
        "class": ([DUNG, EM, DAT], [EM, DUNG, DAT]),  # not attended: last either way
        "stage": ([DAT, EM, DUNG], [DUNG, EM, DAT]),  # in the procedure's order
    }
    for key, expected in orders.items():
        both_ways(pool, CANDIDATES, key, expected, "candidates")


def test_the_candidate_headings_say_the_order_and_sort_the_other_way(pool):
    shown = table(pool.get(CANDIDATES, {"sort": "birth", "stage": "all"}), "candidates")
    birth = shown.heading("Ngày sinh")
    assert (birth.state, birth.text) == ("ascending", "Ngày sinh ▲")
    assert query_of(birth.href) == {"sort": ["-birth"], "stage": ["all"]}
    assert shown.heading("Họ và tên").state == ""
    assert query_of(shown.heading("Họ và tên").href) == {"stage": ["all"]}  # its own order
    assert shown.heading("Đơn vị công tác, học tập").href == ""  # free text: not sorted
    back = table(pool.get(CANDIDATES, {"sort": "-birth"}), "candidates").heading("Ngày sinh")
    assert (back.state, back.text, query_of(back.href)) == (
        "descending",
        "Ngày sinh ▼",
        {"sort": ["birth"]},
    )
    own = table(pool.get(CANDIDATES), "candidates").heading("Họ và tên")
    assert (own.state, query_of(own.href)) == ("ascending", {"sort": ["-name"]})


def test_the_candidate_pager_and_filters_keep_the_order(world, pool):
    for number in range(50):
        candidate(
            world,
            world.branch,
            f"Võ Văn Thêm {number:02d}",
            born=datetime.date(2001, 1, 1) + number * DAY,
            selected_days_ago=50,
            citizen_id=f"00120100{number:04d}",
        )
    response = pool.get(CANDIDATES, {"sort": "-birth", "q": "van"})
    links = pager_links(response)
    assert links and all(query_of(link)["sort"] == ["-birth"] for link in links)
    assert all(query_of(link)["q"] == ["van"] for link in links)
    page = response.content.decode()
    assert '<input type="hidden" name="sort" value="-birth">' in page  # the filter form
    second = names(pool, CANDIDATES, sort="-birth", page=2)
    assert second == [DUNG, DAT, EM]  # the three oldest, after the 50 youngest
    assert pool.get(CANDIDATES, {"sort": "citizen_id"}).status_code == 400
    assert pool.get(CANDIDATES, {"sort": "--name"}).status_code == 400


# Probation


@pytest.fixture
def probationers(world):
    """Đạt admitted first but his ceremony a month later; Dung admitted after him, no ceremony
    recorded (counted from the decision), so her probation ends first; Em admitted lately."""
    probationary(
        world,
        months_ago(8),
        branch=world.other_branch,
        full_name=DAT,
        ceremony_on=months_ago(7),
    )
    probationary(world, months_ago(7, days=15), full_name=DUNG)
    probationary(world, months_ago(3), full_name=EM, ceremony_on=months_ago(2))
    return world.client(Role.OFFICER)


def test_the_probation_list_sorts_by_each_column_both_ways(probationers):
    client = probationers
    assert names(client, PROBATION, "probationary") == [DAT, DUNG, EM]  # admitted first
    orders = {
        "name": ([DUNG, DAT, EM], [EM, DAT, DUNG]),
        "branch": ([DUNG, EM, DAT], [DAT, DUNG, EM]),
        "admitted": ([DAT, DUNG, EM], [EM, DUNG, DAT]),
        "ceremony": ([DAT, EM, DUNG], [EM, DAT, DUNG]),  # none recorded: last either way
        "end": ([DUNG, DAT, EM], [EM, DAT, DUNG]),  # from the ceremony, else the decision
    }
    for key, expected in orders.items():
        both_ways(client, PROBATION, key, expected, "probationary")
    ends = table(client.get(PROBATION, {"sort": "end"}), "probationary").column("Hết dự bị")
    assert ends == sorted(ends, key=lambda day: datetime.datetime.strptime(day, "%d/%m/%Y"))


def test_the_probation_end_sorts_in_the_database_across_rule_sets(world):
    """A shorter probation from a later rule set: a member who started later ends first, and
    the database order says so (not the start's order)."""
    RuleSet.objects.create(
        name="Quy định thử nghiệm", effective_from=months_ago(4), values={"probation_months": 6}
    )
    probationary(world, months_ago(5), full_name=DAT)  # 12 months: ends in 7 months
    probationary(world, months_ago(3), full_name=DUNG)  # 6 months: ends in 3 months
    probationary(world, months_ago(2, days=-10), full_name=EM)  # 6 months: in 4 months
    client = world.client(Role.OFFICER)
    assert names(client, PROBATION, "probationary", sort="end") == [DUNG, EM, DAT]
    assert names(client, PROBATION, "probationary", sort="-end") == [DAT, EM, DUNG]
    assert names(client, PROBATION, "probationary") == [DAT, DUNG, EM]


def test_the_probation_headings_summary_pager_and_filters_keep_the_order(world, probationers):
    client = probationers
    response = client.get(PROBATION, {"sort": "-end", "org": world.base.code})
    shown = table(response, "probationary")
    ends = shown.heading("Hết dự bị")
    assert (ends.state, ends.text) == ("descending", "Hết dự bị ▼")
    assert query_of(ends.href) == {"sort": ["end"], "org": [world.base.code]}
    assert shown.heading("Hạn xét").href == ""
    own = table(client.get(PROBATION), "probationary").heading("Ngày vào Đảng")
    assert (own.state, query_of(own.href)) == ("ascending", {"sort": ["-admitted"]})
    page = response.content.decode()
    assert f'href="?show=due&amp;org={world.base.code}&amp;sort=-end"' in page  # the summary
    assert 'form="probation-filters" name="sort" value="-end"' in page  # the filter bar
    for number in range(50):
        probationary(world, today() - number * DAY, full_name=f"Võ Văn Thêm {number:02d}")
    links = pager_links(client.get(PROBATION, {"sort": "-end", "show": ""}))
    assert links and all(query_of(link)["sort"] == ["-end"] for link in links)
    assert names(client, PROBATION, "probationary", sort="-end", page=2) == [EM, DAT, DUNG]
    assert client.get(PROBATION, {"sort": "deadline"}).status_code == 400


# Party cards


@pytest.fixture
def cards(world):
    """Waiting: Đạt (never had a card), Dung (lost hers), Em (damaged his). Issued: An and
    Bình's cards in use, Dung's and Em's ended."""
    client = world.client(Role.OFFICER)
    MemberFactory(branch=world.other_branch, full_name=DAT, official_on=datetime.date(2015, 1, 1))
    dung = MemberFactory(full_name=DUNG, branch=world.branch, official_on=datetime.date(2018, 1, 1))
    em = MemberFactory(full_name=EM, branch=world.branch, official_on=datetime.date(2012, 1, 1))
    issue(client, world.member, "33330001", on=datetime.date(2020, 1, 1))
    issue(client, world.other_member, "11110002", on=datetime.date(2021, 1, 1))
    issue(client, dung, "22220001", on=datetime.date(2019, 1, 1))
    issue(client, em, "11110001", on=datetime.date(2022, 1, 1))
    end(client, dung, CardEnd.LOST, on=datetime.date(2024, 1, 1))
    end(client, em, CardEnd.DAMAGED, on=datetime.date(2023, 6, 1))
    return client


AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"


def test_the_waiting_list_sorts_by_each_column_both_ways(cards):
    assert names(cards, CARDS, "waiting") == [EM, DAT, DUNG]  # the longest waiting first
    orders = {
        "name": ([DUNG, DAT, EM], [EM, DAT, DUNG]),
        "branch": ([DUNG, EM, DAT], [DAT, DUNG, EM]),
        "official": ([EM, DAT, DUNG], [DUNG, DAT, EM]),
        "kind": ([DAT, DUNG, EM], [EM, DUNG, DAT]),  # first card, lost, damaged
    }
    for key, expected in orders.items():
        both_ways(cards, CARDS, key, expected, "waiting")


def test_the_issued_cards_sort_by_each_column_both_ways(cards):
    assert names(cards, CARDS, "issued") == [EM, BINH, AN, DUNG]  # the most recent first
    orders = {
        "number": ([EM, BINH, DUNG, AN], [AN, DUNG, BINH, EM]),
        "name": ([AN, BINH, DUNG, EM], [EM, DUNG, BINH, AN]),
        # Within a branch, the list's own order: the newest card first.
        "branch": ([EM, DUNG, AN, BINH], [BINH, EM, DUNG, AN]),
        "issued": ([DUNG, AN, BINH, EM], [EM, BINH, AN, DUNG]),
        # In use first (the newest card first), then ended, the earliest ended first.
        "state": ([BINH, AN, EM, DUNG], [DUNG, EM, BINH, AN]),
    }
    for key, expected in orders.items():
        both_ways(cards, CARDS, key, expected, "issued", param="isort")


def test_the_two_card_lists_keep_their_own_order_and_page(world, cards):
    query = {"sort": "-name", "isort": "number", "ipage": "1", "kind": ""}
    response = cards.get(CARDS, query)
    assert table(response, "waiting").column("Họ và tên") == [EM, DAT, DUNG]
    assert table(response, "issued").column("Họ và tên") == [EM, BINH, DUNG, AN]
    waiting = table(response, "waiting").heading("Họ và tên")
    assert (waiting.state, query_of(waiting.href)) == (
        "descending",
        {"isort": ["number"], "ipage": ["1"], "kind": [""], "sort": ["name"]},
    )
    issued = table(response, "issued").heading("Số thẻ")
    assert (issued.state, issued.text) == ("ascending", "Số thẻ ▲")
    assert query_of(issued.href) == {"sort": ["-name"], "kind": [""], "isort": ["-number"]}
    own = table(cards.get(CARDS), "issued").heading("Ngày cấp")
    assert (own.state, query_of(own.href)) == ("descending", {"isort": ["issued"]})
    page = response.content.decode()
    assert 'form="card-filters" name="sort" value="-name"' in page
    assert 'form="card-filters" name="isort" value="number"' in page
    for number in range(50):
        MemberFactory(branch=world.branch, full_name=f"Võ Văn Thêm {number:02d}")
    links = pager_links(cards.get(CARDS, query))
    assert links and all(
        query_of(link)["sort"] == ["-name"] and query_of(link)["isort"] == ["number"]
        for link in links
    )
    assert cards.get(CARDS, {"isort": "official"}).status_code == 400
    assert cards.get(CARDS, {"sort": "number"}).status_code == 400


def test_a_bad_order_is_said_in_vietnamese(world):
    response = world.client(Role.OFFICER).get(CARDS, {"sort": "x"})
    assert response.status_code == 400
    assert "Sắp xếp: “x” không phải là một lựa chọn của trang." in response.content.decode()
