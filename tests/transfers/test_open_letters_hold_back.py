"""A letter still waiting holds back what would strand it (domain-rules §2.7): the member does
not leave the Party, nor its sending or receiving branch end or go into another, until the
letter is cancelled or the arrival confirmed (core.blockers, registered by the transfers app)."""

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.members.models import Member, Status
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import absorb_organization, dissolve_organization
from dangvien.transfers.models import TransferStatus
from tests.factories import OrganizationFactory
from tests.transfers.steps import ONE_DAY, ddmmyyyy, issue, latest, today

WAITING = "còn 1 giấy giới thiệu sinh hoạt đảng chưa hoàn tất: hủy hoặc xác nhận trước."


def _letter(world, member, to_code):
    letter_on = today() - ONE_DAY * 10
    response = issue(
        world.client(Role.OFFICER),
        member,
        to_code=to_code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert response.status_code == 302
    return latest(member)


def _cancel(world, transfer):
    response = world.client(Role.OFFICER).post(
        f"/transfers/{transfer.pk}/cancel/", {"reason": "Đảng viên không chuyển nữa"}
    )
    assert response.status_code == 302


def test_a_member_with_a_letter_waiting_leaves_the_party_once_it_is_cancelled(world):
    transfer = _letter(world, world.member, world.outside_branch.code)
    client = world.client(Role.OFFICER)
    death = {
        "status": Status.DECEASED,
        "effective_on": ddmmyyyy(today() - ONE_DAY * 2),
        "decision_number": "",
        "decision_body": "",
        "reason": "Từ trần",
    }
    refused = client.post(f"/members/{world.member.pk}/leave/", death)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "có giấy giới thiệu sinh hoạt đảng số 15-GGT/ĐU đang chờ đến sinh hoạt" in page
    assert "hãy hủy giấy giới thiệu" in page
    assert Member.unscoped.get(pk=world.member.pk).status == Status.OFFICIAL

    _cancel(world, transfer)
    assert client.post(f"/members/{world.member.pk}/leave/", death).status_code == 302
    assert Member.unscoped.get(pk=world.member.pk).status == Status.DECEASED


def test_a_branch_a_letter_goes_to_is_not_dissolved(world):
    lone = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Sử", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    transfer = _letter(world, world.member, lone.code)
    officer = world.users[Role.OFFICER]
    ending = Decision(today() - ONE_DAY, "9-QĐ/ĐU", "Đảng ủy", "Sắp xếp chi bộ")
    # The dissolve page says it before the officer fills anything in.
    page = world.client(Role.OFFICER).get(f"/orgs/{lone.code}/dissolve/").content.decode()
    assert f"<strong>Chưa giải thể được:</strong> Chi bộ Tổ Sử {WAITING}" in page
    with pytest.raises(DomainError, match=f"Chi bộ Tổ Sử {WAITING}"):
        dissolve_organization(officer, lone, ending)
    lone.refresh_from_db()
    assert lone.ended_on is None

    _cancel(world, transfer)
    assert dissolve_organization(officer, lone, ending).ended_on == ending.effective_on


def test_a_branch_a_letter_leaves_from_is_not_absorbed(world):
    transfer = _letter(world, world.other_member, world.outside_branch.code)
    officer = world.users[Role.OFFICER]
    absorption = Decision(today() - ONE_DAY * 5, "15-QĐ/TU", "Tỉnh ủy", "Sắp xếp tổ chức")
    with pytest.raises(DomainError, match=f"Chi bộ Tổ Văn {WAITING}"):
        absorb_organization(officer, world.other_branch, world.branch, absorption)
    world.other_branch.refresh_from_db()
    assert world.other_branch.ended_on is None  # nothing moved either (one transaction)
    assert Member.unscoped.get(pk=world.other_member.pk).branch == world.other_branch

    _cancel(world, transfer)
    assert latest(world.other_member).status == TransferStatus.CANCELLED
    absorb_organization(officer, world.other_branch, world.branch, absorption)
    assert Member.unscoped.get(pk=world.other_member.pk).branch == world.branch
