"""The secretary records a member's paper supplement form so progress counts are right."""

import datetime

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus, SupplementProposal
from tests.factories import MemberFactory
from tests.supplements.conftest import fresh, proposal_of, today
from tests.supplements.proposing import propose


@pytest.fixture
def elder(world):
    """A member without an account, in the secretary's branch."""
    return MemberFactory(branch=world.branch, full_name="Trịnh Văn Cao Niên")


def test_secretary_marks_a_paper_form(world, supplement_round, elder):
    client = world.client(Role.SECRETARY)
    page = client.get("/supplements/branch/").content.decode()
    assert "Trịnh Văn Cao Niên" in page and "Chưa nộp (không có tài khoản)" in page
    response = client.post(
        f"/supplements/{supplement_round.pk}/paper/",
        {"member": elder.pk, "next": "/supplements/branch/"},
    )
    assert response.status_code == 302 and response["Location"] == "/supplements/branch/"
    proposal = proposal_of(elder)
    assert proposal.on_paper and proposal.status == ProposalStatus.CONFIRMED
    assert proposal.submitted_by == world.users[Role.SECRETARY] and proposal.changes == {}
    assert AuditEntry.unscoped.filter(action="supplement.paper").count() == 1
    response = client.get("/supplements/branch/")
    assert response.context["figures"].submitted == 1
    assert "Trịnh Văn Cao Niên" not in response.content.decode().split("chưa nộp phiếu")[-1]

    # The officer approves it like any other; the record has nothing to change.
    officer = world.client(Role.OFFICER)
    assert "Nộp bản giấy" in officer.get(f"/supplements/{supplement_round.pk}/").content.decode()
    officer.post(f"/supplements/proposals/{proposal.pk}/approve/")
    assert fresh(proposal).status == ProposalStatus.APPROVED


def test_marking_twice_is_refused(world, supplement_round, elder):
    client = world.client(Role.SECRETARY)
    client.post(f"/supplements/{supplement_round.pk}/paper/", {"member": elder.pk})
    response = client.post(
        f"/supplements/{supplement_round.pk}/paper/", {"member": elder.pk}, follow=True
    )
    assert "Trịnh Văn Cao Niên đã có phiếu bổ sung năm" in response.content.decode()
    assert SupplementProposal.unscoped.filter(member=elder).count() == 1


def test_a_member_who_submitted_online_is_not_marked(world, supplement_round):
    propose(world.client(Role.MEMBER), {"phone": "0966", "action": "submit"})
    response = world.client(Role.SECRETARY).post(
        f"/supplements/{supplement_round.pk}/paper/", {"member": world.member.pk}, follow=True
    )
    assert "(chờ chi bộ xác nhận)" in response.content.decode()
    assert SupplementProposal.unscoped.filter(member=world.member).count() == 1


def test_only_members_the_secretary_manages(world, supplement_round):
    client = world.client(Role.SECRETARY)
    for member in (world.other_member, world.outside_member):
        response = client.post(f"/supplements/{supplement_round.pk}/paper/", {"member": member.pk})
        assert response.status_code == 404
    assert client.post(f"/supplements/{supplement_round.pk}/paper/", {}).status_code == 404
    for role in (Role.INSPECTOR, Role.MEMBER):
        response = world.client(role).post(
            f"/supplements/{supplement_round.pk}/paper/", {"member": world.member.pk}
        )
        assert response.status_code == 404
    assert not SupplementProposal.unscoped.exists()


def test_a_member_outside_the_round_is_refused(world):
    branch_round = services.open_round(
        world.users[Role.OFFICER], world.branch, today().year, today() + datetime.timedelta(days=5)
    )
    with pytest.raises(DomainError, match="không nằm trong đợt bổ sung này"):
        services.record_paper_submission(
            world.users[Role.OFFICER], branch_round, world.other_member
        )


def test_no_paper_after_the_round_ends(world, supplement_round, elder):
    world.client(Role.OFFICER).post(f"/supplements/{supplement_round.pk}/close/")
    client = world.client(Role.SECRETARY)
    assert "Đã nộp bản giấy" not in client.get("/supplements/branch/").content.decode()
    response = client.post(
        f"/supplements/{supplement_round.pk}/paper/", {"member": elder.pk}, follow=True
    )
    assert "đã kết thúc" in response.content.decode()
    assert not SupplementProposal.unscoped.exists()
