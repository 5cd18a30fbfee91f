"""Branch life seen from above: the branches without a regular meeting in a month or a thematic
one in a quarter, or with minutes not approved, listed exactly; the average attendance; the
Điều lệ Đảng Điều 8 flag after the third month of unexcused absence in a year."""

import datetime

from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.meetings import roll, services
from dangvien.meetings.compliance import compliance
from dangvien.meetings.models import Body, Kind
from dangvien.organizations.models import OrgKind
from tests.factories import MemberFactory, OrganizationFactory
from tests.transfers.steps import today


def _hold(actor, org, day, kind=Kind.REGULAR, marks=None, approve=True):
    meeting = services.prepare_meeting(
        actor, org, services.MeetingPlan(body=Body.MEMBERS, kind=kind, on=day, topic="Họp")
    )
    rows = roll.roll(meeting)
    marks = marks or {}
    roll.take_attendance(
        actor,
        meeting,
        {
            row.member.pk: marks.get(row.member.pk, ("co_mat", ""))
            for row in rows
            if not row.default
        },
    )
    if approve:
        services.save_minutes(actor, meeting, services.Minutes("Biên bản"))
        services.approve_minutes(actor, meeting)
    return meeting


def _year_of_meetings(actor, org, *, skip_month=None, thematic=(1, 2, 3, 4), unapproved=None):
    year = today().year - 1
    for month in range(1, 13):
        if month != skip_month:
            _hold(actor, org, datetime.date(year, month, 10), approve=month != unapproved)
    for quarter in thematic:
        _hold(actor, org, datetime.date(year, 3 * quarter - 1, 20), kind=Kind.THEMATIC)


def test_the_compliance_page_lists_exactly_the_branches_that_fell_short(world):
    officer = world.users[Role.OFFICER]
    third = OrganizationFactory(
        code="P.U1.01.03", name="Chi bộ Tổ Anh", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    MemberFactory(code="DV-ANH-1", full_name="Hoàng Anh", branch=third)
    _year_of_meetings(officer, world.branch, skip_month=3, thematic=(1, 2, 3))
    _year_of_meetings(officer, world.other_branch, unapproved=6)
    _year_of_meetings(officer, third)
    year = today().year - 1

    page = world.client(Role.OFFICER).get(f"/meetings/compliance/P.U1/?year={year}")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="branch-P.U1.01.01"' in text and 'id="branch-P.U1.01.02"' in text
    assert 'id="branch-P.U1.01.03"' not in text
    with unscoped():
        result = compliance(world.upper, year, today())
    rows = {row.code: row for row in result.rows}
    assert set(rows) == {"P.U1.01.01", "P.U1.01.02"}
    assert rows["P.U1.01.01"].missing_months == [3] and rows["P.U1.01.01"].missing_quarters == [4]
    assert rows["P.U1.01.01"].unapproved == 0
    assert rows["P.U1.01.02"].missing_months == [] and rows["P.U1.01.02"].unapproved == 1
    assert (result.branches, result.compliant) == (3, 1)
    assert (result.without_regular, result.without_thematic, result.with_unapproved) == (1, 1, 1)
    assert result.percent_compliant == 33.33
    assert result.average_attendance == 100.0
    assert result.meetings == 11 + 3 + 12 + 4 + 12 + 4

    # A branch established in May owes nothing before June.
    newer = OrganizationFactory(
        code="P.U1.01.04",
        name="Chi bộ Tổ Sử",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(year, 5, 15),
    )
    MemberFactory(code="DV-SU-1", branch=newer, admitted_on=datetime.date(2010, 1, 1))
    with unscoped():
        result = compliance(world.upper, year, today())
    newer_row = next(row for row in result.rows if row.code == "P.U1.01.04")
    assert newer_row.missing_months == list(range(6, 13)) and newer_row.missing_quarters == [3, 4]


def test_the_current_year_counts_only_the_months_ended(world):
    with unscoped():
        result = compliance(world.upper, today().year, today())
    assert result.months == list(range(1, today().month))
    assert result.quarters == [q for q in (1, 2, 3, 4) if 3 * q < today().month]


def test_the_absence_flag_appears_after_the_third_unexcused_month(world):
    officer = world.users[Role.OFFICER]
    year = today().year - 1
    absent = {world.member.pk: ("vang_khong_ly_do", "")}
    excused = {world.member.pk: ("vang_co_ly_do", "Ốm")}
    client = world.client(Role.OFFICER)
    url = f"/meetings/compliance/P.U1/?year={year}"
    _hold(officer, world.branch, datetime.date(year, 1, 10), marks=absent)
    _hold(officer, world.branch, datetime.date(year, 2, 10), marks=absent)
    _hold(officer, world.branch, datetime.date(year, 2, 25), kind=Kind.THEMATIC, marks=absent)
    _hold(officer, world.branch, datetime.date(year, 3, 10), marks=excused)
    assert 'id="flag-DV-TRONG-1"' not in client.get(url).content.decode()
    _hold(officer, world.branch, datetime.date(year, 4, 10), marks=absent)
    page = client.get(url).content.decode()
    assert 'id="flag-DV-TRONG-1"' in page
    member_page = client.get(f"/members/{world.member.pk}/").content.decode()
    assert f"vắng sinh hoạt không có lý do 3 tháng trong năm {year}" in member_page
