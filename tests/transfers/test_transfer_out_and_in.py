"""Transfers to and from party organisations outside the system: the letter's number and
destination; the member leaves this system's counts on the day they leave, and a member coming
from outside is counted from the day they arrive."""

import datetime

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import EventKind, Member, MemberEvent, Placement, Status
from dangvien.members.services import create_member
from dangvien.transfers import services
from dangvien.transfers.models import Direction, TransferStatus
from dangvien.transfers.selectors import visible_transfers
from tests.transfers.steps import ONE_DAY, arrive, issue, latest, members_on, today

DESTINATION = "Đảng bộ Công ty Cổ phần Sông Đà, tỉnh Hòa Bình"


def test_out_of_the_system_leaves_the_counts_on_the_day_of_leaving(world):
    officer = world.client(Role.OFFICER)
    letter_on, left_on = today() - ONE_DAY * 12, today() - ONE_DAY * 5
    response = issue(
        officer,
        world.member,
        outside_destination=DESTINATION,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert response.status_code == 302
    transfer = latest(world.member)
    assert transfer.direction == Direction.OUT
    # The sending side records the day the member left (nobody in the system receives them).
    assert arrive(officer, transfer, left_on).status_code == 302
    assert (members_on(world.branch, left_on - ONE_DAY), members_on(world.branch, left_on)) == (
        1,
        0,
    )
    assert members_on(world.upper, today()) == 1  # other_member only
    member = Member.unscoped.get(pk=world.member.pk)
    # Not a leaving of the Party: a status of its own, out of today's counts and lists.
    assert (member.left_on, member.status) == (left_on, Status.TRANSFERRED_OUT)
    row = f'<a href="/members/{member.pk}/">'
    assert row not in officer.get("/members/", {"status": "active"}).content.decode()
    assert row not in officer.get("/members/", {"status": "left"}).content.decode()
    assert row in officer.get("/members/", {"status": "transferred_out"}).content.decode()
    event = MemberEvent.objects.get(member=member, kind=EventKind.TRANSFERRED)
    assert DESTINATION in event.reason and event.decision_number == "15-GGT/ĐU"


def test_the_sending_side_names_either_a_branch_or_a_destination(world):
    response = issue(
        world.client(Role.OFFICER),
        world.member,
        to_code=world.outside_branch.code,
        outside_destination=DESTINATION,
        trigger_on=today(),
        letter_issued_on=today(),
    )
    assert response.status_code == 400 and "một trong hai" in response.content.decode()


def test_a_late_start_needs_an_explanation(world):
    trigger = today() - datetime.timedelta(days=120)  # more than 60 working days ago
    common = {
        "to_code": world.outside_branch.code,
        "trigger_on": trigger,
        "letter_issued_on": today(),
    }
    client = world.client(Role.OFFICER)
    refused = issue(client, world.member, **common)
    assert refused.status_code == 400 and "Quá hạn bắt đầu thủ tục" in refused.content.decode()
    done = issue(client, world.member, late_explanation="Chờ quyết định nghỉ hưu", **common)
    assert done.status_code == 302
    assert latest(world.member).late_explanation == "Chờ quyết định nghỉ hưu"


def test_a_member_from_outside_is_counted_from_the_day_of_arrival(world):
    officer = world.users[Role.OFFICER]
    arrived_on = today() - ONE_DAY * 7
    with unscoped():
        member = create_member(
            officer,
            branch=world.other_branch,
            code="DV-DEN-1",
            values={
                "full_name": "Phạm Văn Đến",
                "gender": "Nam",
                "birth_date": datetime.date(1980, 3, 1),
                "admitted_on": datetime.date(2005, 5, 1),
                "official_on": datetime.date(2006, 5, 1),
            },
            decision=Decision(),
        )
        transfer = services.receive_from_outside(
            officer,
            member,
            to_branch=world.other_branch,
            arrived_on=arrived_on,
            outside_origin="Đảng bộ Quân sự tỉnh Lâm Đồng",
            letter_number="7-GGT",
        )
    assert transfer.status == TransferStatus.ARRIVED and transfer.direction == Direction.IN
    assert list(Placement.objects.filter(member=member).values_list("start", "end")) == [
        (arrived_on, None)
    ]
    assert members_on(world.other_branch, arrived_on - ONE_DAY) == 1
    assert members_on(world.other_branch, arrived_on) == 2
    assert transfer in visible_transfers(officer)
    assert transfer not in visible_transfers(world.users["outside_officer"])


def test_a_member_who_left_for_outside_comes_back(world):
    officer = world.client(Role.OFFICER)
    letter_on = today() - ONE_DAY * 40
    issue(
        officer,
        world.member,
        outside_destination=DESTINATION,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    arrive(officer, latest(world.member), letter_on + ONE_DAY * 2)
    back_on = today() - ONE_DAY * 3
    with unscoped():
        services.receive_from_outside(
            world.users[Role.OFFICER],
            Member.unscoped.get(pk=world.member.pk),
            to_branch=world.other_branch,
            arrived_on=back_on,
            outside_origin=DESTINATION,
        )
    assert members_on(world.upper, back_on - ONE_DAY) == 1
    assert members_on(world.upper, back_on) == 2
    assert members_on(world.other_branch, today()) == 2
    back = Member.unscoped.get(pk=world.member.pk)
    assert (back.left_on, back.status) == (
        None,
        Status.PROBATIONARY if not back.official_on else Status.OFFICIAL,
    )


def test_the_province_counts_kept_per_unit_follow_the_transfers(world):
    """The per-unit counts the province's reports add up (reports.tallies) are marked by the
    transfer's writes: counted again, they agree with the records."""
    from dangvien.reports import tallies
    from dangvien.reports.structure import structure_report

    with unscoped():
        tallies.recount()
    officer = world.client(Role.OFFICER)
    letter_on = today() - ONE_DAY * 4
    issue(
        officer,
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    arrive(world.client("outside_officer"), latest(world.member), today())
    issue(
        officer,
        world.other_member,
        outside_destination=DESTINATION,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    arrive(officer, latest(world.other_member), today())
    with unscoped():
        tallied = [
            structure_report(org, today(), from_tallies=True).members
            for org in (world.province, world.upper, world.outside_upper)
        ]
    assert tallied == [2, 0, 2]
