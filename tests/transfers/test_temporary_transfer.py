"""A temporary transfer (3 months to under 1 year; full-time study up to 2 years) changes no
placement: the member stays counted at home, the host branch lists them as hosted until they
return (domain-rules §2.7: not counted in the host's head-count)."""

from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Placement
from dangvien.transfers.models import TransferStatus
from tests.transfers.steps import ONE_DAY, arrive, issue, latest, members_on, today


def _hosted_rows(client) -> str:
    return client.get("/transfers/").content.decode().split('id="hosted"')[1].split("</table>")[0]


def test_temporary_keeps_the_home_count_and_the_host_lists_the_member(world):
    start = today() - ONE_DAY * 30
    response = issue(
        world.client(Role.OFFICER),
        world.member,
        kind="temporary",
        to_code=world.outside_branch.code,
        trigger_on=start,
        letter_issued_on=start,
        temporary_until=add_months(start, 6),
    )
    assert response.status_code == 302, response.content.decode()
    transfer = latest(world.member)
    receiver = world.client("outside_officer")
    assert arrive(receiver, transfer, start + ONE_DAY * 3).status_code == 302
    for day in (start + ONE_DAY * 3, today()):
        assert members_on(world.branch, day) == 1, day  # still counted at home
        assert members_on(world.outside_branch, day) == 1, day  # the host's own member only
    assert Member.unscoped.get(pk=world.member.pk).branch == world.branch
    assert Placement.objects.filter(member=world.member).count() == 1
    assert world.member.full_name in _hosted_rows(receiver)
    assert world.member.full_name in _hosted_rows(world.client(Role.OFFICER))
    # The member cannot be given a second letter while away.
    again = issue(
        world.client(Role.OFFICER),
        world.member,
        to_code=world.other_branch.code,
        trigger_on=today(),
        letter_issued_on=today(),
    )
    assert again.status_code == 400 and "chưa xong" in again.content.decode()

    back = receiver.post(
        f"/transfers/{transfer.pk}/return/", {"returned_on": f"{today():%d/%m/%Y}"}
    )
    assert back.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.returned_on) == (TransferStatus.RETURNED, today())
    assert world.member.full_name not in _hosted_rows(receiver)
    assert members_on(world.branch, today()) == 1


def test_temporary_periods_follow_the_rule_set(world):
    start = today() - ONE_DAY * 10
    common = {"to_code": world.outside_branch.code, "trigger_on": start, "letter_issued_on": start}
    client = world.client(Role.OFFICER)
    too_long = issue(
        client, world.member, kind="temporary", temporary_until=add_months(start, 12), **common
    )
    assert too_long.status_code == 400 and "dưới 12 tháng" in too_long.content.decode()
    too_short = issue(
        client, world.member, kind="temporary", temporary_until=add_months(start, 2), **common
    )
    assert too_short.status_code == 400 and "từ 3 tháng" in too_short.content.decode()
    study = issue(
        client, world.member, kind="study", temporary_until=add_months(start, 24), **common
    )
    assert study.status_code == 302
    assert latest(world.member).temporary_until == add_months(start, 24)
