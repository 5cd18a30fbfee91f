"""Branch life seen from above (domain-rules §9 "Software", domain-briefs §1 "Checks"): the
branches of a subtree that held no regular meeting in a month (Điều lệ Đảng Điều 24) or no
thematic meeting in a quarter (HD 12-HD/BTCTW 2018), meetings held whose minutes are not
approved, the average attendance, and the members absent without a good reason in as many
months of the year as the rule set's `meeting_absence_months_flag` (3: Điều lệ Đảng Điều 8,
which has such a member considered for striking off; the flag only, the procedure is issue 17's).

A month counts once it has ended (a quarter likewise), and for a branch only when it existed the
whole month: established before its first day, not ended before its last. The branches are
those of the subtree as it stood at the end of the period (organizations.dated). Everything is
counted in the database: one grouped query over the meetings of the period (a bit per month and
per quarter, summed distinct), one over the absences; the attendance average reads the tallies
each roll call keeps on its meeting.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from dangvien.core.rules import RuleBook
from dangvien.meetings.models import Attendance, Body, Kind, Meeting, Presence
from dangvien.members.models import Member
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgState


@dataclass
class BranchRow:
    org_id: int
    code: str
    name: str
    missing_months: list[int]
    missing_quarters: list[int]
    unapproved: int
    attendance: float | None


@dataclass
class AbsenceFlag:
    member: Member
    months: int


@dataclass
class Compliance:
    org: Organization
    year: int
    as_of: datetime.date
    months: list[int]  # the months of the year ended by `as_of`
    quarters: list[int]
    branches: int = 0
    compliant: int = 0
    without_regular: int = 0
    without_thematic: int = 0
    with_unapproved: int = 0
    meetings: int = 0
    average_attendance: float | None = None
    rows: list[BranchRow] = field(default_factory=list)  # the branches not compliant
    flagged: list[AbsenceFlag] = field(default_factory=list)
    flag_months: int = 3

    @property
    def percent_compliant(self) -> float | None:
        return round(100 * self.compliant / self.branches, 2) if self.branches else None


def _bits(expression: str, values: range) -> Case:
    return Case(
        *[When(**{expression: value}, then=Value(1 << value)) for value in values],
        default=Value(0),
        output_field=IntegerField(),
    )


def _months(mask: int | None) -> set[int]:
    return {m for m in range(1, 13) if (mask or 0) >> m & 1}


def ended_months(year: int, as_of: datetime.date) -> list[int]:
    if year < as_of.year:
        return list(range(1, 13))
    if year > as_of.year:
        return []
    return list(range(1, as_of.month))


def _existed(org_founded, org_ended, year: int, month: int) -> bool:
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return (org_founded is None or org_founded <= first) and (
        org_ended is None or org_ended >= last
    )


def compliance(org: Organization, year: int, as_of: datetime.date | None = None) -> Compliance:
    """The compliance of `org`'s subtree over `year` (see the module docstring)."""
    as_of = as_of or timezone.localdate()
    months = ended_months(year, as_of)
    quarters = [q for q in range(1, 5) if 3 * q in months]
    result = Compliance(org=org, year=year, as_of=as_of, months=months, quarters=quarters)
    result.flag_months = RuleBook.load().value(
        "meeting_absence_months_flag", datetime.date(year, 12, 31)
    )
    end = min(datetime.date(year, 12, 31), as_of)
    then = dated.as_of(org, end)
    if then is None:
        return result
    branches = dated.states_below(then.path, end).filter(kind__in=BRANCH_KINDS)
    if then.kind in BRANCH_KINDS:
        branches = OrgState.unscoped.filter(holding_on(end), org_id=org.pk)
    branch_rows = list(
        branches.values_list("org_id", "org__code", "name", "org__founded_on", "org__ended_on")
    )
    meetings = Meeting.unscoped.filter(
        organization_id__in=branches.values("org_id"),
        body=Body.MEMBERS,
        on__year=year,
        on__lte=as_of,
        held_at__isnull=False,
        cancelled_at__isnull=True,
        annulled_at__isnull=True,
    )
    per_branch = {
        row["organization_id"]: row
        for row in meetings.values("organization_id")
        .order_by()
        .annotate(
            regular=Sum(
                _bits("on__month", range(1, 13)), filter=Q(kind=Kind.REGULAR), distinct=True
            ),
            thematic=Sum(
                _bits("on__quarter", range(1, 5)), filter=Q(kind=Kind.THEMATIC), distinct=True
            ),
            unapproved=Count("pk", filter=Q(minutes_approved_at__isnull=True)),
            held=Count("pk"),
            expected=Sum("expected_count"),
            present=Sum("present_count"),
        )
    }
    total_expected = total_present = 0
    for org_id, code, name, founded, ended in branch_rows:
        row = per_branch.get(org_id, {})
        due_months = [m for m in months if _existed(founded, ended, year, m)]
        due_quarters = [
            q for q in quarters if all(m in due_months for m in (3 * q - 2, 3 * q - 1, 3 * q))
        ]
        missing_months = [m for m in due_months if m not in _months(row.get("regular"))]
        held_quarters = {q for q in range(1, 5) if (row.get("thematic") or 0) >> q & 1}
        missing_quarters = [q for q in due_quarters if q not in held_quarters]
        unapproved = row.get("unapproved", 0)
        expected, present = row.get("expected") or 0, row.get("present") or 0
        total_expected += expected
        total_present += present
        result.branches += 1
        result.meetings += row.get("held", 0)
        result.without_regular += bool(missing_months)
        result.without_thematic += bool(missing_quarters)
        result.with_unapproved += bool(unapproved)
        if missing_months or missing_quarters or unapproved:
            result.rows.append(
                BranchRow(
                    org_id,
                    code,
                    name,
                    missing_months,
                    missing_quarters,
                    unapproved,
                    round(100 * present / expected, 2) if expected else None,
                )
            )
        else:
            result.compliant += 1
    if total_expected:
        result.average_attendance = round(100 * total_present / total_expected, 2)
    result.rows.sort(key=lambda r: r.name)
    result.flagged = absence_flags(org, year, as_of, result.flag_months)
    return result


def absence_flags(
    org: Organization, year: int, as_of: datetime.date, months: int, limit: int = 500
) -> list[AbsenceFlag]:
    """Members absent without a good reason from members' meetings in at least `months`
    distinct months of `year` (Điều lệ Đảng Điều 8), most months first."""
    rows = (
        Attendance.objects.filter(
            org_path__startswith=org.path,
            on__year=year,
            on__lte=as_of,
            status=Presence.UNEXCUSED,
            meeting__body=Body.MEMBERS,
            meeting__annulled_at__isnull=True,
        )
        .values("member_id")
        .order_by()
        .annotate(months=Count("on__month", distinct=True))
        .filter(months__gte=months)
        .order_by("-months", "member_id")[:limit]
    )
    counted = {row["member_id"]: row["months"] for row in rows}
    members = Member.unscoped.filter(pk__in=counted).select_related("branch")
    flags = [AbsenceFlag(member, counted[member.pk]) for member in members]
    flags.sort(key=lambda f: (-f.months, f.member.sort_key))
    return flags


def member_absence_months(member: Member, year: int) -> int:
    """The months of `year` in which `member` missed a members' meeting without a reason."""
    return (
        Attendance.objects.filter(
            member=member,
            on__year=year,
            status=Presence.UNEXCUSED,
            meeting__body=Body.MEMBERS,
            meeting__annulled_at__isnull=True,
        )
        .values("on__month")
        .distinct()
        .count()
    )


def member_flags(member: Member, today: datetime.date | None = None) -> list[tuple[int, int]]:
    """(year, months) of this year and the last in which `member` missed members' meetings
    without a reason in as many months as the rule set flags (Điều lệ Đảng Điều 8)."""
    today = today or timezone.localdate()
    rules = RuleBook.load()
    flags = []
    for year in (today.year - 1, today.year):
        months = member_absence_months(member, year)
        if months and months >= rules.value(
            "meeting_absence_months_flag", datetime.date(year, 12, 31)
        ):
            flags.append((year, months))
    return flags
