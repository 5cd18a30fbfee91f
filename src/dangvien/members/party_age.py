"""Party age (tuổi đảng): from the date of the admission decision, less the periods outside the
Party (Điều lệ Đảng, Điều 5.4; HD 01-HD/TW 2021 on party age; domain-rules §2.5, R2.9).

- It counts from the date written in the first admission decision (`Member.admitted_on`).
- A leaving (xin ra khỏi Đảng, xóa tên, khai trừ) opens a period outside the Party; a
  re-admission (kết nạp lại, QĐ 294-QĐ/TW §3.5, `EventKind.READMITTED`) closes it, and the
  days between are the gap. The re-admitted member's party age counts from the first admission
  less the gap (HD 01-HD/TW).
- A leaving annulled since (`EventKind.REINSTATED`: recorded by mistake, or a member wrongly
  expelled and cleared) leaves no gap: party age is continuous (HD 01-HD/TW).
- Death, or a leaving not followed by a re-admission, stops the count on that day.
- [U] Lost contact with the party organisation and interruptions caused by transfers are not
  recorded as events yet: such a gap is not subtracted.

Every milestone N years is reached on `admitted_on + N years + gap days`.

One source of truth: the member's timeline (the events above). `Member.party_age_gap_days` is
a copy of `party_age(member).gap_days` kept so that lists and reports select by milestone in
SQL (most members have no gap, and their milestone is a plain comparison on the indexed
`admitted_on`, `reached_by`); `refresh_gap_days` is its only writer, called whenever an event
that counts is recorded (members.services `_event`, the re-admission service), so the profile
(`party_age`), the badge milestones (planning) and `report awards` (the copy) cannot disagree.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from dangvien.core.rules import add_months, months_between
from dangvien.members.models import EventKind, Member, MemberEvent

# The events that open a period outside the Party, and those that end it.
LEAVING_EVENTS = frozenset({EventKind.RESIGNED, EventKind.REMOVED, EventKind.EXPELLED})
STOPPING_EVENTS = frozenset({EventKind.DECEASED})
COUNTED_EVENTS = [
    *LEAVING_EVENTS,
    *STOPPING_EVENTS,
    EventKind.REINSTATED,
    EventKind.READMITTED,
    EventKind.READMISSION_ANNULLED,
]


@dataclass(frozen=True)
class Gap:
    """A period outside the Party: from the day of leaving (the first day outside) to the day of
    re-admission (the first day inside again); `end` None while still outside."""

    start: datetime.date
    end: datetime.date | None
    leaving: str  # the EventKind of the leaving

    @property
    def days(self) -> int:
        return (self.end - self.start).days if self.end else 0

    @property
    def leaving_label(self) -> str:
        return EventKind(self.leaving).label


@dataclass(frozen=True)
class PartyAge:
    """A member's party age on `as_of` (or on the day the count stopped)."""

    admitted_on: datetime.date
    gaps: tuple[Gap, ...]
    stopped_on: datetime.date | None  # died, or left and not re-admitted
    as_of: datetime.date

    @property
    def gap_days(self) -> int:
        return sum(gap.days for gap in self.gaps)

    @property
    def counted_from(self) -> datetime.date:
        """The admission date moved by the days outside: the party age of a member with no
        gap counts from the admission decision itself."""
        return self.admitted_on + datetime.timedelta(days=self.gap_days)

    @property
    def counted_until(self) -> datetime.date:
        return min(self.as_of, self.stopped_on) if self.stopped_on else self.as_of

    @property
    def days(self) -> int:
        return max(0, (self.counted_until - self.counted_from).days)

    @property
    def parts(self) -> tuple[int, int, int]:
        """(years, months, days) of party age."""
        start, end = self.counted_from, self.counted_until
        if end <= start:
            return 0, 0, 0
        months = months_between(start, end)
        rest = (end - add_months(start, months)).days
        return months // 12, months % 12, rest

    @property
    def label(self) -> str:
        years, months, days = self.parts
        return f"{years} năm {months} tháng {days} ngày"

    def milestone_on(self, years: int) -> datetime.date:
        """The day the member has full `years` of party age (if still in the Party then)."""
        return milestone_date(self.admitted_on, self.gap_days, years)

    def reaches(self, years: int) -> bool:
        """Whether the milestone falls while the member is counted (not after they left)."""
        return self.stopped_on is None or self.milestone_on(years) <= self.stopped_on


def milestone_date(admitted_on: datetime.date, gap_days: int, years: int) -> datetime.date:
    """The day of full `years` of party age: the admission date plus whole years (29/02 → 28/02),
    then the days spent outside the Party."""
    return add_months(admitted_on, 12 * years) + datetime.timedelta(days=gap_days)


def reached_by(day: datetime.date, years: int) -> datetime.date:
    """The last date D such that a party age counted from D (`admitted_on + gap days`) is full
    `years` on or before `day`: «has reached the milestone by `day`» is `counted_from <= D`, an
    indexed comparison for the members with no gap (`admitted_on <= D`)."""
    candidate = add_months(day, -12 * years)  # clamped: never past `day` once years are added
    while add_months(candidate + datetime.timedelta(days=1), 12 * years) <= day:
        candidate += datetime.timedelta(days=1)
    return candidate


def gaps_from_events(events: Iterable[tuple[str, datetime.date]]) -> tuple[list[Gap], object]:
    """The gaps and the day the count stopped, from the member's events in date order, as
    (kind, on) pairs."""
    gaps: list[Gap] = []
    open_gap: Gap | None = None
    stopped: datetime.date | None = None
    for kind, on in events:
        if kind in LEAVING_EVENTS and open_gap is None:
            open_gap = Gap(on, None, kind)
        elif kind == EventKind.REINSTATED:
            # The leaving annulled: no gap (wrongly expelled and cleared, or a mistake).
            open_gap, stopped = None, None
        elif kind == EventKind.READMITTED and open_gap is not None:
            gaps.append(Gap(open_gap.start, on, open_gap.leaving))
            open_gap = None
        elif kind == EventKind.READMISSION_ANNULLED and gaps and open_gap is None:
            # The re-admission annulled: outside the Party again since the leaving.
            last = gaps.pop()
            open_gap = Gap(last.start, None, last.leaving)
        elif kind in STOPPING_EVENTS:
            stopped = on
    if open_gap is not None:
        gaps.append(open_gap)
        stopped = stopped or open_gap.start
    return gaps, stopped


def party_age(member: Member, as_of: datetime.date | None = None) -> PartyAge:
    """The member's party age on `as_of` (today by default): one query over the timeline."""
    as_of = as_of or timezone.localdate()
    events = (
        MemberEvent.objects.filter(member=member)
        .filter(kind__in=COUNTED_EVENTS)
        .order_by("on", "id")
        .values_list("kind", "on")
    )
    gaps, stopped = gaps_from_events(events)
    if stopped is None and member.left_on and not member.is_active:
        stopped = member.left_on  # a leaving imported without its event
    return PartyAge(member.admitted_on, tuple(gaps), stopped, as_of)


def gap_days_by(member_ids: Iterable[int], day: datetime.date) -> dict[int, int]:
    """The days outside the Party of these members in the gaps closed by `day` (re-admitted on
    or before it), from their timelines in one query: a report of a past year does not move a
    milestone by a gap that came later."""
    events: dict[int, list[tuple[str, datetime.date]]] = {pk: [] for pk in member_ids}
    rows = (
        MemberEvent.objects.filter(member_id__in=list(events), kind__in=COUNTED_EVENTS, on__lte=day)
        .order_by("member_id", "on", "id")
        .values_list("member_id", "kind", "on")
    )
    for member_id, kind, on in rows:
        events[member_id].append((kind, on))
    return {pk: sum(gap.days for gap in gaps_from_events(found)[0]) for pk, found in events.items()}


def gap_days_of(member: Member) -> int:
    """The sum of the closed gaps, as the timeline gives them."""
    return party_age(member).gap_days


def refresh_gap_days(member: Member) -> int:
    """Copy the timeline's gap days onto the member (`party_age_gap_days`), the copy's only
    writer: call it in the transaction that records an event of `COUNTED_EVENTS`."""
    gap = gap_days_of(member)
    Member.unscoped.filter(pk=member.pk).update(party_age_gap_days=gap)
    member.party_age_gap_days = gap
    return gap


def open_gap(member: Member) -> Gap | None:
    """The period outside the Party the member is in now, by the timeline (None: no leaving
    recorded as an event, or none open)."""
    gaps = party_age(member).gaps
    return gaps[-1] if gaps and gaps[-1].end is None else None


def badge_milestones(on: datetime.date | None = None) -> list[int]:
    """The party-age milestones of the party badge (Huy hiệu Đảng) in the rule set in force on
    `on`: 30, 40, 45, …, 90 years (HD 01-HD/TW 2021 §18; domain-rules §6, R6.1)."""
    from dangvien.core.rules import RuleBook

    rules, on = RuleBook.load(), on or timezone.localdate()
    first = rules.value("badge_first_milestone_years", on)
    second = rules.value("badge_second_milestone_years", on)
    step = max(1, rules.value("badge_milestone_step_years", on))
    last = rules.value("badge_last_milestone_years", on)
    return [first, *range(second, last + 1, step)]


def next_milestone(age: PartyAge) -> tuple[int, datetime.date] | None:
    """The next badge milestone the member has not reached on `age.as_of`, with its date (None
    when past the last one, or no longer counted)."""
    if age.stopped_on is not None:
        return None
    for years in badge_milestones(age.as_of):
        day = age.milestone_on(years)
        if day > age.as_of:
            return years, day
    return None
