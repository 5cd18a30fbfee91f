"""The branch or the officer sends a proposal back with a reason; the member may try again."""

import pytest

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.supplements.models import ProposalStatus, SupplementProposal
from tests.supplements.conftest import fresh, proposal_of
from tests.supplements.proposing import propose


@pytest.fixture
def proposal(world, supplement_round):
    propose(world.client(Role.MEMBER), {"academic_title": "Giáo sư", "action": "submit"})
    return proposal_of(world.member)


def test_secretary_sends_back_and_the_member_submits_again(world, proposal):
    response = world.client(Role.SECRETARY).post(
        f"/supplements/proposals/{proposal.pk}/reject/",
        {"reason": "Chưa có quyết định công nhận chức danh"},
    )
    assert response.status_code == 302
    rejected = fresh(proposal)
    assert rejected.status == ProposalStatus.REJECTED
    assert rejected.rejected_by == world.users[Role.SECRETARY]
    entry = AuditEntry.unscoped.get(action="supplement.reject")
    assert entry.reason == "Chưa có quyết định công nhận chức danh"

    client = world.client(Role.MEMBER)
    page = client.get("/supplements/my/").content.decode()
    assert "Bị trả lại" in page and "Chưa có quyết định công nhận chức danh" in page
    assert 'name="academic_title"' in page  # the form is open again
    propose(client, {"academic_title": "Phó Giáo sư", "action": "submit"})
    assert SupplementProposal.unscoped.filter(member=world.member).count() == 2
    assert proposal_of(world.member).status == ProposalStatus.SUBMITTED
    assert fresh(world.member).academic_title == ""


def test_a_reason_is_required(world, proposal):
    response = world.client(Role.SECRETARY).post(
        f"/supplements/proposals/{proposal.pk}/reject/", {"reason": "  "}, follow=True
    )
    assert "Cần ghi lý do trả lại phiếu." in response.content.decode()
    assert fresh(proposal).status == ProposalStatus.SUBMITTED


def test_after_confirmation_only_the_officer_sends_back(world, proposal):
    world.client(Role.SECRETARY).post(f"/supplements/proposals/{proposal.pk}/confirm/")
    response = world.client(Role.SECRETARY).post(
        f"/supplements/proposals/{proposal.pk}/reject/", {"reason": "Đổi ý"}
    )
    assert response.status_code == 403
    assert fresh(proposal).status == ProposalStatus.CONFIRMED
    world.client(Role.OFFICER).post(
        f"/supplements/proposals/{proposal.pk}/reject/", {"reason": "Thiếu minh chứng"}
    )
    assert fresh(proposal).status == ProposalStatus.REJECTED


def test_an_approved_proposal_cannot_be_sent_back(world, proposal):
    world.client(Role.SECRETARY).post(f"/supplements/proposals/{proposal.pk}/confirm/")
    client = world.client(Role.OFFICER)
    client.post(f"/supplements/proposals/{proposal.pk}/approve/")
    response = client.post(
        f"/supplements/proposals/{proposal.pk}/reject/", {"reason": "Nhầm"}, follow=True
    )
    assert "Phiếu bổ sung đã được duyệt." in response.content.decode()
    assert fresh(proposal).status == ProposalStatus.APPROVED


def test_the_member_cannot_reject_their_own(world, proposal):
    response = world.client(Role.MEMBER).post(
        f"/supplements/proposals/{proposal.pk}/reject/", {"reason": "Tự hủy"}
    )
    assert response.status_code == 403
    assert fresh(proposal).status == ProposalStatus.SUBMITTED
