"""The arrival moves only a member still active, into a branch that stood on the day of
arrival: founded by then, not ended (domain-rules §2.7; a placement never lies outside its
branch's life)."""

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.members.models import Member, Placement, Status
from dangvien.organizations.models import Organization, OrgKind, OrgState
from dangvien.transfers import services
from dangvien.transfers.models import TransferStatus
from tests.factories import OrganizationFactory
from tests.transfers.steps import ONE_DAY, arrive, issue, latest, today


def _letter(world, to_code, letter_on):
    response = issue(
        world.client(Role.OFFICER),
        world.member,
        to_code=to_code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert response.status_code == 302
    return latest(world.member)


def test_a_member_who_died_after_the_letter_is_not_moved(world):
    transfer = _letter(world, world.outside_branch.code, today() - ONE_DAY * 20)
    died_on = today() - ONE_DAY * 15
    # A death recorded while the letter waited (before the leaving refused it).
    Member.unscoped.filter(pk=world.member.pk).update(status=Status.DECEASED, left_on=died_on)
    Placement.objects.filter(member=world.member).update(end=died_on)

    response = arrive(world.client("outside_officer"), transfer, today() - ONE_DAY * 5)
    assert response.status_code == 400
    assert "không còn sinh hoạt trong hệ thống (từ trần)" in response.content.decode()
    member = Member.unscoped.get(pk=world.member.pk)
    assert (member.status, member.left_on, member.branch) == (
        Status.DECEASED,
        died_on,
        world.branch,
    )
    assert Placement.objects.filter(member=member).count() == 1
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.LETTER_ISSUED


def test_no_arrival_before_the_receiving_branch_was_founded(world):
    founded_on = today() - ONE_DAY * 30
    new = OrganizationFactory(
        code="P.U1.01.08",
        name="Chi bộ Tổ Mới",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=founded_on,
    )
    transfer = _letter(world, new.code, today() - ONE_DAY * 60)
    officer = world.client(Role.OFFICER)
    refused = arrive(officer, transfer, founded_on - ONE_DAY)
    assert refused.status_code == 400
    assert f"được thành lập ngày {founded_on:%d/%m/%Y}" in refused.content.decode()
    assert Member.unscoped.get(pk=world.member.pk).branch == world.branch

    assert arrive(officer, transfer, founded_on).status_code == 302
    assert list(
        Placement.objects.filter(member=world.member, branch=new).values_list("start", flat=True)
    ) == [founded_on]


def test_no_arrival_in_a_branch_ended_while_the_letter_waited(world):
    lone = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Sử", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    transfer = _letter(world, lone.code, today() - ONE_DAY * 20)
    ended_on = today() - ONE_DAY * 10
    # Ended while the letter waited (an end recorded before open letters held it back).
    Organization.unscoped.filter(pk=lone.pk).update(ended_on=ended_on)
    OrgState.unscoped.filter(org=lone).update(valid_until=ended_on)

    with pytest.raises(DomainError, match="Chi bộ Tổ Sử không hoạt động ngày") as refused:
        services.confirm_arrival(world.users[Role.OFFICER], transfer, ended_on - ONE_DAY * 5)
    assert refused.value.field == "arrived_on"
    assert not Placement.objects.filter(branch=lone).exists()


def test_a_member_from_outside_does_not_arrive_before_the_branch_was_founded(world):
    founded_on = today() - ONE_DAY * 30
    new = OrganizationFactory(
        code="P.U1.01.08",
        name="Chi bộ Tổ Mới",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=founded_on,
    )
    member = Member.unscoped.get(pk=world.member.pk)
    Member.unscoped.filter(pk=member.pk).update(
        status=Status.TRANSFERRED_OUT, left_on=today() - ONE_DAY * 90
    )
    member.refresh_from_db()
    with pytest.raises(DomainError, match="được thành lập ngày") as refused:
        services.receive_from_outside(
            world.users[Role.OFFICER],
            member,
            to_branch=new,
            arrived_on=founded_on - ONE_DAY,
            outside_origin="Đảng bộ Quân sự tỉnh Lâm Đồng",
        )
    assert refused.value.field == "arrived_on"
