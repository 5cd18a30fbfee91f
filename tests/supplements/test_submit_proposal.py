"""A member proposes changes to their own record from the self-service page."""

import datetime

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus, SupplementProposal
from tests.supplements.conftest import client_of, fresh, member_with_account, proposal_of, today
from tests.supplements.proposing import propose


def test_member_only_role_reaches_their_page_with_current_values(world, supplement_round):
    world.member.residence = "Tổ 5, phường Hòa Bình"
    world.member.save()
    client = world.client(Role.MEMBER)
    home = client.get("/").content.decode()
    assert "Bổ sung hồ sơ của tôi" in home and "Bổ sung hồ sơ hằng năm" not in home
    page = client.get("/supplements/my/").content.decode()
    assert f"Đợt bổ sung năm {supplement_round.year}" in page
    assert 'value="Tổ 5, phường Hòa Bình"' in page
    assert '<option value="Đại học" selected>' in page
    # Nobody else's data: the member has no view of the tree.
    assert world.other_member.full_name not in page
    assert client.get(f"/supplements/{supplement_round.pk}/").status_code == 404


def test_only_changed_fields_are_proposed_and_the_record_waits(world, supplement_round):
    client = world.client(Role.MEMBER)
    response = propose(
        client,
        {
            "phone": "0912 345 678",
            "qualification": "Thạc sĩ",
            "residence": "",
            "workplace": "",
            "note": "Đã bảo vệ luận văn",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    proposal = proposal_of(world.member)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.changes == {
        "phone": ["", "0912 345 678"],
        "qualification": ["Đại học", "Thạc sĩ"],
    }
    assert (
        proposal.submitted_by == world.users[Role.MEMBER] and proposal.note == "Đã bảo vệ luận văn"
    )
    record = fresh(world.member)
    assert (record.phone, record.qualification) == ("", "Đại học")
    entry = AuditEntry.unscoped.get(action="supplement.submit")
    assert entry.actor == world.users[Role.MEMBER] and entry.org_path == world.branch.path
    page = client.get("/supplements/my/").content.decode()
    assert "Chờ chi bộ xác nhận" in page and 'name="phone"' not in page
    history = world.client(Role.SECRETARY).get("/history/").content.decode()
    assert "Gửi phiếu bổ sung hồ sơ" in history and "Điện thoại:" in history


def test_nothing_can_be_submitted_without_an_open_round(world):
    response = propose(world.client(Role.MEMBER), {"phone": "0912 345 678", "action": "submit"})
    assert "Hiện không có đợt bổ sung hồ sơ nào đang mở cho chi bộ của bạn." in (
        response.content.decode()
    )
    assert not SupplementProposal.unscoped.exists()


def test_a_round_of_another_subtree_does_not_cover_the_member(world):
    services.open_round(
        world.users["outside_officer"],
        world.outside_upper,
        today().year,
        today() + datetime.timedelta(days=10),
    )
    with pytest.raises(DomainError, match="Hiện không có đợt bổ sung"):
        services.submit_proposal(world.users[Role.MEMBER], {"phone": "0912 345 678"})


def test_a_round_opened_far_above_covers_the_member(world):
    services.open_round(
        world.users[Role.ADMIN], world.province, today().year, today() + datetime.timedelta(days=9)
    )
    proposal = services.submit_proposal(world.users[Role.MEMBER], {"it_skill": "Chứng chỉ B"})
    assert proposal.round.organization == world.province


def test_an_empty_change_set_is_refused(world, supplement_round):
    client = world.client(Role.MEMBER)
    response = propose(client, {"qualification": "Đại học", "action": "submit"})
    assert "Không có thay đổi nào so với hồ sơ hiện tại." in response.content.decode()
    # An empty form changes nothing either: fields left out of the request are not changes.
    response = propose(client, {})
    assert "Không có thay đổi nào so với hồ sơ hiện tại." in response.content.decode()
    assert not SupplementProposal.unscoped.exists()


def test_fields_outside_the_supplement_form_cannot_be_proposed(world, supplement_round):
    client = world.client(Role.MEMBER)
    response = propose(client, {"full_name": "Tên Khác", "admitted_on": "01/01/2000"})
    assert "Không có thay đổi nào" in response.content.decode()
    assert not SupplementProposal.unscoped.exists()
    assert fresh(world.member).full_name == "Nguyễn Văn An"
    user = world.users[Role.MEMBER]
    with pytest.raises(DomainError, match="Không thể đề nghị sửa «họ và tên»"):
        services.submit_proposal(user, {"phone": "0912", "full_name": "Tên Khác"})
    with pytest.raises(DomainError, match="Không thể đề nghị sửa «tình trạng»"):
        services.submit_proposal(user, {"status": "official"})
    with pytest.raises(DomainError, match="Phiếu bổ sung không có mục «so_thich»"):
        services.submit_proposal(user, {"so_thich": "Cờ tướng"})
    with pytest.raises(DomainError, match="Chuyên môn: «Siêu cấp» không có trong danh mục"):
        services.submit_proposal(user, {"qualification": "Siêu cấp"})
    with pytest.raises(DomainError, match="Điện thoại: dài quá 20 ký tự"):
        services.submit_proposal(user, {"phone": "0" * 21})
    assert not SupplementProposal.unscoped.exists()


def test_a_value_outside_a_list_is_refused_on_the_page(world, supplement_round):
    response = propose(
        world.client(Role.MEMBER), {"political_theory": "Siêu cấp", "action": "submit"}
    )
    assert response.status_code == 400
    assert "Chưa lưu." in response.content.decode()
    assert not SupplementProposal.unscoped.exists()


def test_a_draft_is_kept_then_submitted(world, supplement_round):
    client = world.client(Role.MEMBER)
    propose(client, {"foreign_language": "Tiếng Anh B1", "action": "draft"})
    draft = proposal_of(world.member)
    assert draft.status == ProposalStatus.DRAFT and draft.submitted_at is None
    page = client.get("/supplements/my/").content.decode()
    assert 'value="Tiếng Anh B1"' in page and "Bạn đang có bản nháp" in page
    # The branch does not see a draft: it is not sent yet.
    secretary = world.client(Role.SECRETARY)
    assert secretary.get(f"/supplements/proposals/{draft.pk}/").status_code == 404
    assert "Đang soạn trên hệ thống" in secretary.get("/supplements/branch/").content.decode()
    history = secretary.get("/history/").content.decode()
    assert "Lưu nháp phiếu bổ sung hồ sơ" in history and "Tiếng Anh B1" not in history

    propose(
        client,
        {"foreign_language": "Tiếng Anh B2", "it_skill": "Cơ bản", "action": "submit"},
    )
    sent = proposal_of(world.member)
    assert sent.pk == draft.pk and sent.status == ProposalStatus.SUBMITTED
    assert sent.changes == {"foreign_language": ["", "Tiếng Anh B2"], "it_skill": ["", "Cơ bản"]}


def test_a_second_proposal_in_the_same_round_is_refused(world, supplement_round):
    client = world.client(Role.MEMBER)
    propose(client, {"phone": "0912 345 678", "action": "submit"})
    response = propose(client, {"phone": "0987 654 321", "action": "submit"})
    assert f"Bạn đã gửi phiếu bổ sung hồ sơ năm {supplement_round.year}" in (
        response.content.decode()
    )
    assert SupplementProposal.unscoped.count() == 1


def test_an_account_without_a_record_cannot_submit(world, supplement_round):
    client = world.client(Role.OFFICER)
    page = client.get("/supplements/my/").content.decode()
    assert "Tài khoản của bạn không gắn với hồ sơ đảng viên nào." in page
    propose(client, {"phone": "0912 345 678", "action": "submit"})
    assert not SupplementProposal.unscoped.exists()


def test_member_sees_only_their_own_proposals(world, supplement_round):
    colleague = member_with_account(world.branch, "dongchi", full_name="Phạm Thị Cúc")
    propose(client_of(colleague), {"phone": "0911 111 111", "action": "submit"})
    propose(world.client(Role.MEMBER), {"phone": "0922 222 222", "action": "submit"})
    own, theirs = proposal_of(world.member), proposal_of(colleague)
    client = world.client(Role.MEMBER)
    assert client.get(f"/supplements/proposals/{own.pk}/").status_code == 200
    assert client.get(f"/supplements/proposals/{theirs.pk}/").status_code == 404
    page = client.get("/supplements/my/").content.decode()
    assert "0911 111 111" not in page and "Phạm Thị Cúc" not in page
    detail = client.get(f"/supplements/proposals/{own.pk}/").content.decode()
    assert "0922 222 222" in detail and "Phạm Thị Cúc" not in detail
