"""The results screen opened by two officers (or submitted twice): each learner's row carries
the version it read, so the second save is refused naming the result recorded in between and
nothing is recorded twice; the rows' versions are read in one query; a learner who moved out of
the officer's scope since the course is still listed, without their personal details."""

import datetime
import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.services import transfer_member
from dangvien.training.models import Participant
from tests.factories import MemberFactory
from tests.training.test_results import _add, _rows
from tests.training.worlds import course


def _class(world, officer, *members):
    new = course(world)
    for member in members:
        assert _add(officer, new.pk, member.code).status_code == 302
    return new, list(Participant.unscoped.filter(course=new).order_by("pk"))


def test_the_second_officer_saving_the_same_result_is_refused(world):
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    new, (learner,) = _class(world, first, world.member)
    url = f"/training/course/{new.pk}/results/"
    seen_first, seen_second = _rows(first, new.pk), _rows(second, new.pk)

    assert first.post(url, seen_first | {f"p{learner.pk}-result": "kha"}).status_code == 302
    response = second.post(url, seen_second | {f"p{learner.pk}-result": "gioi"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Kết quả của Nguyễn Văn An đã được" in page and "sau khi bạn mở trang" in page
    assert world.users[Role.OFFICER].full_name in page
    learner.refresh_from_db()
    assert learner.result == "kha"
    # The first officer's double click: refused too, recorded once.
    again = first.post(url, seen_first | {f"p{learner.pk}-result": "kha"})
    assert again.status_code == 400 and "sau khi bạn mở trang" in html.unescape(
        again.content.decode()
    )
    assert AuditEntry.unscoped.filter(action__startswith="training.result").count() == 1


def test_a_row_left_blank_on_a_stale_page_names_the_change_and_saves_nothing(world):
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    new, (one, other) = _class(world, first, world.member, world.other_member)
    url = f"/training/course/{new.pk}/results/"
    seen_second = _rows(second, new.pk)
    assert first.post(url, _rows(first, new.pk) | {f"p{one.pk}-result": "kha"}).status_code == 302

    # The second officer fills the other learner; the first row still shows no result.
    response = second.post(url, seen_second | {f"p{other.pk}-result": "gioi"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Kết quả của Nguyễn Văn An đã được" in page
    assert "Không xóa kết quả đã ghi" not in page  # the result was not cleared: it is new
    one.refresh_from_db(), other.refresh_from_db()
    assert (one.result, other.result) == ("kha", "")  # the whole screen rolled back


def test_the_rows_versions_are_read_in_one_query(world):
    officer = world.client(Role.OFFICER)
    few = [world.member, world.other_member]
    many = few + [MemberFactory(branch=world.other_branch) for _ in range(5)]
    small, _ = _class(world, officer, *few)
    large, _ = _class(world, officer, *many)

    def queries(pk) -> int:
        with CaptureQueriesContext(connection) as context:
            assert officer.get(f"/training/course/{pk}/").status_code == 200
        return len(context.captured_queries)

    queries(small.pk)  # the session and the caches warmed up
    assert queries(large.pk) == queries(small.pk)


def test_a_learner_moved_out_of_the_scope_is_listed_without_personal_details(world):
    officer = world.client(Role.OFFICER)
    new, (moved, stays) = _class(world, officer, world.member, world.other_member)
    url = f"/training/course/{new.pk}/results/"
    data = _rows(officer, new.pk) | {f"p{moved.pk}-result": "kha"}
    assert officer.post(url, data).status_code == 302
    opened_before = _rows(officer, new.pk)
    transfer_member(
        world.users[Role.ADMIN],
        world.member,
        world.outside_branch,
        Decision(timezone.localdate() - datetime.timedelta(days=1), "5-QĐ", reason="Chuyển"),
    )

    for role in (Role.OFFICER, Role.INSPECTOR):
        response = world.client(role).get(f"/training/course/{new.pk}/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Học viên và kết quả (2)" in page  # the class as it was
        row = page.split(f'id="participant-{moved.pk}"')[1].split("</tr>")[0]
        assert "Học viên đã chuyển ra ngoài phạm vi của bạn" in row and "Khá" in row
        assert world.member.full_name not in row and world.member.code not in row
        assert f"p{moved.pk}-" not in page  # no form for that learner
        assert "Trần Thị Bình" in page

    # A page opened before the move, changing that learner's result: refused, saying why.
    stale = opened_before | {f"p{moved.pk}-result": "gioi", f"p{stays.pk}-result": "gioi"}
    response = officer.post(url, stale)
    assert response.status_code == 400
    assert "1 học viên đã chuyển ra ngoài phạm vi của bạn sau khi bạn mở trang" in (
        html.unescape(response.content.decode())
    )
    assert Participant.unscoped.get(pk=stays.pk).result == ""
    # The others' results are still recorded; the learner outside is left as it is.
    data = _rows(officer, new.pk) | {f"p{stays.pk}-result": "gioi"}
    assert officer.post(url, data).status_code == 302
    moved.refresh_from_db(), stays.refresh_from_db()
    assert (moved.result, stays.result) == ("kha", "gioi")
