"""The admissions report (báo cáo phát triển đảng viên) of an organisation and everything below it.

For a year, a congress term or part of one ("up to a date"): how many members were admitted
against the quota (chỉ tiêu kết nạp), how those admitted break down by qualification, gender,
age at admission and ethnicity, the same per direct child, and the pipeline from the candidate
pool to official membership. Every figure is an aggregate over the indexed paths
(`Member.branch_path`, `Candidate.org_path`): no member row is loaded into Python.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan
from django.utils import timezone

from dangvien.admissions.models import OPEN_STAGES, AdmissionTarget, Candidate, Stage
from dangvien.core.errors import DomainError
from dangvien.members.models import QUALIFICATIONS, Gender, Member
from dangvien.organizations.models import Organization, OrgKind
from dangvien.reports.periods import year_end
from dangvien.reports.quality import _child_of_branch
from dangvien.reports.render import percent
from dangvien.reports.structure import AGE_BANDS, _grouped

# The last year a term may end in (as for the quotas themselves).
LAST_YEAR = 2100
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
        return OrgKind(self.kind).label

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
        return OrgKind(self.org_kind).label

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
    against the quota of that year (`year_from == year_to`) or that term. The period is
    checked by `report_period` first. Of those admitted, "official" counts the members
    recognised by `as_of`, or by today."""
    start, end = datetime.date(year_from, 1, 1), datetime.date(year_to, 12, 31)
    if as_of is not None:
        end = min(end, as_of)
    official_by = as_of or timezone.localdate()
    admitted = _admitted(org, start, end)
    totals = _totals(admitted, official_by)
    breakdown = {
        "chuyen_mon": _grouped(admitted, "qualification", QUALIFICATIONS),
        "gioi_tinh": {gender.value: totals[f"gender_{i}"] for i, gender in enumerate(Gender)},
        "do_tuoi": {label: totals[f"age_{i}"] for i, (label, _, _) in enumerate(AGE_BANDS)},
        "dan_toc": _grouped(admitted, "ethnicity", []),
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
        children=_children(org, admitted, quotas, start, end),
        pipeline={
            **_candidates(org),
            "admitted": totals["admitted"],
            "official": totals["official"],
        },
    )


def _admitted(org: Organization, start: datetime.date, end: datetime.date) -> QuerySet[Member]:
    """Members of any status admitted in the period, in the subtree of their branch today."""
    return Member.unscoped.filter(
        branch_path__startswith=org.path, admitted_on__gte=start, admitted_on__lte=end
    )


def _age_at_admission():
    """Age in whole years on the admission day: the difference of the years, less one when
    the birthday had not yet come that year."""

    def month_day(field: str):
        return ExtractMonth(field) * 100 + ExtractDay(field)

    before_birthday = Case(
        When(LessThan(month_day("admitted_on"), month_day("birth_date")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear("admitted_on") - ExtractYear("birth_date") - before_birthday


def _age_between(low: int | None, high: int | None) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(age__gte=low)
    if high is not None:
        condition &= Q(age__lte=high)
    return condition


def _totals(admitted: QuerySet[Member], official_by: datetime.date) -> dict[str, int]:
    """Admitted, of them recognised as official by `official_by`, genders and ages at
    admission: one aggregate query."""
    aggregates = {
        "admitted": Count("pk"),
        "official": Count("pk", filter=Q(official_on__lte=official_by)),
    }
    for index, gender in enumerate(Gender):
        aggregates[f"gender_{index}"] = Count("pk", filter=Q(gender=gender.value))
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        aggregates[f"age_{index}"] = Count("pk", filter=_age_between(low, high))
    return admitted.order_by().alias(age=_age_at_admission()).aggregate(**aggregates)


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
    admitted: QuerySet[Member],
    quotas: dict[str, int],
    start: datetime.date,
    end: datetime.date,
) -> list[ChildAdmissions]:
    """The direct children active at some time in the period (and any other holding
    admissions of it), with their quotas and their admissions, counted by one query grouped
    by the child's id cut out of the branch path."""
    counts: dict[int, int] = {}
    rows = admitted.values(child=_child_of_branch(org)).order_by().annotate(n=Count("pk"))
    for row in rows:
        if row["child"]:
            counts[int(row["child"])] = row["n"]
    in_period = (Q(founded_on__isnull=True) | Q(founded_on__lte=end)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    children = Organization.unscoped.filter(in_period | Q(pk__in=list(counts)), parent=org)
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
