"""The officer follows a round: figures per organisation below, counted in SQL."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvien.assessments import services
from dangvien.assessments.models import Grade, NotGraded
from dangvien.core.roles import Role
from tests.assessments.workflow import open_round, propose, table_rows, this_year
from tests.factories import MemberFactory


def _url(round_, org=None):
    url = reverse("assessments:round", args=[round_.pk])
    return f"{url}?org={org.code}" if org else url


def _stats(response) -> list[str]:
    page = response.content.decode().split('id="totals"')[1].split("</div>\n</div>")[0]
    return [part.split("<")[0] for part in page.split('class="stat-value">')[1:]]


def test_progress_per_branch(world):
    round_ = open_round(world)
    absent = MemberFactory(branch=world.branch)
    services.submit_self_assessment(world.users[Role.MEMBER], this_year(), "tot", "Bản tự kiểm")
    propose(
        world,
        {world.member: {"grade": Grade.GOOD}, absent: {"not_graded": NotGraded.OTHER}},
    )
    decisions = {world.member.pk: {"grade": "tot"}, absent.pk: {"not_graded": "other"}}
    services.decide_grades(world.users[Role.OFFICER], world.base, this_year(), decisions)

    response = world.client(Role.OFFICER).get(_url(round_, world.base))
    assert _stats(response) == ["3", "1", "2", "2", "1", "1"]
    rows = table_rows(response, "progress")
    assert rows[1][:7] == ["Chi bộ Tổ Toán", "2", "1", "2", "2", "1", "0"]
    assert rows[2][:7] == ["Chi bộ Tổ Văn", "1", "0", "0", "0", "0", "1"]
    assert [rows[1][7], rows[2][7]] == ["100%", "0%"]  # the progress bars' text
    assert "Xếp loại nhanh" in rows[1][8]
    page = response.content.decode()
    assert "Quyết định xếp loại" in page  # the base's own screen
    assert "Xếp loại tổ chức trực thuộc" in page


def test_the_query_count_does_not_grow_with_members(world):
    round_ = open_round(world)
    client = world.client(Role.OFFICER)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(round_)).status_code == 200
        return len(queries)

    count_queries()  # a first request does the session's once-a-minute work (last seen, menu)
    few = count_queries()
    for branch in (world.branch, world.other_branch):
        members = MemberFactory.create_batch(30, branch=branch)
        propose(world, {m: {"grade": Grade.GOOD} for m in members}, branch=branch)
    assert count_queries() == few


def test_a_secretary_sees_their_branch_in_a_round_opened_above(world):
    round_ = open_round(world)
    response = world.client(Role.SECRETARY).get(_url(round_))
    page = response.content.decode()
    assert f"Đánh giá năm {this_year()} – {world.branch.name}" in page
    assert world.other_branch.name not in page
    assert world.other_member.full_name not in page
    assert _stats(response)[0] == "1"
    # Asking for another branch by code falls back to the secretary's own.
    other = world.client(Role.SECRETARY).get(_url(round_, world.other_branch))
    assert world.other_branch.name not in other.content.decode()


def test_the_index_lists_the_rounds_and_the_secretary_s_branch(world):
    open_round(world)
    page = world.client(Role.SECRETARY).get("/assessments/").content.decode()
    units = page.split('id="my-units"')[1].split("</section>")[0]
    assert world.branch.name in units
    assert reverse("assessments:branch", args=[world.branch.code, this_year()]) in units
