"""The overdue list: a letter not presented within 30 working days of its issue (QĐ 294-QĐ/TW;
domain-rules §2.7), counted on the working-day calendar (weekends and the days off of the
holiday table skipped), listed for both the sending and the receiving side."""

import datetime
import zoneinfo

import time_machine

from dangvien.core.models import Holiday
from dangvien.core.roles import Role
from dangvien.core.rules import RuleBook
from tests.transfers.steps import ONE_DAY, issue, today


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


VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# Wednesday 29/04/2026, the eve of Ngày Chiến thắng (Thursday 30/04) and Quốc tế Lao động
# (Friday 01/05), then the weekend: five days off in a row. Friday 08/05/2026: a weekend after.
DUE_BEFORE_HOLIDAYS = datetime.date(2026, 4, 29)
DUE_BEFORE_WEEKEND = datetime.date(2026, 5, 8)


def _on(day: datetime.date):
    """The project clock stopped at 09:00 of `day` in Vietnam."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), VIETNAM), tick=False
    )


def _issued_for_due(due: datetime.date) -> datetime.date:
    """The letter day whose presentation period (rule set's working days) ends on `due`: the
    working day before the period's first one, counted here from the holiday table."""
    days = RuleBook.load().value("transfer_present_working_days", due)
    return _working_days_before(due + datetime.timedelta(days=1), days + 1)[-1]


def _late_cell(rows: str, member) -> str:
    row = rows.split(member.full_name)[1].split("</tr>")[0]
    return row.rsplit("<td>", 1)[1].split("</td>")[0]


def _rows_on(world, day: datetime.date, role: str = Role.OFFICER) -> str:
    """The overdue table as `role` reads it on `day` (signed in that day)."""
    with _on(day):
        return _overdue_rows(world.client(role))


def _issue_due_on(world, member, due: datetime.date) -> None:
    """The officer issues `member` a letter to the outside officer's branch, due on `due`."""
    letter_on = _issued_for_due(due)
    with _on(due):
        response = issue(
            world.client(Role.OFFICER),
            member,
            to_code=world.outside_branch.code,
            trigger_on=letter_on,
            letter_issued_on=letter_on,
        )
    assert response.status_code == 302, response.content.decode()


def test_overdue_counts_working_days_past_the_due_date(world):
    """Late from the day after the due date up to today, weekends and days off not counted:
    five calendar days after 29/04/2026 are one working day (QĐ 294-QĐ/TW; domain-rules §2.7,
    the deadline itself counted in working days)."""
    assert Holiday.objects.filter(day__in=[datetime.date(2026, 4, 30), datetime.date(2026, 5, 1)])
    _issue_due_on(world, world.member, DUE_BEFORE_HOLIDAYS)
    _issue_due_on(world, world.other_member, DUE_BEFORE_WEEKEND)

    # The last day: not late yet.
    assert world.member.full_name not in _rows_on(world, datetime.date(2026, 4, 29))
    # A day off: late, but no working day missed yet.
    rows = _rows_on(world, datetime.date(2026, 4, 30))
    assert f"{DUE_BEFORE_HOLIDAYS:%d/%m/%Y}" in rows
    assert _late_cell(rows, world.member) == (
        f"Đã qua hạn (hạn cuối {DUE_BEFORE_HOLIDAYS:%d/%m/%Y}), ngày nghỉ: "
        "chưa tính ngày làm việc nào"
    )
    # Monday, 5 calendar days after the due date.
    rows = _rows_on(world, datetime.date(2026, 5, 4))
    assert _late_cell(rows, world.member) == "Quá hạn 1 ngày làm việc"
    assert world.other_member.full_name not in rows
    # Saturday after the Friday due date.
    rows = _rows_on(world, datetime.date(2026, 5, 9))
    assert _late_cell(rows, world.member) == "Quá hạn 5 ngày làm việc"
    assert _late_cell(rows, world.other_member) == (
        f"Đã qua hạn (hạn cuối {DUE_BEFORE_WEEKEND:%d/%m/%Y}), ngày nghỉ: "
        "chưa tính ngày làm việc nào"
    )
    # Monday: 12 and 3 calendar days; the receiving side reads the same.
    for role in (Role.OFFICER, "outside_officer"):
        rows = _rows_on(world, datetime.date(2026, 5, 11), role)
        assert _late_cell(rows, world.member) == "Quá hạn 6 ngày làm việc"
        assert _late_cell(rows, world.other_member) == "Quá hạn 1 ngày làm việc"
        assert f"{DUE_BEFORE_WEEKEND:%d/%m/%Y}" in rows


def test_a_day_off_added_after_the_due_date_is_not_counted_late(world):
    """The delay reads the same calendar as the deadline: a day off declared between the due
    date and today (a holiday the table learns later) is not a working day missed."""
    _issue_due_on(world, world.member, DUE_BEFORE_WEEKEND)
    wednesday = datetime.date(2026, 5, 13)  # Monday, Tuesday, Wednesday late
    assert _late_cell(_rows_on(world, wednesday), world.member) == "Quá hạn 3 ngày làm việc"
    Holiday.objects.create(day=datetime.date(2026, 5, 12), name="Nghỉ bù")
    assert _late_cell(_rows_on(world, wednesday), world.member) == "Quá hạn 2 ngày làm việc"


def _working_days_between(after: datetime.date, until: datetime.date) -> int:
    """Working days in (after, until], counted here from the holiday table."""
    holidays = set(Holiday.objects.values_list("day", flat=True))
    days = (after + datetime.timedelta(days=n) for n in range(1, (until - after).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in holidays)


def test_a_letter_long_overdue_counts_the_days_off_of_every_year_since(world):
    """A letter forgotten for most of a year: the Tết and April–May holidays long after its
    period are still days off, not working days missed."""
    due = datetime.date(2025, 7, 30)
    _issue_due_on(world, world.member, due)
    monday = datetime.date(2026, 5, 4)
    late = _working_days_between(due, monday)
    weekdays = sum(
        1 for n in range(1, (monday - due).days + 1) if (due + n * ONE_DAY).weekday() < 5
    )
    assert weekdays - late >= 8  # Tết 2026, 27/04, 30/04, 01/05 and more
    rows = _rows_on(world, monday)
    assert f"{due:%d/%m/%Y}" in rows
    assert _late_cell(rows, world.member) == f"Quá hạn {late} ngày làm việc"
