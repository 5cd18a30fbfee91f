"""A page deep in the member list is read from a page mark (members/paging.py), not past every
member before it: each page holds the same members in the same name order as the database's
order gives (namesakes by id), after a change too, and no page skips more than a mark's span."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvien.core.roles import Role
from dangvien.members import paging
from dangvien.members.models import Member, Status
from dangvien.members.views import PAGE_SIZE
from tests.factories import MemberFactory
from tests.members.test_member_list_paging import crowd, ids_on, name_order

__all__ = ["crowd"]  # the fixture: 130 members of a few names, namesakes among them

MARK_EVERY = 7  # marks every 7 members: pages 2 and 3 begin between two marks


@pytest.fixture
def marks(monkeypatch):
    monkeypatch.setattr(paging, "MARK_EVERY", MARK_EVERY)


def expected_for(crowd, role) -> list[int]:
    scope = crowd.upper.path if role == Role.OFFICER else "/"
    in_scope = set(
        Member.unscoped.filter(branch_path__startswith=scope).values_list("pk", flat=True)
    )
    return [pk for pk in name_order() if pk in in_scope]


def pages_of(client, pages: int, order) -> list[int]:
    seen: dict[int, list[int]] = {}
    for number in order:
        seen[number] = ids_on(client.get("/members/", {"page": number}))
    return [pk for number in range(1, pages + 1) for pk in seen[number]]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
def test_every_page_read_from_its_mark_holds_its_share_of_the_name_order(crowd, marks, role):
    client = crowd.client(role)
    expected = expected_for(crowd, role)
    assert len({Member.unscoped.get(pk=pk).sort_key for pk in expected}) < len(expected)
    pages = -(-len(expected) // PAGE_SIZE)
    assert pages >= 3
    # The last page first (read from the end, no marks yet), then a middle one (counts the
    # marks), then every page again from them.
    assert pages_of(client, pages, [pages, 2, *range(1, pages + 1)]) == expected


def test_no_page_passes_more_than_a_marks_span(crowd, marks):
    client = crowd.client(Role.ADMIN)
    client.get("/members/", {"page": 2})  # the marks are counted
    with CaptureQueriesContext(connection) as queries:
        client.get("/members/", {"page": 3})
    offsets = [
        int(sql.split(" OFFSET ")[1].split()[0])
        for sql in (query["sql"] for query in queries.captured_queries)
        if " OFFSET " in sql
    ]
    assert offsets and max(offsets) < MARK_EVERY


def test_the_marks_and_the_total_are_counted_again_after_a_change(crowd, marks):
    client = crowd.client(Role.ADMIN)
    expected = expected_for(crowd, Role.ADMIN)
    pages = -(-len(expected) // PAGE_SIZE)
    assert pages_of(client, pages, [2, *range(1, pages + 1)]) == expected
    # A member whose name sorts first moves every later page along by one.
    MemberFactory(full_name="Lê Văn A", branch=crowd.branch)
    gone = Member.unscoped.get(pk=expected[PAGE_SIZE + 3])  # and one of page 2 leaves it
    gone.status = Status.DECEASED
    gone.save()
    expected = expected_for(crowd, Role.ADMIN)
    assert pages_of(client, pages, range(1, pages + 1)) == expected
    # The total kept under the data version is counted again too (the same before: one in,
    # one out; then one more in).
    MemberFactory(full_name="Lê Văn B", branch=crowd.other_branch)
    text = client.get("/members/", {"page": 2}).content.decode()
    assert f"{len(expected) + 1} đảng viên · trang 2/" in text
