"""A round's progress: the members self-assessed, proposed and graded, counted in SQL."""

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dangvien.assessments.models import FINAL, NOT_GRADED_FINAL, Grade, MemberAssessment
from dangvien.core.scope import visible
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import org_and_children_rows


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
