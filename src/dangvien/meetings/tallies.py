"""The yearly sums the compliance page reads (meetings.models.MeetingYear, AbsenceYear), kept
by the services in the transaction of each change: recounted from the few meetings of one
organisation's year, or the attendance of one member's year, never incremented (a recount is
right whatever happened before)."""

from collections.abc import Iterable

from django.db.models import Q

from dangvien.meetings.models import (
    AbsenceYear,
    Attendance,
    Body,
    Kind,
    Meeting,
    MeetingYear,
    Presence,
)
from dangvien.members.models import Member
from dangvien.organizations.models import Organization


def recount_meetings(organization_id: int, year: int) -> None:
    """Recount `MeetingYear` of one organisation's year from its members' meetings held."""
    meetings = Meeting.unscoped.filter(
        organization_id=organization_id,
        body=Body.MEMBERS,
        on__year=year,
        held_at__isnull=False,
        cancelled_at__isnull=True,
        annulled_at__isnull=True,
    ).values_list("kind", "on", "minutes_approved_at", "expected_count", "present_count")
    row = {
        "regular_months": 0,
        "thematic_quarters": 0,
        "regular_held": 0,
        "held": 0,
        "unapproved": 0,
        "expected": 0,
        "present": 0,
    }
    for kind, on, approved_at, expected, present in meetings:
        if kind == Kind.REGULAR:
            row["regular_months"] |= 1 << on.month
            row["regular_held"] += 1
        elif kind == Kind.THEMATIC:
            row["thematic_quarters"] |= 1 << ((on.month + 2) // 3)
        row["held"] += 1
        row["unapproved"] += approved_at is None
        row["expected"] += expected
        row["present"] += present
    path = Organization.unscoped.filter(pk=organization_id).values_list("path", flat=True)[0]
    MeetingYear.objects.update_or_create(
        organization_id=organization_id, year=year, defaults={"org_path": path, **row}
    )


def recount_absences(member_ids: Iterable[int], year: int) -> None:
    """Recount `AbsenceYear` of these members' year from their unexcused absences."""
    for member_id in set(member_ids):
        absences = Attendance.objects.filter(
            Q(member_id=member_id, on__year=year, status=Presence.UNEXCUSED)
            & Q(meeting__body=Body.MEMBERS, meeting__annulled_at__isnull=True)
        )
        months = {on.month for on in absences.values_list("on", flat=True)}
        if not months:
            AbsenceYear.objects.filter(member_id=member_id, year=year).delete()
            continue
        # Listed under the member's branch (a plenary's absences too), as it is now.
        branch_path = Member.unscoped.filter(pk=member_id).values_list("branch_path", flat=True)[0]
        AbsenceYear.objects.update_or_create(
            member_id=member_id,
            year=year,
            defaults={"org_path": branch_path, "months": len(months)},
        )


def recount_meeting(meeting: Meeting) -> None:
    """Recount what one meeting enters: its organisation's year and its absentees' years."""
    recount_meetings(meeting.organization_id, meeting.on.year)
    absentees = meeting.attendance.filter(status=Presence.UNEXCUSED).values_list(
        "member_id", flat=True
    )
    recount_absences(absentees, meeting.on.year)
