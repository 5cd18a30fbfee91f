"""A member who left for an organisation outside the system is still a party member: their
record says when they left and came back (the member's history), nobody admits them again as a
new candidate, and the transfer out is not reopened once they came back."""

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member, Placement, Status
from dangvien.transfers import services
from dangvien.transfers.models import TransferStatus
from tests.admissions.workflow import new_candidate
from tests.transfers.steps import ONE_DAY, arrive, issue, latest, today

DESTINATION = "Đảng bộ Công ty Cổ phần Sông Đà, tỉnh Hòa Bình"


def _out(world, left_on):
    officer = world.client(Role.OFFICER)
    letter_on = left_on - ONE_DAY * 2
    issue(
        officer,
        world.member,
        outside_destination=DESTINATION,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    transfer = latest(world.member)
    assert arrive(officer, transfer, left_on).status_code == 302
    return transfer


def _back(world, back_on):
    return services.receive_from_outside(
        world.users[Role.OFFICER],
        Member.unscoped.get(pk=world.member.pk),
        to_branch=world.other_branch,
        arrived_on=back_on,
        outside_origin=DESTINATION,
    )


def test_the_member_history_keeps_leaving_and_coming_back(world):
    left_on, back_on = today() - ONE_DAY * 40, today() - ONE_DAY * 3
    _out(world, left_on)
    _back(world, back_on)
    entries = AuditEntry.unscoped.filter(
        target_type="members.member", target_id=world.member.pk
    ).order_by("pk")
    left, back = (
        entries.get(action="member.leave_system"),
        entries.get(action="member.return_to_system"),
    )
    assert left.changes == {
        "status": ["Chính thức", "Đã chuyển sinh hoạt ra ngoài hệ thống"],
        "left_on": [None, f"{left_on:%d/%m/%Y}"],
    }
    assert (left.effective_on, left.reason) == (left_on, DESTINATION)
    assert back.changes["status"] == ["Đã chuyển sinh hoạt ra ngoài hệ thống", "Chính thức"]
    assert back.effective_on == back_on
    page = world.client(Role.OFFICER).get(f"/members/{world.member.pk}/")
    text = page.content.decode().split("Lịch sử thay đổi hồ sơ")[1]
    assert "Chuyển sinh hoạt ra ngoài hệ thống" in text
    assert "Trở lại sinh hoạt trong hệ thống" in text


def test_the_transfer_out_is_not_reopened_after_the_member_came_back(world):
    transfer = _out(world, today() - ONE_DAY * 40)
    _back(world, today() - ONE_DAY * 3)
    before = list(Placement.objects.filter(member=world.member).values_list("branch", "end"))
    with pytest.raises(DomainError, match="đã có việc chuyển sinh hoạt sau lần này"):
        services.reopen_transfer(world.users[Role.OFFICER], transfer, "Ghi nhầm")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ARRIVED
    member = Member.unscoped.get(pk=world.member.pk)
    assert (member.status, member.branch) == (Status.OFFICIAL, world.other_branch)
    after = list(Placement.objects.filter(member=world.member).values_list("branch", "end"))
    assert after == before


def test_a_member_transferred_out_is_not_a_new_candidate(world):
    _out(world, today() - ONE_DAY * 40)
    member = Member.unscoped.get(pk=world.member.pk)
    with pytest.raises(DomainError, match="cùng họ tên và ngày sinh"):
        new_candidate(
            world, citizen_id="", full_name=member.full_name, birth_date=member.birth_date
        )
