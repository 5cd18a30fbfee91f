"""The overdue list: a letter not presented within 30 working days of its issue (QĐ 294-QĐ/TW;
domain-rules §2.7), counted on the working-day calendar (weekends and the days off of the
holiday table skipped), listed for both the sending and the receiving side."""

import datetime

from dangvien.core.models import Holiday
from dangvien.core.roles import Role
from tests.transfers.steps import issue, today


def _working_days_before(day: datetime.date, count: int) -> list[datetime.date]:
    """The `count` working days before `day`, latest first (counted here, not by the app)."""
    holidays = set(Holiday.objects.values_list("day", flat=True))
    found, cursor = [], day
    while len(found) < count:
        cursor -= datetime.timedelta(days=1)
        if cursor.weekday() < 5 and cursor not in holidays:
            found.append(cursor)
    return found


def _overdue_rows(client) -> str:
    page = client.get("/transfers/").content.decode()
    return page.split('id="overdue"')[1].split("</table>")[0]


def test_overdue_letters_follow_the_working_day_calendar(world):
    days = _working_days_before(today(), 31)
    on_time, late = days[29], days[30]  # 29 and 30 working days passed before today
    sender = world.client(Role.OFFICER)
    for member, letter_on in ((world.member, on_time), (world.other_member, late)):
        response = issue(
            sender,
            member,
            to_code=world.outside_branch.code,
            trigger_on=letter_on,
            letter_issued_on=letter_on,
        )
        assert response.status_code == 302, response.content.decode()

    for client in (sender, world.client("outside_officer")):  # both sides see it
        rows = _overdue_rows(client)
        assert world.other_member.full_name in rows
        assert world.member.full_name not in rows
        assert f"{days[0]:%d/%m/%Y}" in rows  # the 30th working day after the letter

    # A day off inside the period moves its end one working day later: not overdue any more.
    Holiday.objects.create(day=days[15], name="Nghỉ bù")
    assert world.other_member.full_name not in _overdue_rows(sender)


def test_the_holiday_page_counts_letters_whose_deadline_a_removed_day_off_moves(world):
    """Removing a day off makes the periods holding it end a working day earlier: the holiday
    page names the letters waiting for the member among what moves."""
    from dangvien.core.holiday_effects import deadlines_moved_by

    days = _working_days_before(today(), 10)
    holiday = Holiday.objects.create(day=days[3], name="Nghỉ bù")
    issue(
        world.client(Role.OFFICER),
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=days[8],
        letter_issued_on=days[8],
    )
    moved = {
        entry.deadline.rule_key: entry.count
        for entry in deadlines_moved_by(world.users[Role.OFFICER], holiday.day)
    }
    assert moved["transfer_present_working_days"] == 1
    assert {
        entry.deadline.rule_key: entry.count
        for entry in deadlines_moved_by(world.users[Role.SECRETARY], holiday.day)
    }["transfer_present_working_days"] == 1  # the secretary of the sending branch too
