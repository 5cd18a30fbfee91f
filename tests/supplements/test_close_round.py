"""An officer ends the round: members can no longer submit; sent proposals are still decided."""

from dangvien.accounts.roles import Role
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
