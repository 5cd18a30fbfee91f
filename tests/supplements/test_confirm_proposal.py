"""The branch (its secretary) confirms a member's proposal and sends it up for approval."""

import pytest

from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus
from tests.supplements.conftest import client_of, fresh, member_with_account, proposal_of
from tests.supplements.proposing import propose


@pytest.fixture
def proposal(world, supplement_round):
    propose(world.client(Role.MEMBER), {"workplace": "Trường THCS Hòa Bình", "action": "submit"})
    return proposal_of(world.member)


def test_secretary_sees_the_change_and_confirms(world, proposal):
    client = world.client(Role.SECRETARY)
    page = client.get("/supplements/branch/").content.decode()
    assert "Nguyễn Văn An" in page and "Trường THCS Hòa Bình" in page
    assert "Chi bộ xác nhận" in page
    response = client.post(
        f"/supplements/proposals/{proposal.pk}/confirm/", {"next": "/supplements/branch/"}
    )
    assert response.status_code == 302 and response["Location"] == "/supplements/branch/"
    confirmed = fresh(proposal)
    assert confirmed.status == ProposalStatus.CONFIRMED
    assert confirmed.confirmed_by == world.users[Role.SECRETARY]
    assert AuditEntry.unscoped.filter(action="supplement.confirm").count() == 1
    assert fresh(world.member).workplace == ""  # the record changes only on approval
    assert "Không có phiếu nào chờ chi bộ xác nhận." in (
        client.get("/supplements/branch/").content.decode()
    )


def test_confirming_twice_is_refused(world, proposal):
    client = world.client(Role.SECRETARY)
    client.post(f"/supplements/proposals/{proposal.pk}/confirm/")
    response = client.post(f"/supplements/proposals/{proposal.pk}/confirm/", follow=True)
    assert "Phiếu bổ sung đã được chi bộ xác nhận." in response.content.decode()
    assert AuditEntry.unscoped.filter(action="supplement.confirm").count() == 1


def test_a_secretary_cannot_confirm_outside_their_branch(world, supplement_round):
    colleague = member_with_account(world.other_branch, "tovan", full_name="Đỗ Văn Dũng")
    propose(client_of(colleague), {"phone": "0933 333 333", "action": "submit"})
    other = proposal_of(colleague)
    client = world.client(Role.SECRETARY)
    assert "Đỗ Văn Dũng" not in client.get("/supplements/branch/").content.decode()
    assert client.get(f"/supplements/proposals/{other.pk}/").status_code == 404
    assert client.post(f"/supplements/proposals/{other.pk}/confirm/").status_code == 404
    with pytest.raises(ScopeDenied):
        services.confirm_proposal(world.users[Role.SECRETARY], other)
    assert fresh(other).status == ProposalStatus.SUBMITTED
    # The officer of the subtree manages that branch too.
    world.client(Role.OFFICER).post(f"/supplements/proposals/{other.pk}/confirm/")
    assert fresh(other).status == ProposalStatus.CONFIRMED


def test_the_member_and_the_inspector_cannot_confirm(world, proposal):
    for role in (Role.MEMBER, Role.INSPECTOR):
        response = world.client(role).post(f"/supplements/proposals/{proposal.pk}/confirm/")
        assert response.status_code == 403
    assert fresh(proposal).status == ProposalStatus.SUBMITTED


def test_a_draft_cannot_be_confirmed(world, supplement_round):
    propose(world.client(Role.MEMBER), {"phone": "0944", "action": "draft"})
    draft = proposal_of(world.member)
    response = world.client(Role.OFFICER).post(f"/supplements/proposals/{draft.pk}/confirm/")
    assert response.status_code == 404
    with pytest.raises(DomainError, match="Phiếu bổ sung chưa được gửi"):
        services.confirm_proposal(world.users[Role.OFFICER], draft)
    assert fresh(draft).status == ProposalStatus.DRAFT
