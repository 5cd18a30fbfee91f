"""Reads of the candidate pool: the list and its filters, a candidate and their history, and the
survey of the pool per unit. Every read starts from the user's scope (`core.scope.visible`);
the survey counts in SQL, grouped by the child cut out of the path."""

import datetime
from dataclasses import dataclass, fields

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from dangvien.admissions.models import OPEN_STAGES, AdmissionTarget, Candidate, Stage
from dangvien.core.models import NOT_CHANGES, AuditEntry
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.core.vntext import fold
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.reports.admissions import ADMITTING_PATH, admitted_in_years, target_at
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
    admitted: int  # members admitted this year
    quota: int | None  # this year's quota (the org's own or the sum of those below)

    @property
    def percent_of_quota(self) -> float | None:
        return round(100 * self.admitted / self.quota, 2) if self.quota else None


@dataclass(frozen=True)
class Survey:
    org: Organization
    year: int
    total: SurveyRow
    rows: list[SurveyRow]
    certificate_valid_months: int


def _by_child(rows) -> dict[int | None, dict]:
    return {(int(row.pop("child")) if row["child"] else None): row for row in rows}


def certificate_valid_since(rules: RuleBook | None = None) -> datetime.date:
    """The earliest awareness-class certificate still valid today (its months are those of the
    rule set in force today)."""
    today = timezone.localdate()
    months = (rules or RuleBook.load()).value("awareness_certificate_valid_months", today)
    return add_months(today, -months)


def survey(user, org: Organization, year: int | None = None) -> Survey:
    """The pool of `org`'s subtree, one row per active direct child and the total: two grouped
    queries (candidates by `org_path`, admissions by the admitting branch's path, see
    `reports.admissions.admitted_between`) and one for the quotas.

    Admissions count where the member was admitted, also when they have since moved out of the
    user's scope: `org` is one the user sees (`survey_org`), so every admitting branch counted
    is in the scope; only the number leaves it. Without the scope over `org`, none count."""
    year = year or timezone.localdate().year
    rules = RuleBook.load()
    months = rules.value("awareness_certificate_valid_months", timezone.localdate())
    valid_since = certificate_valid_since(rules)
    pool = _by_child(
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
    admitted = {}
    if scope_of(user).allows(Capability.VIEW, org.path):
        admitted = _by_child(
            admitted_in_years(org.path, year, year)
            .values(child=child_of(ADMITTING_PATH, org))
            .order_by()
            .annotate(n=Count("pk"))
        )
    quotas = dict(
        visible(user, AdmissionTarget)
        .filter(org_path__startswith=org.path, year=year)
        .values_list("org_path", "quota")
    )

    def row(code, name, keys, path) -> SurveyRow:
        figures = [pool.get(key, {}) for key in keys]
        return SurveyRow(
            code=code,
            name=name,
            candidates=sum(f.get("candidates", 0) for f in figures),
            attended=sum(f.get("attended", 0) for f in figures),
            ready=sum(f.get("ready", 0) for f in figures),
            admitted=sum(admitted.get(key, {}).get("n", 0) for key in keys),
            quota=target_at(path, quotas),
        )

    children = (
        visible(user, Organization)
        .filter(parent=org, ended_on__isnull=True)
        .order_by("sort_key")
        .only("pk", "code", "name", "path")
    )
    return Survey(
        org=org,
        year=year,
        total=row(org.code, org.name, set(pool) | set(admitted), org.path),
        rows=[row(child.code, child.name, [child.pk], child.path) for child in children],
        certificate_valid_months=months,
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
