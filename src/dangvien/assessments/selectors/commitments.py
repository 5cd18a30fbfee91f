"""The commitments page: who registered the year's commitment, per organisation, and who not."""

from dataclasses import dataclass

from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When

from dangvien.assessments.models import Commitment
from dangvien.assessments.selectors.counts import _count
from dangvien.core.scope import visible
from dangvien.core.sorting import Sorting
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization


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
