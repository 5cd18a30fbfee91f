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
thousand, whatever the number of meetings. What each branch owed and missed is computed by the
database too (bits of the months and quarters); the branches that fell short are read a page
at a time.
"""

import calendar
import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangvien.core.rules import RuleBook
from dangvien.meetings.models import EXPECTED, AbsenceYear, Attendance, Body, Presence
from dangvien.members.models import Member
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgKind, OrgState

FLAGS_SHOWN = 500  # members listed with the Điều lệ Đảng Điều 8 flag; the page says how many


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
    rows: "BranchRows | list[BranchRow]" = field(default_factory=list)  # the branches short
    base_committees: int = 0
    plenaries_short: list[PlenaryRow] = field(default_factory=list)
    flagged: list[AbsenceFlag] = field(default_factory=list)  # the first FLAGS_SHOWN
    flagged_total: int = 0
    flag_months: int = 3

    @property
    def percent_compliant(self) -> float | None:
        return round(100 * self.compliant / self.branches, 2) if self.branches else None


def _list(mask: int, values: range) -> list[int]:
    return [value for value in values if mask >> value & 1]


def ended_months(year: int, as_of: datetime.date) -> list[int]:
    if year < as_of.year:
        return list(range(1, 13))
    if year > as_of.year:
        return []
    return list(range(1, as_of.month))


def _subtree_orgs(then: Organization, end: datetime.date, kinds) -> QuerySet[Organization]:
    """The organisations of `kinds` in the subtree (itself included) as it stood on `end`:
    from the organisations themselves while nothing reshaped the tree since (an indexed range
    on the path), else from that day's states."""
    if not dated.reshaped_since(end, then.path):
        existed = (Q(founded_on__isnull=True) | Q(founded_on__lte=end)) & (
            Q(ended_on__isnull=True) | Q(ended_on__gt=end)
        )
        return Organization.unscoped.filter(existed, path__startswith=then.path, kind__in=kinds)
    states = OrgState.unscoped.filter(holding_on(end), path__startswith=then.path, kind__in=kinds)
    return Organization.unscoped.filter(pk__in=states.values("org_id"))


def _with_sums(orgs: QuerySet[Organization], year: int) -> QuerySet[Organization]:
    """`orgs` joined to their yearly sums (MeetingYear) of `year`, as `sums`."""
    return orgs.annotate(
        sums=FilteredRelation("meeting_years", condition=Q(meeting_years__year=year))
    )


def _due_months(year: int, months: list[int]):
    """SQL: the bits of `months` the organisation lived through whole (founded before the
    month's first day, not ended before its last)."""
    terms = []
    for month in months:
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        terms.append(_if_lived(first, last, 1 << month))
    return reduce(operator.add, terms) if terms else Value(0)


def _due_quarters(year: int, quarters: list[int]):
    terms = []
    for quarter in quarters:
        first = datetime.date(year, 3 * quarter - 2, 1)
        last = datetime.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
        terms.append(_if_lived(first, last, 1 << quarter))
    return reduce(operator.add, terms) if terms else Value(0)


def _if_lived(first: datetime.date, last: datetime.date, bit: int) -> Case:
    lived = (Q(founded_on__isnull=True) | Q(founded_on__lte=first)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=last)
    )
    return Case(When(lived, then=Value(bit)), default=Value(0), output_field=IntegerField())


SHORT = Q(missing_months__gt=0) | Q(missing_quarters__gt=0) | Q(unapproved__gt=0)


def _branches(then: Organization, year: int, end: datetime.date, months, quarters) -> QuerySet:
    """The branches of the subtree as it stood on `end`, each with its year's sums
    (MeetingYear) and the bits of the months and quarters it owed and missed: all in SQL."""
    orgs = _subtree_orgs(then, end, BRANCH_KINDS)
    zero = Value(0)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if orgs.filter(Q(founded_on__gt=first) | Q(ended_on__lt=last)).exists():
        due_months, due_quarters = _due_months(year, months), _due_quarters(year, quarters)
    else:  # every branch lived the whole year: they all owe the same months and quarters
        due_months = Value(sum(1 << m for m in months), output_field=IntegerField())
        due_quarters = Value(sum(1 << q for q in quarters), output_field=IntegerField())
    return (
        _with_sums(orgs, year)
        .annotate(
            regular=Coalesce(F("sums__regular_months"), zero),
            thematic=Coalesce(F("sums__thematic_quarters"), zero),
            unapproved=Coalesce(F("sums__unapproved"), zero),
            held=Coalesce(F("sums__held"), zero),
            expected=Coalesce(F("sums__expected"), zero),
            present=Coalesce(F("sums__present"), zero),
            due_months=due_months,
            due_quarters=due_quarters,
        )
        .annotate(
            missing_months=F("due_months") - F("due_months").bitand(F("regular")),
            missing_quarters=F("due_quarters") - F("due_quarters").bitand(F("thematic")),
        )
    )


class BranchRows:
    """The branches that fell short, in Vietnamese name order, read a page at a time (a
    Paginator takes it): the whole Party has a hundred thousand of them. Read when asked:
    use it in the request that computed it."""

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset = queryset.filter(SHORT).order_by("sort_key", "pk")
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        fields = ("pk", "code", "name", "missing_months", "missing_quarters", "unapproved")
        rows = self.queryset[index].values_list(*fields, "expected", "present")
        return [
            BranchRow(
                pk,
                code,
                name,
                _list(months, range(1, 13)),
                _list(quarters, range(1, 5)),
                unapproved,
                round(100 * present / expected, 2) if expected else None,
            )
            for pk, code, name, months, quarters, unapproved, expected, present in rows
        ]

    def __iter__(self):
        return iter(self[0 : self._count])


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
    branches = _branches(then, year, end, months, quarters)
    totals = branches.aggregate(
        branches=Count("pk"),
        short=Count("pk", filter=SHORT),
        without_regular=Count("pk", filter=Q(missing_months__gt=0)),
        without_thematic=Count("pk", filter=Q(missing_quarters__gt=0)),
        with_unapproved=Count("pk", filter=Q(unapproved__gt=0)),
        meetings=Sum("held"),
        expected=Sum("expected"),
        present=Sum("present"),
    )
    result.branches = totals["branches"]
    result.compliant = totals["branches"] - totals["short"]
    result.without_regular = totals["without_regular"]
    result.without_thematic = totals["without_thematic"]
    result.with_unapproved = totals["with_unapproved"]
    result.meetings = totals["meetings"] or 0
    if totals["expected"]:
        result.average_attendance = round(100 * totals["present"] / totals["expected"], 2)
    result.rows = BranchRows(branches, totals["short"])
    _plenaries(result, then, end)
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


def _plenaries(result: Compliance, then: Organization, end: datetime.date) -> None:
    """The đảng bộ cơ sở of the subtree with fewer plenaries (members' regular meetings) in
    the year than half-years ended (QĐ 24 §20)."""
    bases = _with_sums(_subtree_orgs(then, end, (OrgKind.BASE_COMMITTEE,)), result.year)
    rows = list(
        bases.order_by("sort_key").values_list(
            "pk", "code", "name", "founded_on", "ended_on", "sums__regular_held"
        )
    )
    result.base_committees = len(rows)
    for org_id, code, name, founded, ended, held in rows:
        due = _halves_due(result.year, result.as_of, founded, ended)
        if (held or 0) < due:
            result.plenaries_short.append(PlenaryRow(org_id, code, name, held or 0, due))


def _absentees(then: Organization, year: int, months: int) -> QuerySet[AbsenceYear]:
    """The members absent `months` or more in `year` below `then` (the subtree as it stood at
    the year's end, as organizations.dated.placed reads it)."""
    end = datetime.date(year, 12, 31)
    rows = dated.placed(
        AbsenceYear.objects.filter(year=year, months__gte=months),
        "organization",
        end,
        path="org_path",
        within=then.path,
        since=datetime.date(year, 1, 1),
    )
    return rows.filter(placed_path__startswith=then.path)


def absence_flags(
    org: Organization, year: int, months: int, limit: int = FLAGS_SHOWN
) -> list[AbsenceFlag]:
    """Members absent without a good reason from members' meetings in at least `months`
    distinct months of `year` (Điều lệ Đảng Điều 8), most months first; at most `limit`."""
    rows = (
        _absentees(org, year, months)
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
