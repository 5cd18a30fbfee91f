"""An approval made by mistake is undone with a reason («Hoàn tác duyệt»): the record's fields
it wrote go back to their values before it, the proposal awaits approval again, and the record's
history keeps both. A record corrected since the approval is never overwritten: the undo is
refused, naming the fields."""

import importlib

import pytest
from django.apps import apps

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members import services as member_services
from dangvien.members.models import Member
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus
from tests.supplements.conftest import fresh

REASON = "Duyệt nhầm phiếu, chi bộ báo số điện thoại chưa đúng"


def url(proposal) -> str:
    return f"/supplements/proposals/{proposal.pk}/unapprove/"


def confirmed(world):
    member_user = world.users[Role.MEMBER]
    proposal = services.submit_proposal(
        member_user, {"phone": "0912 345 678", "political_theory": "Trung cấp"}
    )
    return services.confirm_proposal(world.users[Role.SECRETARY], proposal)


@pytest.fixture
def approved(world, supplement_round):
    return services.approve_proposal(world.users[Role.OFFICER], confirmed(world))


def updates_of(member) -> list[AuditEntry]:
    return list(
        AuditEntry.unscoped.filter(action="member.update", target_id=member.pk).order_by("id")
    )


def test_the_officer_sees_what_goes_back(world, approved):
    officer = world.client(Role.OFFICER)
    page = officer.get(f"/supplements/proposals/{approved.pk}/").content.decode()
    assert f'href="{url(approved)}"' in page and "Hoàn tác duyệt…" in page
    secretary_page = world.client(Role.SECRETARY).get(f"/supplements/proposals/{approved.pk}/")
    assert "Hoàn tác duyệt" not in secretary_page.content.decode()

    response = officer.get(url(approved))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hoàn tác duyệt phiếu bổ sung hồ sơ năm" in page
    assert "Điện thoại: «0912 345 678» trở lại «—»." in page
    assert "Lý luận chính trị: «Trung cấp» trở lại «—»." in page
    assert "trở lại «Chờ cấp ủy duyệt»: có thể duyệt lại hoặc trả lại." in page
    assert 'Lý do <span class="required"' in page
    assert fresh(approved).status == ProposalStatus.APPROVED


def test_without_a_reason_nothing_changes(world, approved):
    response = world.client(Role.OFFICER).post(url(approved), {"reason": " "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa hoàn tác duyệt: Cần ghi lý do hoàn tác duyệt phiếu." in page
    assert "Điện thoại: «0912 345 678» trở lại «—»." in page
    assert fresh(approved).status == ProposalStatus.APPROVED
    assert fresh(world.member).phone == "0912 345 678"
    assert not AuditEntry.unscoped.filter(action="supplement.unapprove").exists()


def test_the_undo_restores_the_record_and_the_proposal_awaits_approval(world, approved):
    officer = world.client(Role.OFFICER)
    response = officer.post(url(approved), {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == f"/supplements/proposals/{approved.pk}/"
    record = fresh(world.member)
    assert (record.phone, record.political_theory) == ("", "")
    proposal = fresh(approved)
    assert proposal.status == ProposalStatus.CONFIRMED
    assert proposal.approved_at is None and proposal.approved_by is None

    entry = AuditEntry.unscoped.get(action="supplement.unapprove")
    assert entry.reason == REASON and entry.actor == world.users[Role.OFFICER]
    assert entry.changes["status"] == ["Đã duyệt", "Chờ cấp ủy duyệt"]
    assert entry.changes["phone"] == ["0912 345 678", ""]
    approval, undo = updates_of(world.member)
    assert approval.changes["phone"] == ["", "0912 345 678"]
    assert undo.changes == {"phone": ["0912 345 678", ""], "political_theory": ["Trung cấp", ""]}
    assert REASON in undo.reason

    # Awaiting approval again: on the round's queue, and it can be approved once more.
    round_page = officer.get(f"/supplements/{approved.round_id}/").content.decode()
    assert f'id="proposal-{approved.pk}"' in round_page
    officer.post(f"/supplements/proposals/{approved.pk}/approve/")
    assert fresh(approved).status == ProposalStatus.APPROVED
    assert fresh(world.member).phone == "0912 345 678"


def test_a_record_corrected_since_is_not_overwritten(world, approved):
    member_services.update_member(
        world.users[Role.SECRETARY], fresh(world.member), {"phone": "0200 000 000"}
    )
    officer = world.client(Role.OFFICER)
    page = officer.get(url(approved)).content.decode()
    named = "Điện thoại (hồ sơ hiện ghi: 0200 000 000)"
    assert f"Không thể hoàn tác: hồ sơ đã được sửa sau khi duyệt ở {named}" in page

    response = officer.post(url(approved), {"reason": REASON})
    assert response.status_code == 400
    assert (
        f"Chưa hoàn tác duyệt: Không thể hoàn tác: hồ sơ đã được sửa sau khi duyệt ở {named}"
        in (response.content.decode())
    )
    record = fresh(world.member)
    assert (record.phone, record.political_theory) == ("0200 000 000", "Trung cấp")
    assert fresh(approved).status == ProposalStatus.APPROVED
    assert not AuditEntry.unscoped.filter(action="supplement.unapprove").exists()


def test_the_value_before_the_approval_comes_back_not_the_proposals(world, supplement_round):
    """The record was corrected between the proposal and the approval: undoing the approval
    restores that correction, the value the approval actually wrote over."""
    proposal = confirmed(world)
    member_services.update_member(
        world.users[Role.SECRETARY], fresh(world.member), {"phone": "0300 000 000"}
    )
    services.approve_proposal(world.users[Role.OFFICER], proposal)
    assert fresh(proposal).replaced["phone"] == ["0300 000 000", "0912 345 678"]
    world.client(Role.OFFICER).post(url(proposal), {"reason": REASON})
    assert fresh(world.member).phone == "0300 000 000"


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.INSPECTOR, Role.MEMBER])
def test_only_the_officer_of_the_round_undoes(world, approved, role):
    client = world.client(role)  # each reads the proposal, none may undo it
    assert client.get(url(approved)).status_code == 403
    assert client.post(url(approved), {"reason": REASON}).status_code == 403
    assert fresh(approved).status == ProposalStatus.APPROVED


def test_an_officer_outside_gets_not_found(world, approved):
    outside = world.client(None)
    outside.force_login(world.users["outside_officer"])
    assert outside.get(url(approved)).status_code == 404
    assert outside.post(url(approved), {"reason": REASON}).status_code == 404
    assert fresh(world.member).phone == "0912 345 678"


def test_a_proposal_not_approved_has_nothing_to_undo(world, supplement_round):
    proposal = confirmed(world)
    response = world.client(Role.OFFICER).get(url(proposal), follow=True)
    assert "Phiếu chưa được duyệt (chờ cấp ủy duyệt)." in response.content.decode()
    with pytest.raises(DomainError, match=r"chưa được duyệt \(chờ cấp ủy duyệt\): không có"):
        services.undo_approval(world.users[Role.OFFICER], proposal, REASON)


def test_the_migration_finds_what_earlier_approvals_replaced(world, approved):
    """Approvals made before the proposal kept its replaced values get them from the record's
    history (migration 0002)."""
    proposal = fresh(approved)
    kept = proposal.replaced
    proposal.replaced = {}
    proposal.save(update_fields=["replaced"])
    migration = importlib.import_module(
        "dangvien.supplements.migrations.0002_proposal_replaced_values"
    )
    with unscoped():
        migration.fill_replaced(apps, None)
    assert (
        fresh(approved).replaced
        == kept
        == {
            "phone": ["", "0912 345 678"],
            "political_theory": ["", "Trung cấp"],
        }
    )
    assert Member.unscoped.get(pk=world.member.pk).phone == "0912 345 678"
