"""The admissions report (báo cáo phát triển đảng viên) of an organisation and everything below it.

For a year, a congress term or part of one ("up to a date"): how many members were admitted
against the quota (chỉ tiêu kết nạp), how those admitted break down by qualification, gender,
age at admission and ethnicity, the same per direct child, and the pipeline from the candidate
pool to official membership. Every figure is an aggregate computed by the database: no member
row is loaded into Python, only grouped counts (the admissions' figures come from one grouped
query, however many children).

The tree is read as it stood at the period's end, or today for a period not yet over (the rule
"the tree as it stood at the period's end", formats.md, "Report JSON": a report of 2016 gives the
same figures, names included, after any later move, merger or rename): the reported
organisation's name and kind then, its direct children then (with their names then), and each
member admitted in the period placed by the state the admitting branch had on that day, as are
the quotas by the state of their organisation. A branch (or an organisation holding a quota)
that ended within the period has no state at its end: it counts where it last stood, by its
last state (the one holding on the day before it ended), so the join stays one condition on the
states and one grouped query. An organisation that did not exist at the period's end has no
report (DomainError saying when it was established or ended, as the structure report). While
nothing reshaped the tree after the period began, today's indexed paths (`Organization.path` of
the admitting branch, `AdmissionTarget.org_path`) are the paths of every day of the period and
answer without the join.

The pool of candidates in the pipeline is today's, in today's subtree, for every period: a
candidate's stage is kept as it is now (`Candidate.stage`); its changes (withdrawal, reopening,
moving to another branch) are in the audit trail by the time they were recorded, with no date
of effect, so the pool of a past day cannot be read. A report of a past period says so: it
heads the pool's counts «Nguồn kết nạp hiện nay» with the day they were read on (`pool_on`,
`pool_label`, `pool_note`).

Admissions count for the branch that admitted the member (reports/admitted.py).

This module holds the report itself: its dataclasses, the period, the children's rows and the
pool of candidates. The admitted's grouped counts and the quotas (with `target_at`, still
imported from here) are reports/admissions_figures.py.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from dangvien.admissions.models import OPEN_STAGES, Candidate, Stage
from dangvien.core.errors import DomainError
from dangvien.core.vntext import sort_key
from dangvien.members.models import QUALIFICATIONS, Gender
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgState, kind_label
from dangvien.reports.admissions_figures import (
    admitted_figures,
    period_quotas,
    stretch_target_at,
    target_at,
)

# The pages' one read of the admitted and its admitting branch's path, still imported from here
# (the quotas page, the survey).
from dangvien.reports.admitted import ADMITTING_PATH as ADMITTING_PATH
from dangvien.reports.admitted import admitted_as_it_stood, stood_in
from dangvien.reports.admitted import admitted_between as admitted_between
from dangvien.reports.admitted import admitted_in_years as admitted_in_years
from dangvien.reports.membership import as_it_stood
from dangvien.reports.periods import LAST_YEAR, year_end
from dangvien.reports.render import percent
from dangvien.reports.structure import AGE_BANDS

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
# The counts of the pool (today's, see the module's docstring), headed as such in a report of a
# period that ended before the day they were read on.
POOL_KEYS = ("candidates", "class_attended", "in_file")
POOL_NOW = "Nguồn kết nạp hiện nay"


@dataclass(frozen=True)
class ChildAdmissions:
    """Admissions and the quota in the subtree of one direct child of the reported org."""

    code: str
    name: str
    kind: str
    admitted: int
    target: int | None
    stretch_target: int | None = None  # chỉ tiêu phấn đấu (admissions_figures.stretch_target_at)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def percent_of_target(self) -> float | None:
        return percent(self.admitted, self.target) if self.target is not None else None

    @property
    def percent_of_stretch_target(self) -> float | None:
        return percent(self.admitted, self.stretch_target) if self.stretch_target else None


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
    pool_on: datetime.date  # the day the pool in `pipeline` was read on: today
    stretch_target: int | None = None  # chỉ tiêu phấn đấu; None: none set for the period

    @property
    def percent_of_stretch_target(self) -> float | None:
        return percent(self.admitted, self.stretch_target) if self.stretch_target else None

    @property
    def org_kind_label(self) -> str:
        return kind_label(self.org_kind)

    @property
    def pool_is_later(self) -> bool:
        """Whether the pool counted is that of a day after the period (a past period): not the
        pool the period ended with, which is not recorded (see the module's docstring)."""
        return self.pool_on > self.end

    @property
    def pool_label(self) -> str | None:
        """For a past period, the heading of the pool's counts in the pipeline, which are those
        of today («Nguồn kết nạp hiện nay (ngày …)»); None when the period is not over."""
        return f"{POOL_NOW} (ngày {self.pool_on:%d/%m/%Y})" if self.pool_is_later else None

    @property
    def pool_note(self) -> str:
        """What the pool's counts are, for the renderers' note under the pipeline."""
        counted = f"số quần chúng trong nguồn kết nạp ngày {self.pool_on:%d/%m/%Y}"
        if not self.pool_is_later:
            return (
                f"Quần chúng trong nguồn, đã học lớp nhận thức, đang hoàn thiện hồ sơ: {counted}."
            )
        return (
            f"{POOL_NOW}: {counted}, không phải ngày {self.end:%d/%m/%Y} (giai đoạn của quần "
            "chúng không được ghi lại theo ngày nên không đọc lại được nguồn của kỳ đã qua)."
        )

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
    against the quota of that year (`year_from == year_to`) or that term, in the tree as it
    stood at the period's end (see the module's docstring); the period is checked by
    `report_period`, and `org` must have existed at its end (DomainError). Of those admitted,
    "official" counts the members recognised by `as_of`, or by today."""
    today = timezone.localdate()
    start, end = report_period(year_from, year_to, today, as_of)
    official_by = as_of or today
    with dated.one_reading():
        stood = as_it_stood(org, end)
        day = min(end, today)  # the tree has no state after today
        admitted = admitted_as_it_stood(stood.path, start, end, day)
        figures = admitted_figures(stood, admitted, official_by)
        stretches: dict[str, int] = {}
        quotas = period_quotas(stood, year_from, year_to, start, day, stretches)
        children = _children(stood, figures.by_child(), (quotas, stretches), start, day)
    totals = figures.totals()
    breakdown = {
        "chuyen_mon": figures.by("qualification", QUALIFICATIONS),
        "gioi_tinh": {gender.value: figures.count(gender=gender.value) for gender in Gender},
        "do_tuoi": {label: figures.count(band=i) for i, (label, _, _) in enumerate(AGE_BANDS)},
        "dan_toc": figures.by("ethnicity", []),
    }
    return AdmissionsReport(
        org_code=stood.code,
        org_name=stood.name,
        org_kind=stood.kind,
        year_from=year_from,
        year_to=year_to,
        start=start,
        end=end,
        official_by=official_by,
        admitted=totals["admitted"],
        target=target_at(stood.path, quotas),
        stretch_target=stretch_target_at(stood.path, quotas, stretches),
        breakdown=breakdown,
        children=children,
        pipeline={
            **_candidates(org),  # today's pool, in today's subtree
            "admitted": totals["admitted"],
            "official": totals["official"],
        },
        pool_on=today,
    )


def _children(
    org: Organization,
    counts: dict[int, int],
    targets: tuple[dict[str, int], dict[str, int]],
    start: datetime.date,
    day: datetime.date,
) -> list[ChildAdmissions]:
    """The direct children of `org` as they stood on `day`, and those ended within the period
    under it by their last state (`stood_in`), with their names then, their quotas and
    `counts`, their admissions by id; in Vietnamese name order. One query, and one more only for
    a child holding admissions without being one of those (see `_states_on`)."""
    quotas, stretches = targets  # the quotas and stretch targets by path (period_quotas)
    parent = Q(parent__isnull=True) if org.pk is None else Q(parent_id=org.pk)
    states = list(
        OrgState.unscoped.filter(parent, stood_in(start, day)).select_related("org").order_by()
    )
    if missing := set(counts) - {state.org_id for state in states}:
        states += _states_on(missing, day)
    return [
        ChildAdmissions(
            code=state.org.code,
            name=state.name,
            kind=state.kind,
            admitted=counts.get(state.org_id, 0),
            target=target_at(state.path, quotas),
            stretch_target=stretch_target_at(state.path, quotas, stretches),
        )
        for state in sorted(states, key=lambda state: sort_key(state.name))
    ]


def _states_on(org_ids: set[int], day: datetime.date) -> list[OrgState]:
    """The latest state begun by `day` of each of `org_ids`: a child of the reported
    organisation by the last state of a branch below it that ended within the period, though
    the child itself moved elsewhere after that end (its name as it stood on `day`)."""
    states = OrgState.unscoped.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), org_id__in=org_ids
    ).select_related("org")
    latest: dict[int, OrgState] = {}
    for state in states.order_by(F("valid_from").asc(nulls_first=True)):
        latest[state.org_id] = state
    return list(latest.values())


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
