"""An officer ends the round: members can no longer submit; sent proposals are still decided."""

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus
from tests.supplements.conftest import fresh, proposal_of
from tests.supplements.proposing import propose


def test_officer_closes_the_round_and_submissions_stop(world, supplement_round):
    member_client = world.client(Role.MEMBER)
    propose(member_client, {"phone": "0900 000 001", "action": "submit"})
    client = world.client(Role.OFFICER)
    response = client.post(f"/supplements/{supplement_round.pk}/close/")
    assert response.status_code == 302
    closed = fresh(supplement_round)
    assert closed.closed_at is not None and closed.closed_by == world.users[Role.OFFICER]
    assert "Đã kết thúc" in client.get(f"/supplements/{supplement_round.pk}/").content.decode()

    page = member_client.get("/supplements/my/").content.decode()
    assert "Hiện không có đợt bổ sung hồ sơ nào đang mở cho chi bộ của bạn." in page

    # The proposal sent before the end is still confirmed and approved.
    proposal = proposal_of(world.member)
    world.client(Role.SECRETARY).post(f"/supplements/proposals/{proposal.pk}/confirm/")
    client.post(f"/supplements/proposals/{proposal.pk}/approve/")
    assert fresh(proposal).status == ProposalStatus.APPROVED
    assert fresh(world.member).phone == "0900 000 001"


def test_closing_twice_is_refused(world, supplement_round):
    client = world.client(Role.OFFICER)
    client.post(f"/supplements/{supplement_round.pk}/close/")
    response = client.post(f"/supplements/{supplement_round.pk}/close/", follow=True)
    assert f"Đợt bổ sung hồ sơ năm {supplement_round.year} đã kết thúc." in (
        response.content.decode()
    )


def test_only_managers_of_the_round_close_it(world, supplement_round):
    assert (
        world.client(Role.INSPECTOR).post(f"/supplements/{supplement_round.pk}/close/").status_code
        == 403
    )
    assert (
        world.client(Role.SECRETARY).post(f"/supplements/{supplement_round.pk}/close/").status_code
        == 404
    )
    outside = world.client(None)
    outside.force_login(world.users["outside_officer"])
    assert outside.post(f"/supplements/{supplement_round.pk}/close/").status_code == 404
    assert fresh(supplement_round).is_open


def test_the_end_asks_for_confirmation_and_says_what_it_changes(world, supplement_round):
    client = world.client(Role.OFFICER)
    page = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    assert f'href="/supplements/{supplement_round.pk}/close/"' in page
    confirmation = client.get(f"/supplements/{supplement_round.pk}/close/").content.decode()
    assert "đảng viên không nộp phiếu bổ sung được nữa" in confirmation
    assert "Phiếu đã nộp vẫn được chi bộ xác nhận và cấp trên duyệt." in confirmation
    assert fresh(supplement_round).is_open


def test_an_ended_round_is_reopened_with_a_reason(world, supplement_round):
    client = world.client(Role.OFFICER)
    client.post(f"/supplements/{supplement_round.pk}/close/", {"reason": ""})
    assert not fresh(supplement_round).is_open
    page = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    assert f'href="/supplements/{supplement_round.pk}/reopen/"' in page

    refused = client.post(f"/supplements/{supplement_round.pk}/reopen/", {"reason": " "})
    assert refused.status_code == 400
    assert "Chưa mở lại đợt: Hãy nêu lý do mở lại đợt bổ sung hồ sơ." in refused.content.decode()
    assert not fresh(supplement_round).is_open

    reason = "Kết thúc nhầm trước hạn nộp."
    response = client.post(
        f"/supplements/{supplement_round.pk}/reopen/", {"reason": reason}, follow=True
    )
    assert f"Đã mở lại đợt bổ sung hồ sơ năm {supplement_round.year}." in response.content.decode()
    assert fresh(supplement_round).is_open
    entry = AuditEntry.unscoped.get(action="supplement.reopen")
    assert entry.reason == reason
    page = world.client(Role.MEMBER).get("/supplements/my/").content.decode()
    assert "Hiện không có đợt bổ sung hồ sơ nào đang mở" not in page


def test_a_round_is_not_reopened_over_another_open_round(world, supplement_round):
    client = world.client(Role.OFFICER)
    client.post(f"/supplements/{supplement_round.pk}/close/", {"reason": ""})
    services.open_round(
        world.users[Role.OFFICER],
        world.base,  # a unit below it: its own round, opened after the end of the first
        supplement_round.year,
        supplement_round.deadline,
    )
    refused = client.post(f"/supplements/{supplement_round.pk}/reopen/", {"reason": "Mở lại"})
    assert "đang mở: kết thúc đợt đó trước khi mở lại đợt này." in refused.content.decode()
    assert not fresh(supplement_round).is_open
