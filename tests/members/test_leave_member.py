"""Resignation, removal, expulsion or death: a page that says what it changes and asks for the
reason, then the action; nothing is deleted, and the record is found among those who left."""

import datetime

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members import services
from dangvien.members.models import Member, MemberEvent, Placement, Status


def leave_url(member) -> str:
    return f"/members/{member.pk}/leave/"


def fresh(member) -> Member:
    return Member.unscoped.get(pk=member.pk)


def test_the_record_links_to_a_page_that_says_what_leaving_changes(world):
    client = world.client(Role.OFFICER)
    record = client.get(f"/members/{world.member.pk}/").content.decode()
    assert f'id="leave-link" href="{leave_url(world.member)}"' in record

    response = client.get(leave_url(world.member))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn An (Chính thức, Chi bộ Tổ Toán) chuyển sang hình thức" in page
    assert "không còn trong danh sách đảng viên đang sinh hoạt" in page
    branch_list = f"/members/?org={world.branch.code}"
    assert f'chi bộ có <a href="{branch_list}">1 đảng viên đang sinh hoạt</a>, còn 0' in page
    assert f'<a href="{branch_list}&amp;status=left">«Đã ra khỏi Đảng, từ trần»</a>' in page
    assert "Tài khoản đăng nhập của đảng viên vẫn còn" in page  # An signs in as a member
    assert "«Hủy việc ra khỏi Đảng»" in page
    assert 'name="reason"' in page and "Xác nhận ghi nhận" in page
    assert fresh(world.member).status == Status.OFFICIAL


def test_without_a_reason_nothing_changes_and_the_input_is_kept(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        leave_url(world.member),
        {"status": Status.DECEASED, "effective_on": "10/10/2024", "decision_number": "5-TB"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa ghi nhận:" in page
    assert 'value="10/10/2024"' in page and 'value="5-TB"' in page
    member = fresh(world.member)
    assert (member.status, member.left_on) == (Status.OFFICIAL, None)
    assert Placement.objects.get(member=member).end is None
    assert not AuditEntry.unscoped.filter(action="member.leave").exists()


def test_with_a_reason_the_member_leaves_and_the_history_says_why(world):
    client = world.client(Role.OFFICER)
    reason = "Từ trần ngày 10/10/2024 (giấy báo tử của UBND phường)."
    response = client.post(
        leave_url(world.member),
        {"status": Status.DECEASED, "effective_on": "10/10/2024", "reason": reason},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã ghi nhận vào hồ sơ của Nguyễn Văn An; hồ sơ vẫn được giữ." in page
    assert "Nguyễn Văn An" in page and 'id="reinstate-link"' in page
    member = fresh(world.member)
    assert (member.status, member.left_on) == (Status.DECEASED, datetime.date(2024, 10, 10))
    assert Placement.objects.get(member=member).end == datetime.date(2024, 10, 10)
    entry = AuditEntry.unscoped.get(action="member.leave", target_id=member.pk)
    assert entry.reason == reason and entry.actor == world.users[Role.OFFICER]
    assert MemberEvent.objects.get(member=member, kind="deceased").reason == reason
    listing = client.get("/members/", {"status": "left"}).content.decode()
    assert "Nguyễn Văn An" in listing.split('id="members"')[1]


def test_the_service_refuses_a_leaving_without_a_reason(world):
    with pytest.raises(DomainError, match="Hãy ghi lý do, căn cứ của việc ra khỏi Đảng"):
        services.end_membership(
            world.users[Role.OFFICER],
            world.member,
            Status.RESIGNED,
            Decision(datetime.date(2024, 10, 10), reason="   "),
        )
    assert fresh(world.member).status == Status.OFFICIAL


def test_a_member_who_left_is_not_asked_again(world):
    services.end_membership(
        world.users[Role.OFFICER],
        world.member,
        Status.RESIGNED,
        Decision(datetime.date(2024, 10, 10), reason="Đơn xin ra khỏi Đảng"),
    )
    response = world.client(Role.OFFICER).get(leave_url(world.member), follow=True)
    assert "không còn sinh hoạt đảng (Xin ra khỏi Đảng)" in response.content.decode()
    assert AuditEntry.unscoped.filter(action="member.leave").count() == 1


def test_only_who_manages_the_member_may_open_the_page(world):
    data = {"status": Status.REMOVED, "effective_on": "01/01/2024", "reason": "Thử"}
    assert world.client(Role.SECRETARY).get(leave_url(world.other_member)).status_code == 404
    assert world.client(Role.INSPECTOR).get(leave_url(world.member)).status_code == 403
    assert world.client(Role.INSPECTOR).post(leave_url(world.member), data).status_code == 403
    officer = world.client(Role.OFFICER)
    assert officer.post(leave_url(world.outside_member), data).status_code == 404
    assert {fresh(m).status for m in (world.member, world.outside_member)} == {Status.OFFICIAL}
