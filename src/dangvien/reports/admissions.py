"""The admissions report (báo cáo phát triển đảng viên) of an organisation and everything below it.

For a year, a congress term or part of one ("up to a date"): how many members were admitted
against the quota (chỉ tiêu kết nạp), how those admitted break down by qualification, gender,
age at admission and ethnicity, the same per direct child, and the pipeline from the candidate
pool to official membership. Every figure is an aggregate over the indexed paths
(`Organization.path` of the admitting branch, `Candidate.org_path`): no member row is loaded
into Python, only grouped counts (the admissions' figures come from one grouped query).

Admissions count for the branch that admitted the member, not the one they are in today: a
member admitted in one organisation and transferred to another later stays in the first one's
figures (its quota was met by admitting them). `admitted_between` and `admitted_in_years` are
the one read of "members admitted in a period below an organisation" for every page that shows
it (this report, the survey of the pool, the quotas page, the grading of organisations).
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
)
from django.db.models.lookups import LessThan
from django.utils import timezone

from dangvien.admissions.models import OPEN_STAGES, AdmissionTarget, Candidate, Stage
from dangvien.core.errors import DomainError
from dangvien.members.models import QUALIFICATIONS, Gender, Member
from dangvien.organizations.models import Organization, children_filter, kind_label
from dangvien.reports.periods import LAST_YEAR, year_end
from dangvien.reports.render import percent
from dangvien.reports.structure import AGE_BANDS, UNKNOWN, child_of

BREAKDOWN_TITLES = {
    "chuyen_mon": "Trình độ chuyên môn",
    "gioi_tinh": "Giới tính",
    "do_tuoi": "Tuổi khi kết nạp",
    "dan_toc": "Dân tộc",
}
# Stages of a candidate whose admission file is being prepared or voted on.
FILE_STAGES = (Stage.FILE, Stage.BRANCH_RESOLVED, Stage.COMMITTEE_RESOLVED)
PIPELINE_LABELS = {
    "candidates": "Quần chúng ưu tú trong nguồn",
    "class_attended": "Đã học lớp nhận thức về Đảng",
    "in_file": "Đang hoàn thiện hồ sơ, chờ xét",
    "admitted": "Kết nạp trong kỳ",
    "official": "Trong đó đã chính thức",
}


@dataclass(frozen=True)
class ChildAdmissions:
    """Admissions and the quota in the subtree of one direct child of the reported org."""

    code: str
    name: str
    kind: str
    admitted: int
    target: int | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def percent_of_target(self) -> float | None:
        return percent(self.admitted, self.target) if self.target is not None else None


@dataclass(frozen=True)
class AdmissionsReport:
    org_code: str
    org_name: str
    org_kind: str
    year_from: int
    year_to: int
    start: datetime.date  # 01/01 of the first year
    end: datetime.date  # 31/12 of the last year, or the date asked for when earlier
    official_by: datetime.date  # "official" in the pipeline: recognised by then (as_of or today)
    admitted: int
    target: int | None  # None: no quota anywhere in the subtree for this period
    breakdown: dict[str, dict[str, int]]
    children: list[ChildAdmissions]
    pipeline: dict[str, int]  # candidates now, admissions of the period (see PIPELINE_LABELS)

    @property
    def org_kind_label(self) -> str:
        return kind_label(self.org_kind)

    @property
    def percent_of_target(self) -> float | None:
        return percent(self.admitted, self.target) if self.target is not None else None

    @property
    def is_year(self) -> bool:
        return self.year_from == self.year_to

    @property
    def period_label(self) -> str:
        """Such as "năm 2021" or "nhiệm kỳ 2020-2025", with "đến ngày …" when cut short."""
        label = (
            f"năm {self.year_from}" if self.is_year else f"nhiệm kỳ {self.year_from}-{self.year_to}"
        )
        if self.end != datetime.date(self.year_to, 12, 31):
            label += f", đến ngày {self.end:%d/%m/%Y}"
        return label


def report_period(
    year_from: int, year_to: int, today: datetime.date, as_of: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The first and last day counted: 01/01/year_from to 31/12/year_to, or to `as_of` when
    earlier. The first year must have begun and be ≥ 1930; a term may end in the future."""
    year_end(year_from, today)  # ≥ 1930 and begun (periods.py)
    if year_to < year_from:
        raise DomainError(
            f"Năm cuối ({year_to}) không được trước năm đầu ({year_from}) của kỳ báo cáo.",
            field="to",
        )
    if year_to > LAST_YEAR:
        raise DomainError(f"Năm cuối của kỳ báo cáo phải từ {LAST_YEAR} trở về trước.", field="to")
    start, end = datetime.date(year_from, 1, 1), datetime.date(year_to, 12, 31)
    if as_of is not None:
        if as_of < start:
            raise DomainError(
                f"Ngày tính đến ({as_of:%d/%m/%Y}) phải từ {start:%d/%m/%Y} trở đi.",
                field="as_of",
            )
        end = min(end, as_of)
    return start, end


def admissions_report(
    org: Organization, year_from: int, year_to: int, as_of: datetime.date | None = None
) -> AdmissionsReport:
    """Admissions in `org`'s subtree from 01/01/`year_from` to 31/12/`year_to` (or `as_of`),
    against the quota of that year (`year_from == year_to`) or that term; the period is checked
    by `report_period` (DomainError). Of those admitted, "official" counts the members
    recognised by `as_of`, or by today."""
    start, end = report_period(year_from, year_to, timezone.localdate(), as_of)
    official_by = as_of or timezone.localdate()
    figures = _figures(org, admitted_between(org.path, start, end), official_by)
    totals = figures.totals()
    breakdown = {
        "chuyen_mon": figures.by("qualification", QUALIFICATIONS),
        "gioi_tinh": {gender.value: figures.count(gender=gender.value) for gender in Gender},
        "do_tuoi": {label: figures.count(band=i) for i, (label, _, _) in enumerate(AGE_BANDS)},
        "dan_toc": figures.by("ethnicity", []),
    }
    quotas = _quotas(org, year_from, year_to)
    return AdmissionsReport(
        org_code=org.code,
        org_name=org.name,
        org_kind=org.kind,
        year_from=year_from,
        year_to=year_to,
        start=start,
        end=end,
        official_by=official_by,
        admitted=totals["admitted"],
        target=target_at(org.path, quotas),
        breakdown=breakdown,
        children=_children(org, figures.by_child(), quotas, start, end),
        pipeline={
            **_candidates(org),
            "admitted": totals["admitted"],
            "official": totals["official"],
        },
    )


# Admitted members, by the branch that admitted them

# The path (as it is today: moving an organisation rewrites the paths below it) of the branch
# that admitted the member, an alias of the querysets below: group by it, never filter on it.
ADMITTING_PATH = "admitting_path"


def admitted_between(path, start, end) -> QuerySet[Member]:
    """Members of any status admitted from `start` to `end` (dates, inclusive) by a branch in
    the subtree at `path` (a value or an outer reference), wherever they are active now.

    The admitting branch is the one of the member's placement (`Placement`) that starts on the
    admission day: every writer of members creates it (`members.services.create_member`, which
    admitting a candidate goes through, the member import, the demo and the benchmark data) and
    a transfer never starts on that day (it must start after the current placement), so each
    member joins one placement at most. There is no fallback to `Member.branch_path`: a member
    without that placement is counted nowhere (a correction of `admitted_on` must move the
    first placement's start with it). A fallback would need an outer join filtered on a
    computed path, which no index serves; the inner join is driven by the indexed organisation
    paths and `placement_branch_idx` (branch, start), or by the admission dates, as the
    database chooses.
    The scope is the caller's: `path` must be an organisation the user sees; those admitted
    there count even when they have moved out of the user's scope since (only counts leave).

    Filter the returned queryset further only on the member's own fields: the placements'
    conditions sit in this one `filter()` so that they apply to the same placement row."""
    return _admitted_where(
        path,
        Q(admitted_on__gte=start, admitted_on__lte=end),
        Q(placements__start__gte=start, placements__start__lte=end),
    )


def admitted_in_years(path, first_year, last_year) -> QuerySet[Member]:
    """As `admitted_between`, from 01/01 of `first_year` to 31/12 of `last_year`, which may be
    SQL expressions (the quotas page compares each quota's own year or term)."""
    if isinstance(first_year, int) and isinstance(last_year, int):
        return admitted_between(
            path, datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
        )
    return _admitted_where(
        path,
        Q(admitted_on__year__gte=first_year, admitted_on__year__lte=last_year),
        Q(placements__start__year__gte=first_year, placements__start__year__lte=last_year),
    )


def _admitted_where(path, admitted: Q, started: Q) -> QuerySet[Member]:
    """The join of `admitted_between`. `started` repeats the period on the placement's start
    (equal to the admission day) so that the database may range-scan `placement_branch_idx`."""
    return Member.unscoped.filter(
        admitted,
        started,
        placements__start=F("admitted_on"),
        placements__branch__path__startswith=path,
    ).alias(**{ADMITTING_PATH: F("placements__branch__path")})


def _age_at_admission():
    """Age in whole years on the admission day. PostgreSQL's age() in one call; elsewhere the
    difference of the years, less one when the birthday had not yet come that year."""
    if connection.vendor == "postgresql":
        return Func(
            F("admitted_on"),
            F("birth_date"),
            template="date_part('year', age(%(expressions)s))::integer",
            output_field=IntegerField(),
        )

    def month_day(field: str):
        return ExtractMonth(field) * 100 + ExtractDay(field)

    before_birthday = Case(
        When(LessThan(month_day("admitted_on"), month_day("birth_date")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear("admitted_on") - ExtractYear("birth_date") - before_birthday


# The age bands of the structure report are ten years wide from the second on (≤30, 31-40, …,
# 61-70, >70), so the band is arithmetic on the age, which the database then computes once a row
# (a CASE over the bands would repeat the age expression in every branch).
BAND_WIDTH = 10
BAND_OFFSET = AGE_BANDS[0][2] - BAND_WIDTH + 1
assert all(
    low == BAND_OFFSET + BAND_WIDTH * index for index, (_l, low, _h) in enumerate(AGE_BANDS) if low
), "AGE_BANDS are no longer ten-year bands: _age_band must change with them"


def _age_band():
    """The index in AGE_BANDS of the age at admission (integer division truncates toward zero
    on both databases; below the first band it is clamped to 0, above the last to the last)."""
    shifted = ExpressionWrapper(
        (_age_at_admission() - Value(BAND_OFFSET)) / Value(BAND_WIDTH),
        output_field=IntegerField(),
    )
    return Least(Greatest(shifted, Value(0)), Value(len(AGE_BANDS) - 1))


@dataclass(frozen=True)
class _Figures:
    """The admitted of the period counted by every key the report shows at once: rows of
    (child id, qualification, ethnicity, gender, age band, official) with their number."""

    rows: list[dict]

    def count(self, **key) -> int:
        return sum(row["n"] for row in self.rows if all(row[k] == v for k, v in key.items()))

    def totals(self) -> dict[str, int]:
        return {"admitted": self.count(), "official": self.count(official=1)}

    def by(self, field: str, known: list[str]) -> dict[str, int]:
        """Counts by the stored value of `field` (empty → "Chưa rõ"), catalogue values first,
        then the others by count, "Chưa rõ" last (as the structure report orders them)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            label = row[field] or UNKNOWN
            counts[label] = counts.get(label, 0) + row["n"]
        ordered = [value for value in known if value in counts]
        others = sorted(
            (value for value in counts if value not in known and value != UNKNOWN),
            key=lambda value: (-counts[value], value),
        )
        if UNKNOWN in counts:
            others.append(UNKNOWN)
        return {value: counts[value] for value in ordered + others}

    def by_child(self) -> dict[int, int]:
        """Admissions per direct child's id (those of the reported branch itself left out)."""
        counts: dict[int, int] = {}
        for row in self.rows:
            if row["child"]:
                counts[int(row["child"])] = counts.get(int(row["child"]), 0) + row["n"]
        return counts


def _figures(org: Organization, admitted: QuerySet[Member], official_by: datetime.date) -> _Figures:
    """One grouped query over the join of `admitted_between` (the join is the costly part, so
    it is made once): by the child of `org` holding the admitting branch, qualification,
    ethnicity, gender, age band at admission and whether recognised as official by
    `official_by`. A few thousand rows for a province's term, summed in Python."""
    official = Case(
        When(official_on__lte=official_by, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        admitted.values(
            "qualification",
            "ethnicity",
            "gender",
            child=child_of(ADMITTING_PATH, org),
            band=_age_band(),
            official=official,
        )
        .order_by()
        .annotate(n=Count("pk"))
    )
    return _Figures(list(rows))


def _quotas(org: Organization, year_from: int, year_to: int) -> dict[str, int]:
    """The quotas for exactly this year (or this term) set in `org`'s subtree, by org path.
    A year's report reads year quotas only, a term's report term quotas only."""
    if year_from == year_to:
        period = {"year": year_from}
    else:
        period = {"term_start": year_from, "term_end": year_to}
    rows = AdmissionTarget.unscoped.filter(org_path__startswith=org.path, **period)
    return dict(rows.values_list("org_path", "quota"))


def target_at(path: str, quotas: dict[str, int]) -> int | None:
    """The quota of the organisation at `path`: its own, or else the sum of the quotas set
    highest below it (a quota counts for an ancestor when no quota sits between them);
    None when there is none in the subtree."""
    if path in quotas:
        return quotas[path]
    total, covered = None, None
    for below in sorted(p for p in quotas if p.startswith(path)):
        if covered is not None and below.startswith(covered):
            continue  # a descendant of a quota already counted
        covered = below
        total = (total or 0) + quotas[below]
    return total


def _children(
    org: Organization,
    counts: dict[int, int],
    quotas: dict[str, int],
    start: datetime.date,
    end: datetime.date,
) -> list[ChildAdmissions]:
    """The direct children active at some time in the period (and any other holding
    admissions of it), with their quotas and `counts`, their admissions by id."""
    in_period = (Q(founded_on__isnull=True) | Q(founded_on__lte=end)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    children = Organization.unscoped.filter(
        in_period | Q(pk__in=list(counts)), children_filter(org)
    )
    return [
        ChildAdmissions(
            code=child.code,
            name=child.name,
            kind=child.kind,
            admitted=counts.get(child.pk, 0),
            target=target_at(child.path, quotas),
        )
        for child in children.order_by("sort_key").only("pk", "code", "name", "kind", "path")
    ]


def _candidates(org: Organization) -> dict[str, int]:
    """Candidates in the pool of the subtree today: all open ones, those who attended the
    awareness class, those whose admission file is under way (one aggregate query)."""
    return Candidate.unscoped.filter(
        org_path__startswith=org.path, stage__in=OPEN_STAGES
    ).aggregate(
        candidates=Count("pk"),
        class_attended=Count("pk", filter=Q(class_attended_on__isnull=False)),
        in_file=Count("pk", filter=Q(stage__in=FILE_STAGES)),
    )
