"""A permanent transfer between two officers' scopes: the sending officer issues the letter,
the receiving officer confirms the arrival; the member is counted in exactly one branch on
every day, never in both, never in neither (domain-rules §2.7)."""

import datetime

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, Member, MemberEvent, Placement
from dangvien.transfers.models import TransferStatus
from tests.transfers.steps import ONE_DAY, arrive, issue, latest, members_on, today


def test_member_is_in_exactly_one_branch_on_every_day(world):
    sender, receiver = world.client(Role.OFFICER), world.client("outside_officer")
    letter_on, arrived_on = today() - datetime.timedelta(days=20), today() - ONE_DAY * 10
    response = issue(
        sender,
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=letter_on - ONE_DAY * 5,
        letter_issued_on=letter_on,
    )
    transfer = latest(world.member)
    assert response.status_code == 302 and transfer.status == TransferStatus.LETTER_ISSUED
    # Until the arrival the member stays in the sending branch.
    assert Member.unscoped.get(pk=world.member.pk).branch == world.branch
    assert members_on(world.branch, today()) == 1
    assert members_on(world.outside_branch, today()) == 1  # its own member only

    # Both officers see it: the sender among the letters issued, the receiver among those to
    # confirm; the receiver does not see the sender's other members.
    sent = sender.get("/transfers/").content.decode()
    assert world.member.full_name in sent.split('id="outgoing"')[1].split("</table>")[0]
    received = receiver.get("/transfers/").content.decode()
    assert world.member.full_name in received.split('id="incoming"')[1].split("</table>")[0]
    assert receiver.get(f"/transfers/{transfer.pk}/").status_code == 200

    page = receiver.get(f"/transfers/{transfer.pk}/arrive/")
    assert page.status_code == 200 and "Xác nhận đến sinh hoạt" in page.content.decode()
    response = arrive(receiver, transfer, arrived_on)
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.arrived_on) == (TransferStatus.ARRIVED, arrived_on)

    for day, home, host in [
        (letter_on - ONE_DAY, 1, 1),
        (letter_on, 1, 1),
        (arrived_on - ONE_DAY, 1, 1),
        (arrived_on, 0, 2),
        (today(), 0, 2),
    ]:
        assert (members_on(world.branch, day), members_on(world.outside_branch, day)) == (
            home,
            host,
        ), day
        # the province holds both: the member is counted once whatever the day
        assert members_on(world.province, day) == 3, day

    placements = list(
        Placement.objects.filter(member=world.member).values_list("branch", "start", "end")
    )
    assert placements[-2:] == [
        (world.branch.pk, world.member.admitted_on, arrived_on - ONE_DAY),
        (world.outside_branch.pk, arrived_on, None),
    ]
    event = MemberEvent.objects.get(member=world.member, kind=EventKind.TRANSFERRED)
    assert (event.on, event.from_branch, event.to_branch) == (
        arrived_on,
        world.branch,
        world.outside_branch,
    )
    # The receiver now holds the record and its timeline; both sides' histories keep it.
    record = receiver.get(f"/members/{world.member.pk}/").content.decode()
    assert "Chuyển sinh hoạt đảng" in record and world.outside_branch.name in record
    assert AuditEntry.unscoped.filter(action="transfer.arrive", org_path=world.branch.path).exists()
    assert AuditEntry.unscoped.filter(
        action="transfer.arrive", org_path=world.outside_branch.path
    ).exists()
    # The sender still sees the transfer it sent, no longer the member.
    assert sender.get(f"/transfers/{transfer.pk}/").status_code == 200
    assert sender.get(f"/members/{world.member.pk}/").status_code == 404


def test_only_the_receiving_side_confirms_the_arrival(world):
    transfer = _sent_to_outside(world)
    before = Placement.objects.filter(member=world.member).count()
    # The sending officer sees the transfer but may not confirm for a branch outside its scope.
    response = arrive(world.client(Role.OFFICER), transfer, today())
    assert response.status_code == 403
    # A secretary of the sending branch neither.
    assert arrive(world.client(Role.SECRETARY), transfer, today()).status_code == 403
    # The inspector of the sending side reads it, changes nothing.
    assert arrive(world.client(Role.INSPECTOR), transfer, today()).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.LETTER_ISSUED
    assert Placement.objects.filter(member=world.member).count() == before


def test_a_transfer_neither_side_of_which_is_in_scope_is_not_found(world):
    sender = world.client(Role.OFFICER)
    issue(
        sender,
        world.other_member,
        to_code=world.outside_branch.code,
        trigger_on=today() - ONE_DAY * 3,
        letter_issued_on=today() - ONE_DAY,
    )
    transfer = latest(world.other_member)
    secretary = world.client(Role.SECRETARY)  # holds world.branch only
    assert secretary.get(f"/transfers/{transfer.pk}/").status_code == 404
    assert arrive(secretary, transfer, today()).status_code == 404
    assert world.other_member.full_name not in secretary.get("/transfers/").content.decode()


def test_the_sending_officer_cannot_issue_for_a_member_outside_scope(world):
    response = issue(
        world.client(Role.OFFICER),
        world.outside_member,
        to_code=world.branch.code,
        trigger_on=today() - ONE_DAY,
        letter_issued_on=today(),
    )
    assert response.status_code == 404
    assert not world.outside_member.transfers.exists()


def test_cancel_needs_a_reason_and_keeps_the_member_home(world):
    transfer = _sent_to_outside(world)
    sender = world.client(Role.OFFICER)
    refused = sender.post(f"/transfers/{transfer.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 400
    # the receiving side cannot cancel the sender's letter
    receiver = world.client("outside_officer")
    assert receiver.post(f"/transfers/{transfer.pk}/cancel/", {"reason": "x"}).status_code == 403
    done = sender.post(f"/transfers/{transfer.pk}/cancel/", {"reason": "Đổi nơi công tác"})
    assert done.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.cancel_reason) == (
        TransferStatus.CANCELLED,
        "Đổi nơi công tác",
    )
    assert arrive(receiver, transfer, today()).status_code == 400  # nothing left to confirm
    assert members_on(world.branch, today()) == 1


def test_an_arrival_confirmed_by_mistake_is_reopened_with_a_reason(world):
    transfer = _sent_to_outside(world)
    receiver = world.client("outside_officer")
    arrive(receiver, transfer, today())
    assert members_on(world.outside_branch, today()) == 2
    assert receiver.post(f"/transfers/{transfer.pk}/reopen/", {"reason": ""}).status_code == 400
    done = receiver.post(f"/transfers/{transfer.pk}/reopen/", {"reason": "Xác nhận nhầm"})
    assert done.status_code == 302
    transfer.refresh_from_db()
    member = Member.unscoped.get(pk=world.member.pk)
    assert (transfer.status, member.branch) == (TransferStatus.LETTER_ISSUED, world.branch)
    assert members_on(world.branch, today()) == 1
    assert members_on(world.outside_branch, today()) == 1
    assert list(Placement.objects.filter(member=world.member).values_list("branch", "end")) == [
        (world.branch.pk, None)
    ]
    assert AuditEntry.unscoped.filter(action="transfer.reopen", reason="Xác nhận nhầm").exists()


def test_arrival_before_the_letter_is_refused(world):
    transfer = _sent_to_outside(world, letter_on=today() - ONE_DAY)
    response = arrive(world.client("outside_officer"), transfer, today() - ONE_DAY * 2)
    assert response.status_code == 400
    assert "trước ngày cấp giấy" in response.content.decode()


def _sent_to_outside(world, letter_on=None):
    letter_on = letter_on or today() - ONE_DAY * 2
    response = issue(
        world.client(Role.OFFICER),
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert response.status_code == 302, response.content.decode()
    return latest(world.member)


def test_each_side_is_offered_its_own_actions(world):
    member_page = world.client(Role.OFFICER).get(f"/members/{world.member.pk}/").content.decode()
    assert f"/transfers/member/{world.member.pk}/new/" in member_page
    transfer = _sent_to_outside(world)
    sender_page = world.client(Role.OFFICER).get(f"/transfers/{transfer.pk}/").content.decode()
    receiver_page = (
        world.client("outside_officer").get(f"/transfers/{transfer.pk}/").content.decode()
    )
    assert "Hủy giấy giới thiệu" in sender_page and "/arrive/" not in sender_page
    assert "/arrive/" in receiver_page and "Hủy giấy giới thiệu" not in receiver_page
    assert "hạn xuất trình" in receiver_page


def test_a_receiving_code_outside_the_scope_names_nothing(world):
    """A letter may go to any branch of the system, but a refusal names only organisations the
    officer sees."""
    client = world.client(Role.OFFICER)
    fields = {"trigger_on": today(), "letter_issued_on": today()}
    refused = issue(client, world.member, to_code=world.outside_upper.code, **fields)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Không có chi bộ đang hoạt động mang mã này." in page
    assert world.outside_upper.name not in page
    unknown = issue(client, world.member, to_code="KHONG-CO", **fields).content.decode()
    assert "Không có chi bộ đang hoạt động mang mã này." in unknown  # the same words
    seen = issue(client, world.member, to_code=world.base.code, **fields).content.decode()
    assert f"{world.base.name} không phải chi bộ" in seen
