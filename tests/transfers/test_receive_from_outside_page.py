"""«Tiếp nhận đảng viên từ ngoài hệ thống»: the officer of the receiving branch chooses the
record (one who left for outside and comes back, or one just entered), says the branch, the day
and the letter, confirms; the member is counted from the day of arrival."""

import datetime

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.models import Member, Placement, Status
from dangvien.members.services import create_member
from dangvien.transfers.models import Direction, Transfer
from tests.transfers.steps import ONE_DAY, arrive, ddmmyyyy, issue, latest, members_on, today

ORIGIN = "Đảng bộ Quân sự tỉnh Lâm Đồng"


def _receive(client, member, branch, day, **extra):
    data = {
        "to_code": branch.code,
        "arrived_on": ddmmyyyy(day),
        "outside_origin": ORIGIN,
        "letter_number": "7-GGT",
        "letter_issued_on": ddmmyyyy(day - ONE_DAY),
    }
    return client.post(f"/transfers/member/{member.pk}/receive/", {**data, **extra})


def test_a_member_who_left_for_outside_is_received_back_through_the_page(world):
    officer = world.client(Role.OFFICER)
    left_on, back_on = today() - ONE_DAY * 60, today() - ONE_DAY * 4
    issue(
        officer,
        world.member,
        outside_destination=ORIGIN,
        trigger_on=left_on - ONE_DAY,
        letter_issued_on=left_on - ONE_DAY,
    )
    arrive(officer, latest(world.member), left_on)

    listing = officer.get("/transfers/").content.decode()
    assert 'href="/transfers/receive/"' in listing
    assert "Tiếp nhận đảng viên từ ngoài hệ thống" in listing
    start = officer.get("/transfers/receive/").content.decode()
    returning = start.split('id="returning"')[1].split("</table>")[0]
    receive_url = f"/transfers/member/{world.member.pk}/receive/"
    assert world.member.full_name in returning and receive_url in returning
    assert 'href="/members/new/"' in start  # a member new to the system: enter the record
    picked = officer.get("/transfers/receive/", {"code": world.member.code})
    assert (picked.status_code, picked["Location"]) == (302, receive_url)
    # A record outside the officer's scope is not found, and nothing is said of it.
    hidden = officer.get("/transfers/receive/", {"code": world.outside_member.code})
    assert hidden.status_code == 200
    assert "Không tìm thấy hồ sơ đảng viên có mã này" in hidden.content.decode()
    assert world.outside_member.full_name not in hidden.content.decode()

    page = officer.get(receive_url).content.decode()
    assert "trở lại đảng số của hệ thống từ ngày đến sinh hoạt" in page
    assert "Xác nhận tiếp nhận" in page
    refused = _receive(officer, world.member, world.other_branch, back_on, outside_origin="")
    assert refused.status_code == 400
    assert Member.unscoped.get(pk=world.member.pk).status == Status.TRANSFERRED_OUT

    done = _receive(officer, world.member, world.other_branch, back_on)
    assert (done.status_code, done["Location"]) == (302, f"/members/{world.member.pk}/")
    member = Member.unscoped.get(pk=world.member.pk)
    assert (member.status, member.left_on, member.branch) == (
        Status.OFFICIAL,
        None,
        world.other_branch,
    )
    received = Transfer.unscoped.filter(member=member).latest("id")
    assert (received.direction, received.outside_origin, received.arrived_on) == (
        Direction.IN,
        ORIGIN,
        back_on,
    )
    assert (members_on(world.upper, back_on - ONE_DAY), members_on(world.upper, back_on)) == (
        1,
        2,
    )


def test_a_record_just_entered_is_counted_from_the_arrival(world):
    officer = world.users[Role.OFFICER]
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
    client = world.client(Role.OFFICER)
    page = client.get(f"/transfers/member/{member.pk}/receive/").content.decode()
    assert "không từ ngày vào Đảng" in page
    arrived_on = today() - ONE_DAY * 7
    assert _receive(client, member, world.other_branch, arrived_on).status_code == 302
    assert list(Placement.objects.filter(member=member).values_list("start", "end")) == [
        (arrived_on, None)
    ]


def test_only_an_officer_managing_members_receives(world):
    inspector = world.client(Role.INSPECTOR)
    assert inspector.get("/transfers/receive/").status_code == 403
    assert "/transfers/receive/" not in inspector.get("/transfers/").content.decode()
    # The secretary manages only their branch: another branch is not theirs to receive into.
    secretary = world.client(Role.SECRETARY)
    Member.unscoped.filter(pk=world.member.pk).update(
        status=Status.TRANSFERRED_OUT, left_on=today() - ONE_DAY * 30
    )
    refused = _receive(secretary, world.member, world.other_branch, today() - ONE_DAY)
    assert refused.status_code == 400
    assert Member.unscoped.get(pk=world.member.pk).status == Status.TRANSFERRED_OUT
