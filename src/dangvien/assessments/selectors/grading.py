"""The members behind each count of a round and the grading screens' rows of members."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from dangvien.assessments import services
from dangvien.assessments.models import (
    FINAL,
    GRADES,
    RANK,
    Commitment,
    Grade,
    MemberAssessment,
)
from dangvien.assessments.selectors.counts import COUNTED, GRADE_COLUMNS, Progress
from dangvien.core.roles import Capability
from dangvien.core.scope import visible
from dangvien.core.sorting import Sorting
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization


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
