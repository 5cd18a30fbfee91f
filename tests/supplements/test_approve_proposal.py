"""The officer approves a confirmed proposal; the record changes, with who, when, old and new."""

import pytest

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.supplements.models import ProposalStatus
from tests.supplements.conftest import fresh, proposal_of
from tests.supplements.proposing import propose


@pytest.fixture
def proposal(world, supplement_round):
    propose(
        world.client(Role.MEMBER),
        {"phone": "0912 345 678", "political_theory": "Trung cấp", "action": "submit"},
    )
    sent = proposal_of(world.member)
    world.client(Role.SECRETARY).post(f"/supplements/proposals/{sent.pk}/confirm/")
    return sent


def _member_updates(member):
    return AuditEntry.unscoped.filter(
        action="member.update", target_type=Member._meta.label_lower, target_id=member.pk
    )


def test_officer_sees_the_diff_and_approves(world, supplement_round, proposal):
    client = world.client(Role.OFFICER)
    page = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    assert "Phiếu chờ duyệt" in page and "Duyệt và cập nhật hồ sơ" in page
    assert "0912 345 678" in page and "Trung cấp" in page
    response = client.post(f"/supplements/proposals/{proposal.pk}/approve/")
    assert response.status_code == 302
    approved = fresh(proposal)
    assert approved.status == ProposalStatus.APPROVED
    assert approved.approved_by == world.users[Role.OFFICER]
    record = fresh(world.member)
    assert (record.phone, record.political_theory) == ("0912 345 678", "Trung cấp")
    entry = _member_updates(world.member).get()
    assert entry.actor == world.users[Role.OFFICER]
    assert entry.reason == f"Bổ sung hồ sơ năm {supplement_round.year}"
    assert entry.changes == {"phone": ["", "0912 345 678"], "political_theory": ["", "Trung cấp"]}
    assert AuditEntry.unscoped.filter(action="supplement.approve").count() == 1
    assert "Không có phiếu nào chờ duyệt." in (
        client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    )


def test_approving_twice_is_refused(world, proposal):
    client = world.client(Role.OFFICER)
    client.post(f"/supplements/proposals/{proposal.pk}/approve/")
    response = client.post(f"/supplements/proposals/{proposal.pk}/approve/", follow=True)
    assert "Phiếu bổ sung đã được duyệt." in response.content.decode()
    assert _member_updates(world.member).count() == 1


def test_an_unconfirmed_proposal_waits_for_the_branch(world, supplement_round):
    propose(world.client(Role.MEMBER), {"phone": "0955", "action": "submit"})
    sent = proposal_of(world.member)
    response = world.client(Role.OFFICER).post(
        f"/supplements/proposals/{sent.pk}/approve/", follow=True
    )
    assert "Phiếu bổ sung chưa được chi bộ xác nhận." in response.content.decode()
    assert fresh(sent).status == ProposalStatus.SUBMITTED
    assert fresh(world.member).phone == ""


def test_only_the_officer_of_the_round_approves(world, proposal):
    assert (
        world.client(Role.SECRETARY)
        .post(f"/supplements/proposals/{proposal.pk}/approve/")
        .status_code
        == 403
    )
    assert (
        world.client(Role.INSPECTOR)
        .post(f"/supplements/proposals/{proposal.pk}/approve/")
        .status_code
        == 403
    )
    assert (
        world.client(Role.MEMBER).post(f"/supplements/proposals/{proposal.pk}/approve/").status_code
        == 403
    )
    outside = world.client(None)
    outside.force_login(world.users["outside_officer"])
    assert outside.post(f"/supplements/proposals/{proposal.pk}/approve/").status_code == 404
    assert fresh(proposal).status == ProposalStatus.CONFIRMED
    assert not _member_updates(world.member).exists()


def test_a_record_changed_since_the_proposal_is_flagged(world, supplement_round, proposal):
    record = fresh(world.member)
    record.phone = "0200 000 000"
    record.save()
    page = world.client(Role.OFFICER).get(f"/supplements/proposals/{proposal.pk}/").content
    assert "Hồ sơ hiện ghi: 0200 000 000" in page.decode()


def test_the_member_sees_the_outcome(world, proposal):
    world.client(Role.OFFICER).post(f"/supplements/proposals/{proposal.pk}/approve/")
    page = world.client(Role.MEMBER).get("/supplements/my/").content.decode()
    assert "Đã duyệt" in page
