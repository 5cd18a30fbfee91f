"""Branch life seen from above: the branches without a regular meeting in a month or a thematic
one in a quarter, or with minutes not approved, listed exactly; the average attendance; the
Điều lệ Đảng Điều 8 flag after the third month of unexcused absence in a year."""

import datetime

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.meetings import roll, services
from dangvien.meetings.compliance import compliance, member_attendance
from dangvien.meetings.models import Body, Kind
from dangvien.organizations.models import Organization, OrgKind
from dangvien.organizations.services.changes import move_organization
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
    # The base organisation held no plenary: two were due, one for each half-year.
    assert [(r.code, r.held, r.due) for r in result.plenaries_short] == [("P.U1.01", 0, 2)]
    assert 'id="plenary-P.U1.01"' in text

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


def test_a_base_organisation_plenary_twice_a_year(world):
    officer = world.users[Role.OFFICER]
    year = today().year - 1
    _hold(officer, world.base, datetime.date(year, 7, 5))
    with unscoped():
        short = compliance(world.upper, year, today()).plenaries_short
    assert [(r.code, r.held, r.due) for r in short] == [("P.U1.01", 1, 2)]
    _hold(officer, world.base, datetime.date(year, 12, 20))
    with unscoped():
        assert compliance(world.upper, year, today()).plenaries_short == []
    # The current year: only the half-years ended are due.
    with unscoped():
        now = compliance(world.upper, today().year, today())
    due = 1 if today() > datetime.date(today().year, 6, 30) else 0
    assert [(r.held, r.due) for r in now.plenaries_short] == ([(0, due)] if due else [])


def test_the_resolution_book_and_a_members_rate(world):
    officer = world.users[Role.OFFICER]
    year = today().year - 1
    meeting = _hold(officer, world.branch, datetime.date(year, 5, 10), approve=False)
    services.record_resolution(
        officer, meeting, services.Vote("07-NQ/CB", "Nghị quyết tháng 5", "Nội dung", 1)
    )
    _hold(
        officer,
        world.branch,
        datetime.date(year, 6, 10),
        marks={world.member.pk: ("vang_co_ly_do", "Ốm")},
    )
    book = world.client(Role.SECRETARY).get(
        f"/meetings/org/{world.branch.code}/resolutions/?year={year}"
    )
    assert (
        "Nghị quyết tháng 5" in book.content.decode() and "Được thông qua" in book.content.decode()
    )
    with unscoped():
        assert member_attendance(world.member, year) == (2, 1, 50.0)


def test_corrections_annulments_and_later_moves(world):
    """A roll corrected, a meeting annulled: the figures follow; a branch moved out after the
    year: the year's figures of its old subtree stay as they were."""
    officer = world.users[Role.OFFICER]
    year = today().year - 1
    absent = {world.member.pk: ("vang_khong_ly_do", "")}
    january = _hold(officer, world.branch, datetime.date(year, 1, 10), marks=absent)
    _hold(officer, world.branch, datetime.date(year, 2, 10), marks=absent)
    march = _hold(officer, world.branch, datetime.date(year, 3, 10), marks=absent)
    with unscoped():
        assert [f.member.code for f in compliance(world.upper, year, today()).flagged] == [
            "DV-TRONG-1"
        ]
        roll.take_attendance(
            officer,
            march,
            {world.member.pk: ("vang_co_ly_do", "Giấy ốm nộp sau")},
            correction_reason="Nhận giấy xác nhận",
        )
        assert compliance(world.upper, year, today()).flagged == []
        services.annul_meeting(officer, january, "Ghi nhầm năm")
        row = next(r for r in compliance(world.upper, year, today()).rows if r.code == "P.U1.01.01")
    assert row.missing_months[0] == 1

    other_absent = {world.other_member.pk: ("vang_khong_ly_do", "")}
    for month in (4, 5, 6):
        _hold(officer, world.other_branch, datetime.date(year, month, 10), marks=other_absent)
    new_upper = OrganizationFactory(
        code="P.U2", name="Đảng bộ phường Mới", kind=OrgKind.UPPER, parent=world.province
    )
    with unscoped():
        before = compliance(world.upper, year, today())
        before_rows = [(r.code, r.missing_months) for r in before.rows]
    move_organization(
        world.users[Role.ADMIN],
        world.base,
        new_upper,
        Decision(today(), "9-QĐ/TU", body="Tỉnh ủy"),
    )
    with unscoped():
        after = compliance(Organization.unscoped.get(code="P.U1"), year, today())
        moved = compliance(new_upper, year, today())
    assert [(r.code, r.missing_months) for r in after.rows] == before_rows
    assert [f.member.code for f in after.flagged] == ["DV-TRONG-2"]
    assert [f.member.code for f in before.flagged] == ["DV-TRONG-2"]
    assert moved.branches == 0 and moved.flagged == []  # not in the new subtree that year
