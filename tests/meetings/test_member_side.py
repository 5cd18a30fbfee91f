"""What a member reaches of branch life, and what the branch's records keep: only published
members' meetings of their own organisations; an excuse only before the meeting; minutes saved
on another screen are not approved unseen; who votes on a resolution; the yearly sums equal a
fresh recount after each change."""

import datetime

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.meetings import roll, services, tallies, tasks
from dangvien.meetings.models import Body, Kind, Meeting, MeetingYear, Presence
from dangvien.meetings.selectors import next_month_unprepared
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus
from tests.factories import MemberFactory
from tests.meetings.steps import prepare, version
from tests.transfers.steps import ONE_DAY, today


def _plan(day, **fields):
    values = {"body": Body.MEMBERS, "kind": Kind.REGULAR, "on": day, "topic": "Họp"}
    return services.MeetingPlan(**{**values, **fields})


def test_a_member_reaches_only_published_members_meetings_of_their_organisations(world):
    officer = world.users[Role.OFFICER]
    later = today() + ONE_DAY * 5
    unpublished = services.prepare_meeting(officer, world.branch, _plan(later))
    sibling = services.prepare_meeting(officer, world.other_branch, _plan(later))
    services.publish(officer, sibling)
    annulled = services.prepare_meeting(officer, world.branch, _plan(later))
    services.publish(officer, annulled)
    services.annul_meeting(officer, annulled, "Ghi nhầm")
    plenary = services.prepare_meeting(officer, world.base, _plan(later))
    services.publish(officer, plenary)
    member = world.client(Role.MEMBER)
    for meeting in (unpublished, sibling, annulled):
        assert member.get(f"/meetings/my/{meeting.pk}/").status_code == 404
    assert member.get(f"/meetings/my/{plenary.pk}/").status_code == 200  # its base's plenary
    page = member.get("/meetings/my/").content.decode()
    assert f"/meetings/my/{plenary.pk}/" in page and f"/meetings/my/{sibling.pk}/" not in page
    # A member does not open the meeting pages of the branch either.
    assert member.get(f"/meetings/{plenary.pk}/").status_code == 404


def test_an_excuse_is_sent_before_the_meeting_only(world):
    officer = world.users[Role.OFFICER]
    past = services.prepare_meeting(officer, world.branch, _plan(today() - ONE_DAY))
    services.publish(officer, past)
    member = world.client(Role.MEMBER)
    late = member.post(f"/meetings/my/{past.pk}/", {"reason": "Quên"})
    assert late.status_code == 400 and "xin vắng gửi trước buổi họp" in late.content.decode()
    assert not past.attendance.exists()


def test_minutes_saved_elsewhere_are_not_approved_unseen(world):
    secretary = world.client(Role.SECRETARY)
    prepare(secretary, world.branch.code, today())
    meeting = Meeting.unscoped.get()
    officer = world.users[Role.OFFICER]
    roll.take_attendance(officer, meeting, {world.member.pk: (Presence.PRESENT, "")})
    services.save_minutes(officer, meeting, services.Minutes("Bản thứ nhất"))
    url = f"/meetings/{meeting.pk}/approve/"
    shown = version(secretary, url)
    assert "Bản thứ nhất" in secretary.get(url).content.decode()
    services.save_minutes(
        officer, Meeting.unscoped.get(), services.Minutes("Bản thứ hai, sửa trên máy khác")
    )
    stale = secretary.post(url, {"version": shown})
    assert stale.status_code == 400
    assert Meeting.unscoped.get().minutes_approved_at is None


def test_who_votes_on_a_resolution(world):
    """Official members of the branch on the day, less those away for a while and those
    exempted who are absent; a hosted member and a probationary one do not vote here."""
    officer = world.users[Role.OFFICER]
    day = today() - ONE_DAY
    away = MemberFactory(code="DV-DI", full_name="Đi Vắng", branch=world.branch)
    exempt = MemberFactory(
        code="DV-MIEN", full_name="Được Miễn", branch=world.branch, exempt_since=day - ONE_DAY * 99
    )
    probationary = MemberFactory(
        code="DV-DB",
        full_name="Dự Bị",
        branch=world.branch,
        status="probationary",
        official_on=None,
        admitted_on=day - ONE_DAY * 100,
    )
    for member, to_branch, frm in (
        (away, world.other_branch, world.branch),
        (world.other_member, world.branch, world.other_branch),
    ):
        Transfer.unscoped.create(
            member=member,
            kind=TransferKind.TEMPORARY,
            direction=Direction.WITHIN,
            from_branch=frm,
            from_path=frm.path,
            to_branch=to_branch,
            to_path=to_branch.path,
            trigger_on=day - ONE_DAY * 40,
            letter_issued_on=day - ONE_DAY * 35,
            arrived_on=day - ONE_DAY * 30,
            temporary_until=day + ONE_DAY * 90,
            status=TransferStatus.ARRIVED,
        )
    meeting = services.prepare_meeting(officer, world.branch, _plan(day))
    present = (Presence.PRESENT, "")
    roll.take_attendance(
        officer,
        meeting,
        {world.member.pk: present, world.other_member.pk: present, probationary.pk: present},
    )
    # Entitled: only the member of the branch (the exempt one is absent, the other away).
    assert services.voters(meeting) == (1, 1)
    refused = services.Vote("1", "Nghị quyết", "Nội dung", 2)
    with pytest.raises(DomainError, match=r"được biểu quyết \(1\)"):
        services.record_resolution(officer, meeting, refused)
    passed = services.record_resolution(
        officer, meeting, services.Vote("1", "Nghị quyết", "Nội dung", 1)
    )
    assert (passed.members_entitled, passed.passed) == (1, True)
    assert exempt.attendance.get().status == Presence.EXEMPT


def _fresh(organization_id: int, year: int) -> tuple:
    row = MeetingYear.objects.get(organization_id=organization_id, year=year)
    kept = (row.regular_months, row.thematic_quarters, row.held, row.unapproved, row.present)
    tallies.recount_meetings(organization_id, year)
    row.refresh_from_db()
    return kept, (row.regular_months, row.thematic_quarters, row.held, row.unapproved, row.present)


def test_the_yearly_sums_follow_every_change(world):
    officer = world.users[Role.OFFICER]
    year = today().year - 1
    meeting = services.prepare_meeting(officer, world.branch, _plan(datetime.date(year, 4, 9)))
    roll.take_attendance(officer, meeting, {world.member.pk: (Presence.PRESENT, "")})
    kept, fresh = _fresh(world.branch.pk, year)
    assert kept == fresh == (1 << 4, 0, 1, 1, 1)
    services.update_meeting(officer, meeting, _plan(meeting.on, kind=Kind.THEMATIC))
    kept, fresh = _fresh(world.branch.pk, year)
    assert kept == fresh == (0, 1 << 2, 1, 1, 1)
    services.save_minutes(officer, meeting, services.Minutes("Biên bản"))
    services.approve_minutes(officer, meeting)
    kept, fresh = _fresh(world.branch.pk, year)
    assert kept == fresh == (0, 1 << 2, 1, 0, 1)
    services.annul_meeting(officer, meeting, "Ghi nhầm")
    kept, fresh = _fresh(world.branch.pk, year)
    assert kept == fresh == (0, 0, 0, 0, 0)


def test_next_months_meeting_is_asked_for_from_the_20th(world):
    officer = world.users[Role.OFFICER]
    assert next_month_unprepared(world.branch, datetime.date(2025, 12, 19)) is None
    assert next_month_unprepared(world.branch, datetime.date(2025, 12, 20)) == datetime.date(
        2026, 1, 1
    )
    services.prepare_meeting(officer, world.branch, _plan(datetime.date(2026, 1, 8)))
    assert next_month_unprepared(world.branch, datetime.date(2025, 12, 20)) is None
    assert next_month_unprepared(world.base, datetime.date(2025, 12, 20)) is None  # a branch's


def test_only_a_branch_gives_tasks(world):
    """The service refuses a task given by a base organisation, whatever page posts it."""
    with pytest.raises(DomainError, match="không phải chi bộ"):
        tasks.assign_task(
            world.users[Role.OFFICER],
            world.base,
            world.member,
            "Việc của đảng ủy",
            today() + ONE_DAY,
        )
