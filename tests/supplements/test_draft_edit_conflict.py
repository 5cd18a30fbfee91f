"""A member's supplement proposal open in two tabs (or devices): the first save wins, the second
(a draft saved again, or the proposal sent) is refused with the saved draft named, and nothing
is overwritten."""

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.supplements.models import ProposalStatus, SupplementProposal
from tests.supplements.conftest import proposal_of
from tests.supplements.proposing import MY, opened, propose


def history() -> list[str]:
    return list(
        AuditEntry.unscoped.filter(action__startswith="supplement.")
        .values_list("action", flat=True)
        .order_by("id")
    )


def test_the_second_tab_cannot_overwrite_the_draft(world, supplement_round):
    tab1, tab2 = world.client(Role.MEMBER), world.client(Role.MEMBER)
    first, second = opened(tab1), opened(tab2)
    draft = {"phone": "0911 111 111", "note": "Số mới.", "action": "draft"}
    assert propose(tab1, draft, first).status_code == 302

    response = propose(tab2, {"phone": "0922 222 222", "action": "draft"}, second)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu." in page  # said at the top of the page
    assert f"Phiếu bổ sung hồ sơ năm {supplement_round.year} đã được" in page
    assert world.users[Role.MEMBER].full_name in page and "lưu nháp phiếu bổ sung" in page.lower()
    assert "sau khi bạn mở trang" in page
    assert "Bản nháp đang lưu đề nghị: Điện thoại: 0911 111 111; ghi chú: Số mới." in page
    assert 'value="0922 222 222"' in page  # what the second tab typed is kept
    proposal = proposal_of(world.member)
    assert proposal.changes["phone"][1] == "0911 111 111" and proposal.note == "Số mới."
    assert history() == ["supplement.open", "supplement.draft"]

    # The refused form carries the version now shown: saving again applies it knowingly.
    again = dict(response.context["form"].data.items())
    assert tab2.post(MY, again).status_code == 302
    assert proposal_of(world.member).changes["phone"][1] == "0922 222 222"


def test_sending_from_a_stale_tab_is_refused(world, supplement_round):
    tab1, tab2 = world.client(Role.MEMBER), world.client(Role.MEMBER)
    propose(tab1, {"phone": "0911 111 111", "action": "draft"})
    first, second = opened(tab1), opened(tab2)
    assert propose(tab1, {"phone": "0933 333 333", "action": "draft"}, first).status_code == 302

    page = propose(tab2, {"phone": "0911 111 111", "action": "submit"}, second).content.decode()
    assert "Bản nháp đang lưu đề nghị: Điện thoại: 0933 333 333." in page
    proposal = proposal_of(world.member)
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.changes["phone"][1] == "0933 333 333"
    assert history() == ["supplement.open", "supplement.draft", "supplement.draft"]


def test_a_save_without_the_version_is_refused(world, supplement_round):
    response = world.client(Role.MEMBER).post(MY, {"phone": "0911 111 111", "action": "draft"})
    assert "Trang bạn dùng đã cũ" in response.content.decode()
    assert not SupplementProposal.unscoped.exists()
