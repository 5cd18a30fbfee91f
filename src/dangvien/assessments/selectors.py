"""Reads of the annual assessment pages, all from the user's scope.

Progress is counted in SQL (one scalar subquery per figure over the indexed paths), never by
looping over members in Python; a screen of members loads them, their assessments and their
commitments in three queries whatever the number of members.
"""

import datetime
from dataclasses import dataclass
from functools import reduce

from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets.selectors import QuotaProgress, admitted_count, is_over
from dangvien.assessments import services
from dangvien.assessments.models import (
    FINAL,
    GRADES,
    NOT_GRADED_FINAL,
    RANK,
    Commitment,
    Grade,
    MemberAssessment,
    OrgAssessment,
    Round,
)
from dangvien.core.models import AuditEntry
from dangvien.core.paths import ancestor_paths, common_ancestor
from dangvien.core.roles import Capability
from dangvien.core.scope import path_filter, scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import org_and_children_rows
from dangvien.reports.admissions import target_at
from dangvien.reports.admissions_figures import period_quotas
from dangvien.reports.admitted import admitted_in_years_as_they_stood

# Rounds


def rounds_for(user, capability: str = Capability.VIEW) -> QuerySet[Round]:
    """Rounds that reach the user's subtrees: opened inside them or above them (covering them).
    Newest year first, open rounds first."""
    rounds = Round.unscoped.all()
    scope = scope_of(user)
    if not scope.everything:
        prefixes = scope.paths_for(capability)
        if not prefixes:
            return rounds.none()
        covering = {path for prefix in prefixes for path in ancestor_paths(prefix)}
        rounds = rounds.filter(Q(org_path__in=covering) | path_filter("org_path", prefixes))
    return rounds.select_related("organization", "opened_by", "closed_by").order_by(
        "-year", "-status", "org_path"
    )


def get_round(user, pk: int) -> Round:
    try:
        return rounds_for(user).get(pk=pk)
    except Round.DoesNotExist:
        raise Http404("Không tìm thấy đợt đánh giá trong phạm vi của bạn.") from None


def covering_round(path: str, year: int) -> Round | None:
    """The round of `year` whose subtree contains `path` (the nearest one)."""
    return (
        Round.unscoped.filter(year=year, org_path__in=ancestor_paths(path))
        .select_related("organization")
        .order_by("-org_path")
        .first()
    )


def open_rounds_of(member: Member) -> QuerySet[Round]:
    """Open rounds covering the member's branch, newest year first."""
    return (
        Round.unscoped.filter(
            status=Round.Status.OPEN, org_path__in=ancestor_paths(member.branch_path)
        )
        .select_related("organization")
        .order_by("-year", "-org_path")
    )


def org_in_round(user, round_: Round, code: str, *, strict: bool = False) -> Organization:
    """The organisation of the round to show: the one asked for (inside the round and the
    scope), else the round's own when the user sees it, else the user's subtree in the round.
    `strict`: an organisation asked for and not found is a 404 (a list must not show another
    organisation's members under the name asked for)."""
    orgs = visible(user, Organization)
    if code:
        org = orgs.filter(code=code, path__startswith=round_.org_path).first()
        if org is not None:
            return org
        if strict:
            raise Http404("Không tìm thấy tổ chức trong đợt đánh giá và phạm vi của bạn.")
    own = orgs.filter(pk=round_.organization_id).first()
    if own is not None:
        return own
    inside = orgs.filter(path__startswith=round_.org_path).order_by("depth", "sort_key").first()
    if inside is None:
        raise Http404("Không tìm thấy tổ chức của đợt đánh giá trong phạm vi của bạn.")
    return inside


def breadcrumb(user, round_: Round, org: Organization) -> list[Organization]:
    """The organisations from the round's down to `org` (excluded) that the user sees."""
    paths = [p for p in ancestor_paths(org.path)[:-1] if p.startswith(round_.org_path)]
    found = {o.path: o for o in visible(user, Organization).filter(path__in=paths)}
    return [found[p] for p in paths if p in found]


def org_choices(user, limit: int = 1000) -> QuerySet[Organization]:
    """Active organisations the user may open a round for (codes offered by the form)."""
    return (
        visible(user, Organization, Capability.MANAGE_ORGS)
        .filter(ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:limit]
    )


def my_units(user, limit: int = 20) -> list[Organization]:
    """The topmost organisations the user manages members of (a secretary's branch)."""
    scope = scope_of(user)
    if scope.everything:
        return list(Organization.unscoped.filter(parent__isnull=True).order_by("sort_key")[:limit])
    paths = scope.paths_for(Capability.MANAGE_MEMBERS)
    units = Organization.unscoped.filter(path__in=paths, ended_on__isnull=True)
    return list(units.order_by("sort_key")[:limit])


# Progress


@dataclass
class Progress:
    code: str
    name: str
    kind: str
    path: str
    members: int
    self_assessed: int
    proposed: int
    decided: int
    not_graded: int
    excellent: int = 0
    good: int = 0
    completed: int = 0
    not_completed: int = 0

    @property
    def pending(self) -> int:
        """Members without a final result yet."""
        return max(self.members - self.decided, 0)

    @property
    def not_self_assessed(self) -> int:
        return max(self.members - self.self_assessed, 0)

    @property
    def not_proposed(self) -> int:
        return max(self.members - self.proposed, 0)

    @property
    def percent_decided(self) -> float | None:
        return round(100 * self.decided / self.members, 1) if self.members else None


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


GRADE_COLUMNS = {
    "excellent": Grade.EXCELLENT,
    "good": Grade.GOOD,
    "completed": Grade.COMPLETED,
    "not_completed": Grade.NOT_COMPLETED,
}


# What each count of a round's progress counts: a condition on the member's assessment of the
# year. The counts and the lists behind them (round_members) read these same conditions.
SELF_ASSESSED = Q(self_submitted_at__isnull=False)
PROPOSED = Q(proposed_grade__gt="") | Q(proposed_not_graded__gt="")
COUNTED = {
    "self_assessed": SELF_ASSESSED,
    "proposed": PROPOSED,
    "decided": FINAL,
    "not_graded": NOT_GRADED_FINAL,
    **{name: Q(grade=grade) for name, grade in GRADE_COLUMNS.items()},
}


def _progress_columns(year: int, path) -> dict:
    """Scalar subqueries over the active members below `path` and their assessment of the year."""
    members = Member.unscoped.filter(branch_path__startswith=path, status__in=ACTIVE_STATUSES)
    assessed = MemberAssessment.unscoped.filter(
        year=year, member__branch_path__startswith=path, member__status__in=ACTIVE_STATUSES
    )
    return {
        "n_members": _count(members),
        **{f"n_{name}": _count(assessed.filter(condition)) for name, condition in COUNTED.items()},
    }


PROGRESS_FIELDS = ("code", "name", "kind", "path", *(f"n_{name}" for name in GRADE_COLUMNS))


def _as_progress(row: dict) -> Progress:
    return Progress(
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        path=row["path"],
        **{
            name: row[f"n_{name}"]
            for name in (
                "members",
                "self_assessed",
                "proposed",
                "decided",
                "not_graded",
                *GRADE_COLUMNS,
            )
        },
    )


def progress(user, year: int, org: Organization) -> tuple[Progress, list[Progress]]:
    """Progress of `org` as a whole and of each organisation directly below it: two queries."""
    columns = _progress_columns(year, OuterRef("path"))
    fields = (*PROGRESS_FIELDS, *(name for name in columns if name not in PROGRESS_FIELDS))
    total, children = org_and_children_rows(user, org, columns, fields)
    return _as_progress(total), [_as_progress(row) for row in children]


def progress_of(user, year: int, org: Organization) -> Progress:
    """Progress of `org` as a whole alone: one query (a member list's counts)."""
    columns = _progress_columns(year, OuterRef("path"))
    fields = (*PROGRESS_FIELDS, *(name for name in columns if name not in PROGRESS_FIELDS))
    row = visible(user, Organization).filter(pk=org.pk).annotate(**columns).values(*fields).get()
    return _as_progress(row)


# The members behind each count of a round's progress


@dataclass(frozen=True)
class MemberState:
    """One list behind a count of the round page: the members whose assessment of the year
    meets `counted` (a key of COUNTED), or does not when `without`; every member when None."""

    key: str
    title: str  # «Đảng viên đã tự kiểm điểm»
    counted: str | None = None
    without: bool = False

    def count(self, progress: Progress) -> int:
        """This list's count on the round page (Progress), so a link and its list agree."""
        return getattr(progress, self.key)


MEMBER_STATES = {
    state.key: state
    for state in (
        MemberState("members", "Đảng viên trong đợt đánh giá"),
        MemberState("self_assessed", "Đảng viên đã tự kiểm điểm", "self_assessed"),
        MemberState("not_self_assessed", "Đảng viên chưa tự kiểm điểm", "self_assessed", True),
        MemberState("proposed", "Đảng viên được chi bộ đề xuất xếp loại", "proposed"),
        MemberState("not_proposed", "Đảng viên chưa được chi bộ đề xuất", "proposed", True),
        MemberState("decided", "Đảng viên đã có kết quả xếp loại", "decided"),
        MemberState("not_graded", "Đảng viên không xếp loại (có lý do)", "not_graded"),
        MemberState("pending", "Đảng viên chưa có kết quả xếp loại", "decided", True),
        *(
            MemberState(name, f"Đảng viên {Grade(grade).label.lower()}", name)
            for name, grade in GRADE_COLUMNS.items()
        ),
    )
}


def _rank(grade_field: str, reason_field: str) -> Case:
    """A grade's rank (1 excellent … 4 not completed), 5 for a reason not to grade, else none."""
    return Case(
        *(When(**{grade_field: grade}, then=Value(RANK[grade])) for grade in GRADES),
        When(~Q(**{reason_field: ""}), then=Value(len(GRADES) + 1)),
        default=Value(None),
        output_field=IntegerField(),
    )


# The orders of a round's member lists: by branch then name by default.
ROUND_MEMBER_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "code": ("code",),
        "branch": ("branch__sort_key", "branch_id"),
        "self": ("self_at",),
        "proposal": ("proposal_rank",),
        "result": ("result_rank",),
    },
    default="branch",
)


def round_members(
    user, year: int, org: Organization, state: MemberState, sort: str = ""
) -> QuerySet[Member]:
    """The active members below `org` in the state of `state` for the year, in the user's
    scope, in the chosen order (ROUND_MEMBER_SORTING): the members the round page counts."""
    members = visible(user, Member).filter(
        branch_path__startswith=org.path, status__in=ACTIVE_STATUSES
    )
    theirs = MemberAssessment.unscoped.filter(member=OuterRef("pk"), year=year)
    if state.counted is not None:
        meeting = Exists(theirs.filter(COUNTED[state.counted]))
        members = members.exclude(meeting) if state.without else members.filter(meeting)
    proposal = theirs.annotate(rank=_rank("proposed_grade", "proposed_not_graded"))
    result = theirs.filter(FINAL).annotate(rank=_rank("grade", "not_graded"))
    return (
        members.annotate(
            self_at=Subquery(theirs.values("self_submitted_at")[:1]),
            proposal_rank=Subquery(proposal.values("rank")[:1]),
            result_rank=Subquery(result.values("rank")[:1]),
        )
        .select_related("branch")
        .order_by(*ROUND_MEMBER_SORTING.order_by(sort))
    )


def member_rows(user, members, year: int) -> list["MemberRow"]:
    """A page of members with their assessment and commitment of `year`: two more queries."""
    return _rows(user, members, year, Capability.VIEW)


# Commitments


@dataclass
class CommitmentProgress:
    code: str
    name: str
    members: int
    registered: int

    @property
    def missing(self) -> int:
        return self.members - self.registered


# The orders of the commitments page: its organisations below (`osort`, by name by default) and
# its members without a commitment (`sort`, by branch then name by default).
COMMITMENT_ORG_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "members": ("n_members",),
        "registered": ("n_registered",),
        "missing": (F("n_members") - F("n_registered"),),
    },
    default="name",
    param="osort",
)
WITHOUT_COMMITMENT_SORTING = Sorting(
    {
        "branch": ("branch__sort_key", "branch_id"),
        "name": ("sort_key",),
        "code": ("code",),
        "account": (Case(When(user__isnull=False, then=Value(0)), default=Value(1)),),
    },
    default="branch",
)


def commitment_progress(
    user, year: int, org: Organization, sort: str = ""
) -> tuple[CommitmentProgress, list[CommitmentProgress]]:
    """Members below `org` and each child who registered the year's commitment: two queries,
    the children in the chosen order (COMMITMENT_ORG_SORTING)."""

    def columns(path):
        members = Member.unscoped.filter(branch_path__startswith=path, status__in=ACTIVE_STATUSES)
        registered = members.filter(
            Exists(Commitment.unscoped.filter(member=OuterRef("pk"), year=year))
        )
        return {"n_members": _count(members), "n_registered": _count(registered)}

    def as_row(row):
        return CommitmentProgress(row["code"], row["name"], row["n_members"], row["n_registered"])

    orgs = visible(user, Organization).annotate(**columns(OuterRef("path")))
    fields = ("code", "name", "n_members", "n_registered")
    total = orgs.filter(pk=org.pk).values(*fields).get()
    children = (
        orgs.filter(parent=org, ended_on__isnull=True)
        .order_by(*COMMITMENT_ORG_SORTING.order_by(sort))
        .values(*fields)
    )
    return as_row(total), [as_row(row) for row in children]


def without_commitment(user, year: int, org: Organization, sort: str = "") -> QuerySet[Member]:
    """Active members below `org` who have not registered the year's commitment, in the chosen
    order (WITHOUT_COMMITMENT_SORTING), by branch then name by default."""
    return (
        visible(user, Member)
        .filter(branch_path__startswith=org.path, status__in=ACTIVE_STATUSES)
        .exclude(Exists(Commitment.unscoped.filter(member=OuterRef("pk"), year=year)))
        .select_related("branch")
        .order_by(*WITHOUT_COMMITMENT_SORTING.order_by(sort))
    )


# Screens of members


def is_final(assessment: MemberAssessment | None) -> bool:
    return assessment is not None and services.is_final(assessment)


@dataclass
class MemberRow:
    """One member on a grading screen with the year's commitment and assessment (or None)."""

    member: Member
    assessment: MemberAssessment | None
    commitment: Commitment | None

    @property
    def final(self) -> bool:
        return is_final(self.assessment)


def _rows(user, members: QuerySet[Member], year: int, capability: str) -> list[MemberRow]:
    """The members with their assessment and commitment of `year`: three queries."""
    members = list(members)
    ids = [m.pk for m in members]
    assessments = {
        a.member_id: a
        for a in visible(user, MemberAssessment, capability).filter(year=year, member_id__in=ids)
    }
    commitments = {
        c.member_id: c
        for c in visible(user, Commitment, capability).filter(year=year, member_id__in=ids)
    }
    return [MemberRow(m, assessments.get(m.pk), commitments.get(m.pk)) for m in members]


def branch_rows(user, branch: Organization, year: int) -> list[MemberRow]:
    """Every active member of a branch, in Vietnamese name order (the fast grading screen)."""
    members = (
        visible(user, Member, Capability.MANAGE_MEMBERS)
        .filter(branch=branch, status__in=ACTIVE_STATUSES)
        .select_related("branch")
        .order_by("sort_key", "id")
    )
    return _rows(user, members, year, Capability.MANAGE_MEMBERS)


def base_rows(user, base: Organization, year: int) -> list[MemberRow]:
    """Every active member of a base organisation, grouped by branch (the decision screen)."""
    members = (
        visible(user, Member, Capability.MANAGE_ORGS)
        .filter(branch_path__startswith=base.path, status__in=ACTIVE_STATUSES)
        .select_related("branch")
        .order_by("branch__sort_key", "branch_id", "sort_key", "id")
    )
    return _rows(user, members, year, Capability.MANAGE_ORGS)


# Organisations


def child_org_rows(user, parent: Organization, year: int) -> list[dict]:
    """The active direct children of `parent` with their assessment of the year, whether a
    member below was disciplined that year, their members' final grades and their admission
    quota of the year (their own, else the sum of those set highest below them, as the survey
    and the admissions report read it: `reports.admissions.target_at`) against the members
    admitted by a branch below them (wherever those are now): three queries. A year over asks
    once whether the tree below `parent` was reshaped since it began; if so, it is read in the
    tree as it stood on its 31/12 (`_admissions_then`, `_quotas_then`: one query more)."""
    disciplined = MemberAssessment.unscoped.filter(
        year=year, branch_path__startswith=OuterRef("path"), disciplined_in_year=True
    )
    columns = _progress_columns(year, OuterRef("path"))
    children = (
        visible(user, Organization, Capability.MANAGE_ORGS)
        .filter(parent=parent, ended_on__isnull=True)
        .annotate(
            member_disciplined=Exists(disciplined),
            n_members=columns["n_members"],
            n_decided=columns["n_decided"],
            **{f"n_{name}": columns[f"n_{name}"] for name in GRADE_COLUMNS},
        )
        .order_by("sort_key")
    )
    then = is_over(year) and dated.reshaped_since(datetime.date(year, 1, 1), parent.path)
    if then:
        children = list(_admissions_then(children, year))
        quotas = _quotas_then([child.then_path for child in children if child.then_path], year)
    else:
        children = list(
            children.annotate(
                then_path=F("path"), n_admitted=admitted_count(OuterRef("path"), year, year)
            )
        )
        quotas = dict(
            visible(user, AdmissionTarget)
            .filter(org_path__startswith=parent.path, year=year)
            .values_list("org_path", "quota")
        )
    assessments = {
        a.organization_id: a
        for a in visible(user, OrgAssessment, Capability.MANAGE_ORGS).filter(
            year=year, organization__in=[child.pk for child in children]
        )
    }
    return [
        {
            "org": child,
            "assessment": assessments.get(child.pk),
            "admissions": QuotaProgress(
                target_at(child.then_path, quotas) if child.then_path else None, child.n_admitted
            ),
        }
        for child in children
    ]


def _admissions_then(children: QuerySet[Organization], year: int) -> QuerySet[Organization]:
    """`children` with `then_path`, their path on 31/12 of `year` (None: not yet established),
    and `n_admitted`, the members whose admitting branch stood below them then
    (`reports.admitted.admitted_in_years_as_they_stood`): a past year's grading counts the same
    after any later move, merger or split (issue 13; formats.md, "Report JSON"). The children
    are active, so their state then is the one holding on that day."""
    end = datetime.date(year, 12, 31)
    admitted = admitted_in_years_as_they_stood(OuterRef("at_end__path"), year, year)
    return children.annotate(
        at_end=FilteredRelation("states", condition=holding_on(end, "states__")),
        then_path=F("at_end__path"),
        n_admitted=_count(admitted),
    )


def _quotas_then(paths: list[str], year: int) -> dict[str, int]:
    """The quotas of `year` by their organisation's path on its 31/12, below the organisation
    that held every one of `paths` then (`reports.admissions_figures.period_quotas`)."""
    if not paths:
        return {}
    below = Organization(path=reduce(common_ancestor, paths))
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return period_quotas(below, year, year, start, end)


# The member's own pages and history


def own_assessment(member: Member, year: int) -> MemberAssessment | None:
    return MemberAssessment.unscoped.filter(member=member, year=year).first()


def own_commitments(member: Member) -> dict[int, Commitment]:
    return {c.year: c for c in Commitment.unscoped.filter(member=member)}


def own_years(member: Member, commitments: dict[int, Commitment]) -> list[dict]:
    """The member's years, newest first: commitment, assessment and whether it is final."""
    assessments = {a.year: a for a in MemberAssessment.unscoped.filter(member=member)}
    return [
        {
            "year": year,
            "commitment": commitments.get(year),
            "assessment": assessments.get(year),
            "final": is_final(assessments.get(year)),
        }
        for year in sorted(set(assessments) | set(commitments), reverse=True)
    ]


def get_assessment(user, pk: int) -> MemberAssessment:
    try:
        return (
            visible(user, MemberAssessment)
            .select_related("member", "branch", "decided_by")
            .get(pk=pk)
        )
    except MemberAssessment.DoesNotExist:
        raise Http404("Không tìm thấy kết quả đánh giá trong phạm vi của bạn.") from None


def corrections(assessment: MemberAssessment) -> QuerySet[AuditEntry]:
    """The history of the member's grade of that year: decisions and reasoned corrections."""
    return (
        AuditEntry.unscoped.filter(
            target_type=Member._meta.label_lower,
            target_id=assessment.member_id,
            action__in=["assessment.decide", "assessment.correct"],
            changes__has_key=f"grade_{assessment.year}",
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
