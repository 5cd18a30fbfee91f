"""The quality report (báo cáo xếp loại chất lượng) of an organisation and everything below it.

For one year: how many members the subtree had at the end of the year, how many were graded and
in which of the four grades, how its base organisations were graded, the same per direct child,
the members not graded (with the reason), and the grades of the years before for comparison
(domain-rules §4, "Statistics usually reported"). Members are counted by the structure report's
own logic; grades are aggregates of `MemberAssessment` grouped by the database, each grade placed
by the state its branch had on 31/12 of the year (the tree as it stood then, so a later move or
merger changes no past year): no member row is loaded into Python except the few not graded.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from dangvien.assessments.models import GRADES, MemberAssessment, NotGraded, OrgAssessment
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BASE_KINDS, Organization, OrgState, kind_label
from dangvien.reports import tallies
from dangvien.reports.periods import year_end
from dangvien.reports.render import percent
from dangvien.reports.structure import (
    active_children,
    alive_on,
    as_it_stood,
    child_id,
    child_of,
    member_counts_by_branch,
    members_by_child,
    members_on,
    placements_on,
)

# How many years the comparison shows, the report's year included.
HISTORY_YEARS = 5
# How many members not graded are listed by name on the page and in the PDF (all of them are
# counted by reason; the xlsx lists every one).
NOT_GRADED_LIMIT = 500


@dataclass(frozen=True)
class GradeCounts:
    """How many were graded in each of the four grades (slugs in the order of formats.md)."""

    grades: dict[str, int]

    @classmethod
    def of(cls, counts: dict[str, int]) -> "GradeCounts":
        return cls({grade.value: counts.get(grade.value, 0) for grade in GRADES})

    @property
    def assessed(self) -> int:
        return sum(self.grades.values())

    @property
    def percent(self) -> dict[str, float | None]:
        """Shares of the graded, rounded to 2 decimals; None when nobody was graded."""
        return {grade: percent(count, self.assessed) for grade, count in self.grades.items()}


@dataclass(frozen=True)
class ChildQuality:
    """The members and grades in the subtree of one direct child of the reported org."""

    code: str
    name: str
    kind: str
    members: int
    counts: GradeCounts
    not_graded: int = 0  # recorded as not graded, with a reason
    # Looked up as the child's own report lists them (a report of plain queries only: not
    # among the figures a report added up from the unit tallies shares with it).
    without_result: int | None = field(default=None, compare=False)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def no_result(self) -> int:
        """Members neither graded nor recorded as not graded: the number the child's own
        report lists, or for a report added up from its units, what the counts leave."""
        if self.without_result is not None:
            return self.without_result
        return max(self.members - self.counts.assessed - self.not_graded, 0)


@dataclass(frozen=True)
class UngradedMember:
    """A member of the subtree assessed that year but not graded, and why."""

    code: str
    full_name: str
    branch_name: str
    reason: str
    note: str

    @property
    def reason_label(self) -> str:
        return NotGraded(self.reason).label if self.reason in NotGraded.values else self.reason


@dataclass(frozen=True)
class QualityReport:
    org_code: str
    org_name: str
    org_kind: str
    year: int
    as_of: datetime.date
    members: int
    counts: GradeCounts
    organizations: GradeCounts
    children: list[ChildQuality]
    not_graded_reasons: dict[str, int]  # members assessed without a grade, by reason
    not_graded: list[UngradedMember]  # the first of them by branch, or all (see the limit)
    history: dict[int, GradeCounts]  # the years before and the report's year, oldest first
    # Members of the subtree at the end of the year with neither a grade nor a reason not to
    # grade: how many, and the first of them by branch (or all, see the limit). Looked up one
    # by one for a report of plain queries only; not among the figures a report added up from
    # the unit tallies must share with it (compare=False).
    without_result_count: int | None = field(default=None, compare=False)
    without_result: tuple[UngradedMember, ...] = field(default=(), compare=False)

    @property
    def org_kind_label(self) -> str:
        return kind_label(self.org_kind)

    @property
    def assessed(self) -> int:
        return self.counts.assessed

    @property
    def not_graded_count(self) -> int:
        return sum(self.not_graded_reasons.values())

    @property
    def no_result_count(self) -> int:
        """Members at the end of the year with no result: as looked up one by one, or for a
        report added up from its units, those neither graded nor recorded as not graded."""
        if self.without_result_count is not None:
            return self.without_result_count
        return max(self.members - self.assessed - self.not_graded_count, 0)

    @property
    def not_graded_reason_labels(self) -> list[tuple[str, int]]:
        return [
            (NotGraded(reason).label if reason in NotGraded.values else reason, count)
            for reason, count in self.not_graded_reasons.items()
        ]


def quality_report(org: Organization, year: int, **options) -> QualityReport:
    """The grades of `year` in `org`'s subtree; members as on 31/12 of that year (_build)."""
    with dated.one_reading():
        return _build(org, year, **options)


def _build(
    org: Organization,
    year: int,
    *,
    details: bool = True,
    not_graded_limit: int | None = NOT_GRADED_LIMIT,
    from_tallies: bool | None = None,
) -> QualityReport:
    """The grades of `year` in `org`'s subtree; members as on 31/12 of that year.

    Without `details` (the JSON of formats.md needs none) the years before and the members
    not graded are left out; `not_graded_limit` bounds the list of those (None: all). A
    province or the whole Party adds up the counts kept per unit (tallies.py) unless
    `from_tallies` is False; both ways give the same figures."""
    today = timezone.localdate()
    as_of = year_end(year, today)
    first_year = year - HISTORY_YEARS + 1 if details else year
    stood = as_it_stood(org, as_of)
    # The unit tallies count each year by the tree of its end (reports/tallies/).
    tallied = tallies.ready_for(stood) if from_tallies is None else from_tallies
    org = stood
    if tallied:
        members, by_child, history, reasons, not_graded_by_child = _tallied(
            org, year, first_year, today
        )
    else:
        not_graded_by_child = _not_graded_by_child(org, year)
        members = {}
        for row in member_counts_by_branch(org, as_of):
            key = child_id(org, row["path"])
            members[key] = members.get(key, 0) + row["members"]
        by_child, history = _grades(org, year, first_year)
        reasons = _not_graded_reasons(org, year) if details else {}
    without_result = (
        members_by_child(org, as_of, lambda member: Exists(_result(year, member)))
        if details and not tallied
        else None
    )
    return QualityReport(
        org_code=org.code,
        org_name=org.name,
        org_kind=org.kind,
        year=year,
        as_of=as_of,
        members=sum(members.values()),
        counts=history[year],
        organizations=_base_organizations(org, year),
        children=[
            ChildQuality(
                code=child.code,
                name=child.name,
                kind=child.kind,
                members=members.get(child.pk, 0),
                counts=GradeCounts.of(by_child.get(child.pk, {})),
                not_graded=not_graded_by_child.get(child.pk, 0),
                without_result=(
                    without_result.get(child.pk, 0) if without_result is not None else None
                ),
            )
            for child in active_children(org, as_of)
        ],
        not_graded_reasons=reasons if details else {},
        not_graded=_not_graded(org, year, not_graded_limit) if details else [],
        history=history,
        **(
            _without_result(org, year, as_of, not_graded_limit, sum(without_result.values()))
            if without_result is not None
            else {}
        ),
    )


def _tallied(org: Organization, year: int, first_year: int, today: datetime.date) -> tuple:
    """The members per child, grades per child, grades per year, reasons for not grading and
    members not graded per child of the plain queries, added up from the unit tallies. A year
    before any grade was recorded anywhere has none to add up: it is not asked for (the
    tallies keep the assessed years, tallies.counted_years)."""
    assessed = tallies.counted_years()
    wanted = [past for past in range(first_year, year + 1) if past == year or past in assessed]
    per_child = tallies.figures(org, wanted, today, only=("members", "grade", "not_graded"))
    total = tallies.summed(per_child)
    members = {pk: counts[year, "members", ""] for pk, counts in per_child.items()}
    by_child = {
        pk: {slug: n for (y, figure, slug), n in counts.items() if y == year and figure == "grade"}
        for pk, counts in per_child.items()
    }
    history = {
        past: GradeCounts.of(
            {slug: n for (y, figure, slug), n in total.items() if y == past and figure == "grade"}
        )
        for past in range(first_year, year + 1)
    }
    reasons = {
        reason: n
        for (y, figure, reason), n in total.items()
        if y == year and figure == "not_graded" and n
    }
    not_graded = {
        pk: sum(n for (y, figure, _r), n in counts.items() if y == year and figure == "not_graded")
        for pk, counts in per_child.items()
    }
    reasons = dict(sorted(reasons.items(), key=lambda r: (-r[1], r[0])))
    return members, by_child, history, reasons, not_graded


def _grades(
    org: Organization, year: int, first_year: int
) -> tuple[dict[int | None, dict[str, int]], dict[int, GradeCounts]]:
    """The grades of `year` per direct child of `org` (None: `org` itself is the branch), and
    the grades of each year from `first_year` to `year` in the whole subtree."""
    by_child = _grades_by_child(org, year)
    total: dict[str, int] = {}
    for counts in by_child.values():
        for grade, count in counts.items():
            total[grade] = total.get(grade, 0) + count
    history = _grades_by_year(org, range(first_year, year))
    history[year] = GradeCounts.of(total)
    return by_child, history


def _of_year(org: Organization, year: int):
    """The assessments of `year` in `org`'s subtree as the tree stood on 31/12 of that year
    (`org.path` is its path then): `placed_path` is the path the member's branch had that day,
    or, for a branch ended within the year, where it last stood (`dated.stood_in`)."""
    day = year_end(year, timezone.localdate())
    assessments = dated.placed(
        MemberAssessment.unscoped,
        "branch",
        day,
        path="branch_path",
        within=org.path,
        since=datetime.date(year, 1, 1),
    )
    return assessments.filter(year=year, placed_path__startswith=org.path)


def _graded(org: Organization, year: int):
    return _of_year(org, year).exclude(grade="")


def _grades_by_child(org: Organization, year: int) -> dict[int | None, dict[str, int]]:
    """Grades of `year` per direct child (None: `org` itself is the branch): one query
    grouped by the child's id cut out of the branch's path at the end of the year."""
    child = child_of("placed_path", org)
    rows = _graded(org, year).values(child=child, slug=F("grade")).order_by()
    counts: dict[int | None, dict[str, int]] = {}
    for row in rows.annotate(n=Count("*")):
        key = int(row["child"]) if row["child"] else None
        counts.setdefault(key, {})[row["slug"]] = row["n"]
    return counts


def _grades_by_year(org: Organization, years: range) -> dict[int, GradeCounts]:
    """The grades of each year of `years` in the subtree as it stood at that year's end: one
    grouped query a year (none for a year the organisation did not exist at its end)."""
    today = timezone.localdate()
    history = {}
    # Unreshaped since the first year, the organisation stood where it stands (if it existed).
    same = bool(years) and not dated.reshaped_since(year_end(years.start, today), org.path)
    for year in years:
        day = year_end(year, today)
        if same:
            stood = None if org.founded_on and org.founded_on > day else org
        else:
            stood = dated.as_of(org, day)
        counts = {}
        if stood is not None:
            rows = _graded(stood, year).values(slug=F("grade")).order_by().annotate(n=Count("*"))
            counts = {row["slug"]: row["n"] for row in rows}
        history[year] = GradeCounts.of(counts)
    return history


def member_grades(org: Organization, year: int) -> GradeCounts:
    """The members' grades of `year` in `org`'s subtree, `org` as it stood at the year's end
    (`as_it_stood`): the report's `grades`, in one grouped query (the programme targets)."""
    rows = _graded(org, year).values(slug=F("grade")).order_by().annotate(n=Count("*"))
    return GradeCounts.of({row["slug"]: row["n"] for row in rows})


def base_organization_grades(org: Organization, year: int) -> GradeCounts:
    """The report's `organizations`: the grades of the base organisations of `year` in `org`'s
    subtree, `org` as it stood at the year's end."""
    return _base_organizations(org, year)


def _base_organizations(org: Organization, year: int) -> GradeCounts:
    """Grades of the base organisations (đảng bộ cơ sở, chi bộ cơ sở) in the subtree, `org`
    itself included when it is one, so a base organisation's report shows its own grade."""
    day = year_end(year, timezone.localdate())
    assessments = dated.placed(
        OrgAssessment.unscoped,
        "organization",
        day,
        path="org_path",
        kind="organization__kind",
        within=org.path,
        since=datetime.date(year, 1, 1),
    )
    rows = assessments.filter(
        year=year, placed_path__startswith=org.path, placed_kind__in=BASE_KINDS
    )
    if not dated.reshaped_since(day, org.path):
        # The copies are today's paths: the same organisations by their own path, which the
        # planner reads from its index instead of every organisation (Hà Nội: 80 → 41 ms).
        rows = rows.filter(organization__path__startswith=org.path)
    rows = rows.exclude(grade="").values(slug=F("grade")).order_by().annotate(n=Count("pk"))
    return GradeCounts.of({row["slug"]: row["n"] for row in rows})


def _ungraded(org: Organization, year: int):
    """Members the committee decided (or an import recorded) not to grade that year, with the
    reason; a self-assessment or a branch proposal alone is not a result."""
    return _of_year(org, year).filter(grade="", not_graded__gt="")


def _not_graded_by_child(org: Organization, year: int) -> dict[int | None, int]:
    """Members recorded as not graded in `year`, per direct child: one grouped query."""
    rows = _ungraded(org, year).values(child=child_of("placed_path", org)).order_by()
    return {
        int(row["child"]) if row["child"] else None: row["n"] for row in rows.annotate(n=Count("*"))
    }


def _not_graded_reasons(org: Organization, year: int) -> dict[str, int]:
    """How many members were assessed without a grade, by reason, most frequent first."""
    rows = _ungraded(org, year).values("not_graded").order_by().annotate(n=Count("*"))
    counts = {row["not_graded"]: row["n"] for row in rows}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _not_graded(org: Organization, year: int, limit: int | None) -> list[UngradedMember]:
    """Members assessed in `year` without a grade (ill, exempt, newly admitted…), branch by
    branch in the order of the tree (the indexed path), by member code within a branch."""
    rows = (
        _ungraded(org, year)
        .order_by("placed_path", "member__code")
        .values_list(
            "member__code", "member__full_name", "branch_id", "not_graded", "not_graded_note"
        )
    )
    rows = list(rows if limit is None else rows[:limit])
    names = _names_on({branch for _, _, branch, _, _ in rows}, year_end(year, timezone.localdate()))
    return [
        UngradedMember(code, name, names.get(branch, ""), reason, note)
        for code, name, branch, reason, note in rows
    ]


def _names_on(org_ids: set[int], day: datetime.date) -> dict[int, str]:
    """The names the organisations had on `day` (today's for one that had no state then)."""
    names = dict(Organization.unscoped.filter(pk__in=org_ids).values_list("pk", "name"))
    states = OrgState.unscoped.filter(holding_on(day), org_id__in=org_ids)
    names.update(states.values_list("org_id", "name"))
    return names


def _result(year: int, member: str) -> QuerySet[MemberAssessment]:
    """The result of `year` (a grade, or not graded with a reason) of the outer query's
    member (`member`: its id field)."""
    return MemberAssessment.unscoped.filter(member=OuterRef(member), year=year).filter(
        Q(grade__gt="") | Q(not_graded__gt="")
    )


def _without_result_rows(org: Organization, year: int, as_of: datetime.date):
    """The members of `org`'s subtree at `as_of` with no result of `year` (one query)."""
    return members_on(org, as_of).exclude(Exists(_result(year, "pk")))


def _without_result(
    org: Organization, year: int, as_of: datetime.date, limit: int | None, count: int
) -> dict:
    """Members of the subtree at the end of `year` (counted as the report counts them) with no
    result that year: neither graded nor recorded as not graded with a reason. The year's
    statistics account for every member (HD 43-HD/BTCTW; domain-rules §4.3), so these are
    shown, counted (`count`: the sum of the per-child counts) and listed, rather than left out
    of both the grades and the reasons."""
    if as_of < timezone.localdate():
        # Where each was on that day, under the name their branch had then.
        rows = (
            placements_on(org, as_of)
            .filter(alive_on(as_of, "member__"))
            .exclude(Exists(_result(year, "member_id")))
            .order_by("placed_path", "member__code")
            .values_list("member__code", "member__full_name", "branch_id")
        )
    else:
        rows = (
            _without_result_rows(org, year, as_of)
            .order_by("branch_path", "code")
            .values_list("code", "full_name", "branch_id")
        )
    listed = list(rows if limit is None else rows[:limit])
    names = _names_on({branch for _, _, branch in listed}, as_of)
    return {
        "without_result_count": count,
        "without_result": tuple(
            UngradedMember(code, name, names.get(branch, ""), "", "")
            for code, name, branch in listed
        ),
    }


def latest_graded_year(org: Organization, this_year: int) -> int | None:
    """The last of the recent years with any member of the subtree graded (the report page's
    default year): a few indexed existence checks, newest year first."""
    today = timezone.localdate()
    for year in range(this_year, this_year - HISTORY_YEARS, -1):
        stood = dated.as_of(org, year_end(year, today))
        if stood is not None and _graded(stood, year).exists():
            return year
    return None
