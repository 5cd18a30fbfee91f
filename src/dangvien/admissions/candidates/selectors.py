"""Reads of the candidate pool: the list and its filters, a candidate and their history, and the
survey of the pool per unit. Every read starts from the user's scope (`core.scope.visible`);
the survey counts in SQL, grouped by the child cut out of the path (a year over, by the
admitting branch's path at its end)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field, fields
from functools import reduce

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from dangvien.admissions.models import OPEN_STAGES, AdmissionTarget, Candidate, Stage
from dangvien.admissions.targets.selectors import is_over
from dangvien.core.models import NOT_CHANGES, AuditEntry
from dangvien.core.paths import ancestor_paths, common_ancestor
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.core.vntext import fold
from dangvien.organizations import dated
from dangvien.organizations.dated import stood_in
from dangvien.organizations.models import BRANCH_KINDS, Organization, OrgState
from dangvien.reports.admissions import ADMITTING_PATH, admitted_in_years, target_at
from dangvien.reports.admissions_figures import period_quotas, stretch_target_at
from dangvien.reports.admitted import admitted_in_years_as_they_stood
from dangvien.reports.structure import child_of

# A candidate is "ready" when their admission file is under way or voted on and their awareness
# certificate is still valid today: the pool the next admissions come from.
READY_STAGES = (Stage.FILE, Stage.BRANCH_RESOLVED, Stage.COMMITTEE_RESOLVED)


# Candidates


def visible_candidates(user, capability: str = Capability.VIEW) -> QuerySet[Candidate]:
    return visible(user, Candidate, capability).select_related("organization")


def get_candidate(user, pk: int, capability: str = Capability.VIEW) -> Candidate:
    try:
        return visible_candidates(user, capability).select_related("member").get(pk=pk)
    except Candidate.DoesNotExist:
        raise Http404("Không tìm thấy quần chúng trong phạm vi của bạn.") from None


STAGE_FILTERS = {
    "open": ("Đang xem xét", Q(stage__in=OPEN_STAGES)),
    "ready": ("Đang hoàn thiện hồ sơ hoặc đã được đề nghị", Q(stage__in=READY_STAGES)),
    **{stage.value: (stage.label, Q(stage=stage.value)) for stage in Stage},
    "all": ("Tất cả", Q()),
}
CLASS_FILTERS = {
    "": "Tất cả",
    "yes": "Đã học lớp nhận thức về Đảng",
    "no": "Chưa học lớp nhận thức",
    "valid": "Giấy chứng nhận lớp nhận thức còn hiệu lực",  # the survey's «sẵn sàng» (survey())
}

# The stages in the order of the procedure, not of their names.
STAGE_ORDER = Case(
    *(When(stage=stage.value, then=Value(number)) for number, stage in enumerate(Stage)),
    output_field=IntegerField(),
)
# The orders of the candidate list: the Vietnamese name order by default.
CANDIDATE_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "birth": ("birth_date",),
        "branch": ("organization__sort_key", "organization_id"),
        "selected": ("selected_on",),
        "class": ("class_attended_on",),
        "stage": (STAGE_ORDER,),
    },
    default="name",
)


@dataclass
class CandidateFilters:
    """The filters of the candidate list, parsed from the query string (all optional)."""

    org: str = ""
    stage: str = "open"
    q: str = ""
    attended: str = ""
    sort: str = ""  # a key of CANDIDATE_SORTING; "" is the name order

    @classmethod
    def from_query(cls, query) -> "CandidateFilters":
        """The filters of a query string; an order the list does not offer is a 400."""
        values = {spec.name: query.get(spec.name, "").strip() for spec in fields(cls)}
        values["stage"] = values["stage"] if values["stage"] in STAGE_FILTERS else "open"
        values["attended"] = values["attended"] if values["attended"] in CLASS_FILTERS else ""
        values["sort"] = CANDIDATE_SORTING.read(query)
        return cls(**values)


def filter_candidates(user, filters: CandidateFilters) -> QuerySet[Candidate]:
    """The candidate list: scope, then each filter, in the chosen order (the Vietnamese name
    order by default)."""
    queryset = visible_candidates(user)
    if filters.org:
        org = visible(user, Organization).filter(code=filters.org).first()
        queryset = queryset.filter(org_path__startswith=org.path) if org else queryset.none()
    queryset = queryset.filter(STAGE_FILTERS[filters.stage][1])
    if filters.q:
        queryset = queryset.filter(
            Q(search_name__words_in_order=fold(filters.q)) | Q(citizen_id=filters.q.strip())
        )
    if filters.attended == "valid":
        queryset = queryset.filter(class_attended_on__gte=certificate_valid_since())
    elif filters.attended:
        queryset = queryset.filter(class_attended_on__isnull=filters.attended == "no")
    return queryset.order_by(*CANDIDATE_SORTING.order_by(filters.sort))


def stage_counts(user) -> list[tuple[str, str, int]]:
    """(stage, label, candidates) for every stage in the user's scope: one grouped query."""
    rows = visible(user, Candidate).values("stage").order_by().annotate(n=Count("pk"))
    counts = {row["stage"]: row["n"] for row in rows}
    return [(stage.value, stage.label, counts.get(stage.value, 0)) for stage in Stage]


def branch_choices(user, limit: int = 1000) -> list[Organization]:
    """Active branches where the user may add candidates (codes offered by the form)."""
    return list(
        visible(user, Organization, Capability.MANAGE_MEMBERS)
        .filter(kind__in=BRANCH_KINDS, ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:limit]
    )


def history(candidate: Candidate, limit: int = 200) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.unscoped.filter(target_type=Candidate._meta.label_lower, target_id=candidate.pk)
        .exclude(action__in=NOT_CHANGES)
        .select_related("actor")[:limit]
    )


# The survey of the pool per unit


@dataclass(frozen=True)
class SurveyRow:
    code: str
    name: str
    candidates: int  # in the pool, still being considered
    attended: int  # of them, attended the awareness class
    ready: int  # of them, file under way with a valid certificate (READY_STAGES)
    admitted: int  # members admitted in the survey's year
    quota: int | None  # the year's quota (the org's own or the sum of those below)
    stretch_quota: int | None = None  # its stretch target (stretch_target_at), None if none

    @property
    def percent_of_quota(self) -> float | None:
        return round(100 * self.admitted / self.quota, 2) if self.quota else None

    @property
    def percent_of_stretch_quota(self) -> float | None:
        return round(100 * self.admitted / self.stretch_quota, 2) if self.stretch_quota else None


@dataclass(frozen=True)
class Survey:
    org: Organization
    year: int
    total: SurveyRow
    rows: list[SurveyRow]
    certificate_valid_months: int
    past: bool = False  # a year over: its admissions and quotas as the tree stood on its 31/12


@dataclass(frozen=True)
class _YearFigures:
    """The members admitted in the survey's year and its quotas, by the id of each direct
    child listed, and for the surveyed organisation itself under the key None."""

    admitted: dict[int | None, int]
    quotas: dict[int | None, int | None]
    stretches: dict[int | None, int | None] = field(default_factory=dict)


def _by_child(rows) -> dict[int | None, dict]:
    return {(int(row.pop("child")) if row["child"] else None): row for row in rows}


def certificate_valid_since(rules: RuleBook | None = None) -> datetime.date:
    """The earliest awareness-class certificate still valid today (its months are those of the
    rule set in force today)."""
    today = timezone.localdate()
    months = (rules or RuleBook.load()).value("awareness_certificate_valid_months", today)
    return add_months(today, -months)


def survey(user, org: Organization, year: int | None = None) -> Survey:
    """The pool of `org`'s subtree, one row per active direct child (today's tree) and the
    total: a few queries whatever the number of children (candidates grouped by `org_path`,
    admissions grouped by the admitting branch's path, see `reports.admitted`, and the quotas).

    Admissions count where the member was admitted, also when they have since moved out of the
    user's scope: `org` is one the user sees (`survey_org`), so every admitting branch counted
    is in the scope; only the number leaves it. Without the scope over `org`, none count.
    A year over is read as the list of admitted members it links to reads it (`_past_figures`)."""
    year = year or timezone.localdate().year
    rules = RuleBook.load()
    months = rules.value("awareness_certificate_valid_months", timezone.localdate())
    pool = _pool(user, org, certificate_valid_since(rules))
    children = list(
        visible(user, Organization)
        .filter(parent=org, ended_on__isnull=True)
        .order_by("sort_key")
        .only("pk", "code", "name", "path")
    )
    counted = scope_of(user).allows(Capability.VIEW, org.path)
    past = is_over(year)
    with dated.one_reading():
        if counted and past and dated.reshaped_since(datetime.date(year, 1, 1), org.path):
            figures = _past_figures(org, children, year)
        else:
            figures = _figures_today(user, org, children, year, counted)

    def row(code, name, keys, key) -> SurveyRow:
        counts = [pool.get(each, {}) for each in keys]
        return SurveyRow(
            code=code,
            name=name,
            candidates=sum(f.get("candidates", 0) for f in counts),
            attended=sum(f.get("attended", 0) for f in counts),
            ready=sum(f.get("ready", 0) for f in counts),
            admitted=figures.admitted.get(key, 0),
            quota=figures.quotas.get(key),
            stretch_quota=figures.stretches.get(key),
        )

    return Survey(
        org=org,
        year=year,
        total=row(org.code, org.name, set(pool), None),
        rows=[row(child.code, child.name, [child.pk], child.pk) for child in children],
        certificate_valid_months=months,
        past=past,
    )


def _pool(user, org: Organization, valid_since: datetime.date) -> dict[int | None, dict]:
    """The candidates being considered in `org`'s subtree today, by direct child."""
    return _by_child(
        visible(user, Candidate)
        .filter(org_path__startswith=org.path, stage__in=OPEN_STAGES)
        .values(child=child_of("org_path", org))
        .order_by()
        .annotate(
            candidates=Count("pk"),
            attended=Count("pk", filter=Q(class_attended_on__isnull=False)),
            ready=Count("pk", filter=Q(stage__in=READY_STAGES, class_attended_on__gte=valid_since)),
        )
    )


def _figures_today(
    user, org: Organization, children: list[Organization], year: int, counted: bool
) -> _YearFigures:
    """The year's admissions and quotas in today's tree (the paths copied on today's rows): this
    year's, and a year over while nothing reshaped the tree below `org` since it began."""
    admitted: dict[int | None, int] = {}
    if counted:
        rows = _by_child(
            admitted_in_years(org.path, year, year)
            .values(child=child_of(ADMITTING_PATH, org))
            .order_by()
            .annotate(n=Count("pk"))
        )
        admitted = {key: row["n"] for key, row in rows.items() if key is not None}
        admitted[None] = sum(row["n"] for row in rows.values())
    quotas, stretches = {}, {}
    for path, quota, stretch in (
        visible(user, AdmissionTarget)
        .filter(org_path__startswith=org.path, year=year)
        .values_list("org_path", "quota", "stretch_quota")
    ):
        quotas[path] = quota
        if stretch is not None:
            stretches[path] = stretch
    paths = {None: org.path, **{child.pk: child.path for child in children}}
    return _YearFigures(
        admitted,
        {key: target_at(path, quotas) for key, path in paths.items()},
        {key: stretch_target_at(path, quotas, stretches) for key, path in paths.items()},
    )


def _past_figures(org: Organization, children: list[Organization], year: int) -> _YearFigures:
    """A year over, in the tree as it stood on its 31/12 (issue 13: a past year's figures stay
    the same after any later move, merger or split; formats.md, "Report JSON"): each
    organisation listed (today's children, and `org`) counts the members whose admitting branch
    stood below it then, and the quotas set below it then, wherever those are today; one that
    did not exist then counts none. The same reading as the list of admitted members each count
    links to (`targets.selectors.admitted_list`): one grouped query by admitting branch, summed
    up the paths."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    ids = [org.pk, *(child.pk for child in children)]
    stood = OrgState.unscoped.filter(stood_in(start, end), org_id__in=ids)
    paths = {
        (None if pk == org.pk else pk): path for pk, path in stood.values_list("org_id", "path")
    }
    if not paths:
        return _YearFigures({}, {})
    # One organisation holding them all then: only its admissions and quotas are read.
    below = Organization(path=reduce(common_ancestor, paths.values()))
    counts: Counter[str] = Counter()
    admitted = admitted_in_years_as_they_stood(below.path, year, year)
    for branch in admitted.values(path=F(ADMITTING_PATH)).order_by().annotate(n=Count("pk")):
        for path in ancestor_paths(branch["path"]):
            counts[path] += branch["n"]
    stretches: dict[str, int] = {}
    quotas = period_quotas(below, year, year, start, end, stretches)
    return _YearFigures(
        {key: counts[path] for key, path in paths.items()},
        {key: target_at(path, quotas) for key, path in paths.items()},
        {key: stretch_target_at(path, quotas, stretches) for key, path in paths.items()},
    )


def survey_org(user, code: str) -> Organization | None:
    """The organisation the survey shows: the one asked for, else the user's topmost one."""
    orgs = visible(user, Organization).filter(ended_on__isnull=True)
    if code:
        return orgs.filter(code=code.strip()).first()
    scope = scope_of(user)
    if scope.everything:
        return orgs.filter(parent__isnull=True).order_by("sort_key").first()
    roots = scope.paths_for(Capability.VIEW)
    return orgs.filter(path__in=roots).order_by("depth", "sort_key").first()


def survey_org_choices(user, limit: int = 1000) -> list[Organization]:
    """Active organisations with units below (codes offered by the survey's picker)."""
    return list(
        visible(user, Organization)
        .filter(ended_on__isnull=True)
        .exclude(kind__in=BRANCH_KINDS)
        .order_by("depth", "sort_key")
        .only("code", "name")[:limit]
    )
