"""«Tiếp nhận đảng viên từ ngoài hệ thống», a member whose record another officer kept: they left
the system from that officer's scope and now come to this officer's branch. The officer finds
the record by the papers the member brings (party card number or citizen ID, with the date of
birth, both exact), without seeing any other scope: only a record transferred out of the system
is found; anything else is the same "not found". Every lookup is audited, the number masked."""

import datetime
import re

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member, Placement, Status
from dangvien.transfers import services
from dangvien.transfers.models import Direction, Transfer, TransferStatus
from tests.conftest import OUTSIDE_CARD_NUMBER, OUTSIDE_CITIZEN_ID
from tests.transfers.steps import ONE_DAY, arrive, ddmmyyyy, issue, latest, today

DESTINATION = "Đảng bộ Tổng công ty Đường sắt Việt Nam"
ORIGIN = "Đảng ủy Khối Doanh nghiệp Trung ương"
NOT_FOUND = "Không tìm thấy hồ sơ đảng viên đã chuyển sinh hoạt ra ngoài hệ thống khớp"


def _left_from_another_scope(world) -> datetime.date:
    """The outside officer sends their member to an organisation outside the system."""
    outside_officer = world.client("outside_officer")
    left_on = today() - ONE_DAY * 60
    response = issue(
        outside_officer,
        world.outside_member,
        outside_destination=DESTINATION,
        trigger_on=left_on - ONE_DAY * 2,
        letter_issued_on=left_on - ONE_DAY * 2,
    )
    assert response.status_code == 302, response.content.decode()
    assert arrive(outside_officer, latest(world.outside_member), left_on).status_code == 302
    assert Member.unscoped.get(pk=world.outside_member.pk).status == Status.TRANSFERRED_OUT
    return left_on


def _look_up(client, paper: str, number: str, birth_date: datetime.date):
    return client.post(
        "/transfers/receive/",
        {"paper": paper, "number": number, "birth_date": ddmmyyyy(birth_date)},
    )


def _typed_out(response, number: str) -> str:
    """The page without what the user typed and without the form's one-time CSRF token."""
    text = response.content.decode().replace(number, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _outside_names(world) -> list[str]:
    """What the officer may not learn of the other scope: its organisations."""
    orgs = (world.outside_upper, world.outside_base, world.outside_branch)
    return [*(org.name for org in orgs), *(org.code for org in orgs)]


def _lookups(world):
    return AuditEntry.unscoped.filter(
        action="transfer.identify", actor=world.users[Role.OFFICER]
    ).order_by("pk")


def test_a_record_from_another_scope_is_found_by_papers_and_received(world):
    left_on = _left_from_another_scope(world)
    officer = world.client(Role.OFFICER)
    member = world.outside_member
    start = officer.get("/transfers/receive/").content.decode()
    assert 'id="receive-identify"' in start
    assert member.full_name not in start  # not listed: the officer browses no other scope
    receive_url = f"/transfers/member/{member.pk}/receive/"
    assert officer.get(receive_url).status_code == 404  # not before it is found

    found = _look_up(officer, "card_number", OUTSIDE_CARD_NUMBER, member.birth_date)
    assert (found.status_code, found["Location"]) == (302, receive_url)
    page = officer.get(receive_url).content.decode()
    assert member.full_name in page
    assert f"sinh ngày {member.birth_date:%d/%m/%Y}" in page
    assert f"{DESTINATION} ngày {left_on:%d/%m/%Y}" in page
    assert not [name for name in _outside_names(world) if name in page]
    assert member.code not in page and OUTSIDE_CITIZEN_ID not in page

    back_on = today() - ONE_DAY * 3
    done = officer.post(
        receive_url,
        {
            "to_code": world.branch.code,
            "arrived_on": ddmmyyyy(back_on),
            "outside_origin": ORIGIN,
            "letter_number": "12-GGT",
            "letter_issued_on": ddmmyyyy(back_on - ONE_DAY),
        },
    )
    assert (done.status_code, done["Location"]) == (302, f"/members/{member.pk}/")
    received = Member.unscoped.get(pk=member.pk)
    assert (received.status, received.left_on, received.branch) == (
        Status.OFFICIAL,
        None,
        world.branch,
    )
    assert officer.get(f"/members/{member.pk}/").status_code == 200  # now in the officer's scope
    # The history is kept: the transfer out and the one back in, the placements on both sides.
    directions = Transfer.unscoped.filter(member=member).order_by("pk")
    assert [(t.direction, t.status) for t in directions] == [
        (Direction.OUT, TransferStatus.ARRIVED),
        (Direction.IN, TransferStatus.ARRIVED),
    ]
    assert list(
        Placement.objects.filter(member=member).order_by("start").values_list("branch", "end")
    ) == [(world.outside_branch.pk, left_on - ONE_DAY), (world.branch.pk, None)]
    history = AuditEntry.unscoped.filter(target_type="members.member", target_id=member.pk)
    back = history.get(action="member.return_to_system")
    assert back.org_path == world.outside_branch.path  # the former branch's history says so
    assert AuditEntry.unscoped.filter(action="transfer.receive", org_path=world.branch.path)

    # The lookup is audited: who, by which paper, the number masked, the record found.
    (lookup,) = _lookups(world)
    assert (lookup.target_type, lookup.target_id) == ("members.member", member.pk)
    assert lookup.org_path == world.upper.path  # the officer's scope
    assert lookup.changes == {"via": "Số thẻ đảng viên *****731 và ngày sinh"}
    assert OUTSIDE_CARD_NUMBER not in str(lookup.changes)
    # Received, the record is no longer one to find by papers.
    again = _look_up(officer, "card_number", OUTSIDE_CARD_NUMBER, member.birth_date)
    assert NOT_FOUND in again.content.decode()


def test_found_by_citizen_id_only_with_the_right_birth_date(world):
    _left_from_another_scope(world)
    officer = world.client(Role.OFFICER)
    member = world.outside_member
    for wrong in (member.birth_date + ONE_DAY, member.birth_date.replace(year=1986)):
        missed = _look_up(officer, "citizen_id", OUTSIDE_CITIZEN_ID, wrong)
        assert missed.status_code == 200
        text = missed.content.decode()
        assert NOT_FOUND in text and member.full_name not in text
    # The number of the other paper does not match this one.
    other_paper = _look_up(officer, "citizen_id", "0" * 4 + OUTSIDE_CARD_NUMBER, member.birth_date)
    assert NOT_FOUND in other_paper.content.decode()
    receive_url = f"/transfers/member/{member.pk}/receive/"
    assert officer.get(receive_url).status_code == 404  # nothing found, nothing opened
    entries = list(_lookups(world))
    assert len(entries) == 3
    assert {(e.target_id, e.target_label) for e in entries} == {(0, "Không tìm thấy hồ sơ")}
    assert entries[0].changes == {"via": "Số CCCD *********731 và ngày sinh"}

    found = _look_up(officer, "citizen_id", OUTSIDE_CITIZEN_ID, member.birth_date)
    assert (found.status_code, found["Location"]) == (302, receive_url)
    # Found in one session only: another sign-in of the same officer must find it again.
    assert world.client(Role.OFFICER).get(receive_url).status_code == 404


@pytest.mark.parametrize("status", [Status.OFFICIAL, Status.DECEASED, Status.EXPELLED])
def test_a_record_in_another_status_is_not_revealed(world, status):
    """An active member of another scope (or one who left the Party) is never found: the
    answer is the one of a number nobody holds."""
    member = world.outside_member
    Member.unscoped.filter(pk=member.pk).update(
        status=status, left_on=None if status == Status.OFFICIAL else today() - ONE_DAY * 30
    )
    officer = world.client(Role.OFFICER)
    for paper, number in (("card_number", OUTSIDE_CARD_NUMBER), ("citizen_id", OUTSIDE_CITIZEN_ID)):
        unheld = number[:-1] + str(9 - int(number[-1]))  # a number nobody holds
        held = _look_up(officer, paper, number, member.birth_date)
        nobody = _look_up(officer, paper, unheld, member.birth_date)
        assert held.status_code == nobody.status_code == 200
        text = _typed_out(held, number)
        assert text == _typed_out(nobody, unheld)  # the same page, but for the number typed
        assert NOT_FOUND in text
        leaked = [s for s in [member.full_name, member.code, *_outside_names(world)] if s in text]
        assert not leaked
    assert officer.get(f"/transfers/member/{member.pk}/receive/").status_code == 404
    assert _lookups(world).count() == 4  # each lookup audited, found or not


def test_the_papers_are_checked_before_any_lookup(world):
    officer = world.client(Role.OFFICER)
    refused = _look_up(officer, "citizen_id", "07909900073", datetime.date(1985, 4, 15))
    assert refused.status_code == 400
    assert "Số CCCD phải gồm đúng 12 chữ số." in refused.content.decode()
    assert not _lookups(world).exists()  # no lookup made


def test_only_an_officer_managing_members_looks_up(world):
    _left_from_another_scope(world)
    member = world.outside_member
    for role in (Role.INSPECTOR, Role.MEMBER):
        refused = _look_up(
            world.client(role), "card_number", OUTSIDE_CARD_NUMBER, member.birth_date
        )
        assert refused.status_code == 403
    assert not AuditEntry.unscoped.filter(action="transfer.identify").exists()


def test_the_service_takes_back_a_record_of_another_scope_only_when_found_by_papers(world):
    """The rule lives in the service: without the lookup by papers an officer cannot take back
    a record transferred out of another scope, whichever page or command calls it."""
    left_on = _left_from_another_scope(world)
    member = Member.unscoped.get(pk=world.outside_member.pk)
    receive = dict(to_branch=world.branch, arrived_on=left_on + ONE_DAY, outside_origin=ORIGIN)
    with pytest.raises(DomainError, match="Không tìm thấy hồ sơ trong phạm vi quản lý"):
        services.receive_from_outside(world.users[Role.OFFICER], member, **receive)
    assert Member.unscoped.get(pk=member.pk).status == Status.TRANSFERRED_OUT

    services.receive_from_outside(
        world.users[Role.OFFICER], member, **receive, identified_by_papers=True
    )
    assert Member.unscoped.get(pk=member.pk).branch == world.branch
