"""Branch life seen from above (domain-rules §9 "Software", domain-briefs §1 "Checks"): the
branches of a subtree that held no regular meeting in a month (Điều lệ Đảng Điều 24) or no
thematic meeting in a quarter (HD 12-HD/BTCTW 2018), meetings held whose minutes are not
approved, the average attendance, and the members absent without a good reason in as many
months of the year as the rule set's `meeting_absence_months_flag` (3: Điều lệ Đảng Điều 8,
which has such a member considered for striking off; the flag only, the procedure is issue 17's),
and the đảng bộ cơ sở that held fewer plenaries than the half-years ended (twice a year: the
6-month and the year-end review, QĐ 24 §20).

A month counts once it has ended (a quarter likewise), and for a branch only when it existed the
whole month: established before its first day, not ended before its last. The branches are
those of the subtree as it stood at the end of the period (organizations.dated). The figures
are read from the yearly sums each change of a meeting keeps (meetings.tallies: one row an
organisation a year, one row a member a year with an absence), never from the meetings and the
roll calls themselves: a province is tens of thousands of rows, the whole Party a few hundred
thousand, whatever the number of meetings.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from operator import attrgetter

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dangvien.core.rules import RuleBook
from dangvien.meetings.models import EXPECTED, AbsenceYear, Attendance, Body, MeetingYear, Presence
from dangvien.members.models import Member
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind, OrgState

FLAGS_SHOWN = 500  # members listed with the Điều lệ Đảng Điều 8 flag; the page says how many


@dataclass
class BranchRow:
    order: bytes  # the Vietnamese order of its name
    org_id: int
    code: str
    name: str
    missing_months: list[int]
    missing_quarters: list[int]
    unapproved: int
    attendance: float | None


@dataclass
class PlenaryRow:
    """A đảng bộ cơ sở that held fewer plenaries than the half-years ended (QĐ 24 §20: the
    6-month and the year-end review)."""

    org_id: int
    code: str
    name: str
    held: int
    due: int


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
    base_committees: int = 0
    plenaries_short: list[PlenaryRow] = field(default_factory=list)
    flagged: list[AbsenceFlag] = field(default_factory=list)  # the first FLAGS_SHOWN
    flagged_total: int = 0
    flag_months: int = 3

    @property
    def percent_compliant(self) -> float | None:
        return round(100 * self.compliant / self.branches, 2) if self.branches else None


def _mask(values) -> int:
    return sum(1 << value for value in values)


def _list(mask: int, values: range) -> list[int]:
    return [value for value in values if mask >> value & 1]


def ended_months(year: int, as_of: datetime.date) -> list[int]:
    if year < as_of.year:
        return list(range(1, 13))
    if year > as_of.year:
        return []
    return list(range(1, as_of.month))


def _due(year: int, months: int, quarters: int, founded, ended) -> tuple[int, int]:
    """The months (and quarters) of `months` (`quarters`) the organisation lived through whole."""
    if (founded is None or founded <= datetime.date(year, 1, 1)) and (
        ended is None or ended >= datetime.date(year, 12, 31)
    ):
        return months, quarters
    due = 0
    for month in _list(months, range(1, 13)):
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if (founded is None or founded <= first) and (ended is None or ended >= last):
            due |= 1 << month
    whole = _mask(
        q for q in range(1, 5) if all(due >> m & 1 for m in (3 * q - 2, 3 * q - 1, 3 * q))
    )
    return due, quarters & whole


def _year_rows(then: Organization, year: int, end: datetime.date) -> QuerySet[MeetingYear]:
    """The yearly sums (MeetingYear) of the organisations of the subtree as it stood on `end`:
    one indexed range on today's path copies while nothing reshaped the tree since, else the
    states of that day (organizations.dated.placed)."""
    return dated.placed(
        MeetingYear.objects.filter(year=year),
        "organization",
        end,
        path="org_path",
        within=then.path,
        since=datetime.date(year, 1, 1),
    ).filter(placed_path__startswith=then.path)


def _held(then: Organization, year: int, end: datetime.date) -> dict:
    """Per organisation of the subtree: the bits of the months with a regular members' meeting
    held, of the quarters with a thematic one, the meetings whose minutes are not approved, the
    meetings held, and the roll calls' tallies."""
    rows = _year_rows(then, year, end).values_list(
        "organization_id",
        "regular_months",
        "thematic_quarters",
        "unapproved",
        "held",
        "expected",
        "present",
        "regular_held",
    )
    return {row[0]: row[1:] for row in rows}


def _units(then: Organization, end: datetime.date, kinds) -> list[tuple]:
    """(id, code, name, founded, ended, sort key) of the organisations of `kinds` in the
    subtree (itself included) as it stood on `end`: from the organisations themselves while
    nothing reshaped the tree since (an indexed range on the path), else from that day's
    states."""
    fields = ("code", "name", "founded_on", "ended_on", "sort_key")
    if not dated.reshaped_since(end, then.path):
        orgs = Organization.unscoped.filter(
            Q(founded_on__isnull=True) | Q(founded_on__lte=end),
            Q(ended_on__isnull=True) | Q(ended_on__gt=end),
            path__startswith=then.path,
            kind__in=kinds,
        )
        return list(orgs.order_by().values_list("pk", *fields))
    states = OrgState.unscoped.filter(
        holding_on(end), path__startswith=then.path, kind__in=kinds
    ).order_by()
    return list(
        states.values_list(
            "org_id", "org__code", "name", "org__founded_on", "org__ended_on", "org__sort_key"
        )
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
    branch_rows = _units(then, end, BRANCH_KINDS)
    per_branch = _held(then, year, end)
    month_mask, quarter_mask = _mask(months), _mask(quarters)
    total_expected = total_present = 0
    nothing = (0, 0, 0, 0, 0, 0, 0)
    shorts: list[BranchRow] = []
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    for org_id, code, name, founded, ended, order in branch_rows:
        regular, thematic, unapproved, held, expected, present, _ = per_branch.get(org_id, nothing)
        if (founded is None or founded <= first) and (ended is None or ended >= last):
            due_months, due_quarters = month_mask, quarter_mask
        else:
            due_months, due_quarters = _due(year, month_mask, quarter_mask, founded, ended)
        missing_months = due_months & ~regular
        missing_quarters = due_quarters & ~thematic
        total_expected += expected
        total_present += present
        result.meetings += held
        result.without_regular += bool(missing_months)
        result.without_thematic += bool(missing_quarters)
        result.with_unapproved += bool(unapproved)
        if missing_months or missing_quarters or unapproved:
            shorts.append(
                BranchRow(
                    order,
                    org_id,
                    code,
                    name,
                    _list(missing_months, range(1, 13)),
                    _list(missing_quarters, range(1, 5)),
                    unapproved,
                    round(100 * present / expected, 2) if expected else None,
                )
            )
    result.branches = len(branch_rows)
    result.compliant = result.branches - len(shorts)
    if total_expected:
        result.average_attendance = round(100 * total_present / total_expected, 2)
    result.rows = sorted(shorts, key=attrgetter("order"))
    _plenaries(result, then, end, per_branch)
    result.flagged = absence_flags(then, year, result.flag_months)
    result.flagged_total = (
        len(result.flagged)
        if len(result.flagged) < FLAGS_SHOWN
        else _absentees(then, year, result.flag_months).count()
    )
    return result


def _halves_due(year: int, as_of: datetime.date, founded, ended) -> int:
    """The half-years of `year` ended by `as_of` that the organisation lived through whole."""
    halves = [
        (datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
        (datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
    ]
    return sum(
        last < as_of and (founded is None or founded <= first) and (ended is None or ended >= last)
        for first, last in halves
    )


def _plenaries(result: Compliance, then: Organization, end: datetime.date, sums: dict) -> None:
    """The đảng bộ cơ sở of the subtree with fewer plenaries (members' regular meetings) in
    the year than half-years ended (QĐ 24 §20)."""
    rows = _units(then, end, (OrgKind.BASE_COMMITTEE,))
    held = {org_id: row[6] for org_id, row in sums.items()}
    result.base_committees = len(rows)
    for org_id, code, name, founded, ended, _order in rows:
        due = _halves_due(result.year, result.as_of, founded, ended)
        if held.get(org_id, 0) < due:
            result.plenaries_short.append(PlenaryRow(org_id, code, name, held.get(org_id, 0), due))
    result.plenaries_short.sort(key=lambda r: r.name)


def _absentees(org: Organization, year: int, months: int) -> QuerySet[AbsenceYear]:
    return AbsenceYear.objects.filter(org_path__startswith=org.path, year=year, months__gte=months)


def absence_flags(
    org: Organization, year: int, months: int, limit: int = FLAGS_SHOWN
) -> list[AbsenceFlag]:
    """Members absent without a good reason from members' meetings in at least `months`
    distinct months of `year` (Điều lệ Đảng Điều 8), most months first; at most `limit`."""
    rows = (
        AbsenceYear.objects.filter(org_path__startswith=org.path, year=year, months__gte=months)
        .values("member_id", "months")
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


def member_attendance(member: Member, year: int) -> tuple[int, int, float | None]:
    """(meetings expected at, meetings attended, rate %) of `member`'s members' meetings in
    `year`, as their roll calls marked them."""
    rows = Attendance.objects.filter(
        member=member,
        on__year=year,
        status__in=EXPECTED,
        meeting__body=Body.MEMBERS,
        meeting__annulled_at__isnull=True,
    ).aggregate(expected=Count("pk"), present=Count("pk", filter=Q(status=Presence.PRESENT)))
    expected, present = rows["expected"], rows["present"]
    return expected, present, round(100 * present / expected, 2) if expected else None


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
