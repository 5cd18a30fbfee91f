"""Reads of the party-development pages: the candidate pool, a candidate's admission file as a
checklist, and the survey of the pool per unit. Every read starts from the user's scope
(`core.scope.visible`); the survey counts in SQL, grouped by the child cut out of the path.
"""

import datetime
import re
from dataclasses import dataclass, fields

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone

from dangvien.admissions.models import (
    OPEN_STAGES,
    AdmissionStep,
    AdmissionStepKind,
    AdmissionTarget,
    Candidate,
    Introducer,
    Stage,
)
from dangvien.admissions.rules import vote_share_label
from dangvien.admissions.services import procedure
from dangvien.core.models import NOT_CHANGES, AuditEntry
from dangvien.core.paths import path_ids
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.core.vntext import fold
from dangvien.core.workdays import deadline
from dangvien.members.models import Member, Status
from dangvien.organizations.models import BASE_KINDS, BRANCH_KINDS, Organization, OrgKind
from dangvien.reports.admissions import ADMITTING_PATH, admitted_in_years, target_at
from dangvien.reports.structure import child_of

Kind = AdmissionStepKind
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


# Introducers


def introducers_of(candidate: Candidate) -> list[Introducer]:
    return list(candidate.introducers.select_related("member", "member__branch"))


def get_introducer(user, pk: int, capability: str = Capability.VIEW) -> Introducer:
    try:
        return (
            visible(user, Introducer, capability)
            .select_related("candidate", "candidate__organization", "member")
            .get(pk=pk)
        )
    except Introducer.DoesNotExist:
        raise Http404("Không tìm thấy đảng viên giúp đỡ trong phạm vi của bạn.") from None


def member_by_code(user, code: str) -> Member | None:
    """A member the user can see, by code (the introducer picker)."""
    code = code.strip()
    return visible(user, Member).filter(code=code).first() if code else None


def base_of(branch: Organization) -> Organization:
    """The base organisation a branch belongs to (itself for a chi bộ cơ sở)."""
    if branch.kind != OrgKind.SUB_BRANCH:
        return branch
    found = (
        Organization.unscoped.filter(pk__in=path_ids(branch.path), kind__in=BASE_KINDS)
        .order_by("-depth")
        .first()
    )
    return found or branch


def introducer_choices(user, candidate: Candidate, limit: int = 500) -> list[Member]:
    """Official members of the candidate's base organisation the user can see, those of the
    candidate's own branch first (the people who work beside them)."""
    base = base_of(candidate.organization)
    return list(
        visible(user, Member)
        .filter(branch_path__startswith=base.path, status=Status.OFFICIAL)
        .annotate(
            own=Case(When(branch_id=candidate.organization_id, then=0), default=1),
        )
        .select_related("branch")
        .order_by("own", "sort_key", "id")
        .only("code", "full_name", "branch__name")[:limit]
    )


# The admission file as a checklist


@dataclass(frozen=True)
class ChecklistRow:
    kind: str
    label: str
    step: AdmissionStep | None
    required: bool  # False: only when it applies to the candidate (Youth Union's resolution)
    applies: bool  # False: the committee vote of a base branch (chi bộ cơ sở)
    is_vote: bool

    @property
    def done(self) -> bool:
        return self.step is not None and self.step.is_done


@dataclass(frozen=True)
class Checklist:
    rows: list[ChecklistRow]
    needs_committee_vote: bool
    missing_before_vote: list[str]  # what the branch still lacks to vote (Vietnamese)
    vote_share: str  # "2/3"
    branch_vote_done: bool
    committee_vote_done: bool
    decision: AdmissionStep | None
    ceremony: AdmissionStep | None
    ceremony_deadline: datetime.date | None  # 30 working days after the decision
    ceremony_days: int | None  # those working days, from the rule set of the decision's date
    certificate_valid_until: datetime.date | None

    @property
    def ceremony_late(self) -> bool:
        if self.ceremony_deadline is None:
            return False
        held_on = self.ceremony.done_on if self.ceremony else timezone.localdate()
        return held_on > self.ceremony_deadline

    @property
    def ready_for_decision(self) -> bool:
        return self.branch_vote_done and (self.committee_vote_done or not self.needs_committee_vote)


def checklist(candidate: Candidate) -> Checklist:
    """Every step of the file in its order (HD 12-HD/BTCTW), with what is recorded and what is
    missing, the ceremony deadline and how long the awareness certificate stays valid."""
    steps = {step.kind: step for step in candidate.steps.select_related("actor")}
    committee = procedure.needs_committee_vote(candidate)
    rules = RuleBook.load()
    rows = [
        ChecklistRow(
            kind=kind.value,
            label=kind.label,
            step=steps.get(kind.value),
            required=kind != Kind.YOUTH_UNION,
            applies=kind != Kind.COMMITTEE_VOTE or committee,
            is_vote=kind in procedure.VOTES,
        )
        for kind in Kind
    ]
    decision = steps.get(Kind.DECISION)
    ceremony_deadline = days = None
    if decision is not None:
        days = rules.value("ceremony_deadline_working_days", decision.done_on)
        ceremony_deadline = deadline(decision.done_on, days)
    valid_until = None
    if candidate.class_attended_on:
        months = rules.value("awareness_certificate_valid_months", candidate.class_attended_on)
        valid_until = add_months(candidate.class_attended_on, months)

    def done(kind) -> bool:
        return kind in steps and steps[kind].is_done

    return Checklist(
        rows=rows,
        needs_committee_vote=committee,
        missing_before_vote=procedure.missing_before_vote(candidate, steps),
        vote_share=vote_share_label(timezone.localdate(), rules),
        branch_vote_done=done(Kind.BRANCH_VOTE),
        committee_vote_done=done(Kind.COMMITTEE_VOTE),
        decision=decision,
        ceremony=steps.get(Kind.CEREMONY),
        ceremony_deadline=ceremony_deadline,
        ceremony_days=days,
        certificate_valid_until=valid_until,
    )


CODE_NUMBER = re.compile(r"^(.*?)(\d+)$")


def suggested_member_code(user, candidate: Candidate) -> str:
    """A free member code in the style of the branch's own (the last code + 1: SH000124), or
    `<branch code>-0001` for a branch without members yet. Only a suggestion: the officer may
    type another; the service checks it is free.

    Read from the members `user` sees only, so that it never reveals the code series of another
    organisation: the highest visible code of the series + 1, moved on while it is taken (by a
    member outside the scope: what submitting that code would tell anyway)."""
    members = visible(user, Member)
    last = (
        members.filter(branch_id=candidate.organization_id)
        .order_by("-pk")
        .values_list("code", flat=True)
        .first()
    )
    match = CODE_NUMBER.match(last or "")
    if match:
        return _next_free(members, match[1], len(match[2]))
    return _next_free(members, f"{candidate.organization.code}-", 4)


def _next_free(members: QuerySet[Member], prefix: str, width: int) -> str:
    """The code after the highest `prefix` + `width` digits among `members` (one indexed range
    query), then the first of the next hundred not in use by any member (one more query)."""
    low, high = prefix + "0" * width, prefix + "9" * width
    used = (
        members.filter(code__gte=low, code__lte=high)
        .annotate(n=Length("code"))
        .filter(n=len(low))
        .order_by("-code")
        .values_list("code", flat=True)[:50]
    )
    numbers = [int(code[len(prefix) :]) for code in used if code[len(prefix) :].isdigit()]
    first = max(numbers, default=0) + 1
    candidates = [f"{prefix}{number:0{width}d}" for number in range(first, first + 100)]
    taken = set(Member.unscoped.filter(code__in=candidates).values_list("code", flat=True))
    return next((code for code in candidates if code not in taken), candidates[-1])


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
