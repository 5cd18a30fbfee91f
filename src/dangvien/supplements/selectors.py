"""Reads of the annual record supplement: rounds, proposals and progress, all from the scope.

Progress is counted in SQL (one scalar subquery per figure over the indexed member path), never
by looping over members in Python.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404

from dangvien.core import versions
from dangvien.core.paths import ancestor_paths
from dangvien.core.roles import Capability
from dangvien.core.scope import path_filter, scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import org_and_children_rows
from dangvien.supplements.models import (
    CONFIRMED_STATES,
    PROPOSABLE_FIELDS,
    SUBMITTED_STATES,
    ProposalStatus,
    SupplementProposal,
    SupplementRound,
    field_label,
)
from dangvien.supplements.rules import may_approve, may_confirm, may_reject


def _share(part: str, whole: str):
    """`part` / `whole` as a number to sort by (none when `whole` is 0: it sorts last)."""
    return Cast(F(part), FloatField()) / NullIf(F(whole), 0)


# The orders of the pages' lists: the rounds (newest year first by default), the organisations
# below on a round's page (`osort`, by name) and the members who have not submitted (by name).
ROUND_SORTING = Sorting(
    {
        "year": ("year",),
        "org": ("organization__sort_key",),
        "deadline": ("deadline",),
        "state": (Case(When(closed_at__isnull=True, then=Value(0)), default=Value(1)), "closed_at"),
        "members": ("members",),
        "submitted": ("submitted",),
        "share": (_share("submitted", "members"),),
    },
    default="-year",
    then=("org_path", "id"),
)
PROGRESS_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "members": ("n_members",),
        "submitted": ("n_submitted",),
        "confirmed": ("n_confirmed",),
        "approved": ("n_approved",),
        "share": (_share("n_submitted", "n_members"),),
    },
    default="name",
    param="osort",
)
NOT_SUBMITTED_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "code": ("code",),
        "branch": ("branch__sort_key", "branch_id"),
        # As the list says it: drafting in the system, not sent, without an account.
        "state": (
            Case(
                When(has_draft=True, then=Value(0)),
                When(user__isnull=False, then=Value(1)),
                default=Value(2),
            ),
        ),
    },
    default="name",
)


# Rounds


def visible_rounds(user, capability: str = Capability.VIEW) -> QuerySet[SupplementRound]:
    """Rounds opened by an organisation in the user's subtrees."""
    return visible(user, SupplementRound, capability).select_related("organization", "opened_by")


def get_round(user, pk: int, capability: str = Capability.VIEW) -> SupplementRound:
    try:
        return visible_rounds(user, capability).get(pk=pk)
    except SupplementRound.DoesNotExist:
        raise Http404("Không tìm thấy đợt bổ sung hồ sơ trong phạm vi của bạn.") from None


def applicable_rounds(user, capability: str = Capability.MANAGE_MEMBERS):
    """Rounds that reach members the user manages: opened above their subtree (covering it) or
    inside it. Open rounds first, newest year first."""
    rounds = SupplementRound.unscoped.all()
    scope = scope_of(user)
    if not scope.everything:
        prefixes = scope.paths_for(capability)
        if not prefixes:
            return rounds.none()
        covering = {path for prefix in prefixes for path in ancestor_paths(prefix)}
        rounds = rounds.filter(Q(org_path__in=covering) | path_filter("org_path", prefixes))
    return rounds.select_related("organization").order_by(
        "-year", F("closed_at").desc(nulls_first=True), "org_path"
    )


def get_applicable_round(user, pk: int) -> SupplementRound:
    try:
        return applicable_rounds(user).get(pk=pk)
    except SupplementRound.DoesNotExist:
        raise Http404("Không tìm thấy đợt bổ sung hồ sơ trong phạm vi của bạn.") from None


def covering_round(member: Member) -> SupplementRound | None:
    """The open round that covers the member's branch (the newest year if several are open)."""
    return (
        SupplementRound.unscoped.filter(
            closed_at__isnull=True, org_path__in=ancestor_paths(member.branch_path)
        )
        .select_related("organization")
        .order_by("-year", "-org_path")
        .first()
    )


# Proposals


def live_proposal(supplement_round: SupplementRound, member: Member) -> SupplementProposal | None:
    """The member's proposal of the round that was not sent back (at most one)."""
    return (
        SupplementProposal.unscoped.filter(round=supplement_round, member=member)
        .exclude(status=ProposalStatus.REJECTED)
        .first()
    )


def proposal_version(proposal: SupplementProposal | None) -> str:
    """The version of the member's live proposal as their page carries it ("0.0": none yet);
    a draft saved in another tab since makes the page stale (services.submit_proposal)."""
    return versions.token(None, history_of=proposal, actions="supplement.")


def visible_proposals(user, capability: str = Capability.VIEW) -> QuerySet[SupplementProposal]:
    """Proposals of members in the user's subtrees (a draft stays the member's own until it is
    sent), plus, to read, the user's own proposals."""
    queryset = visible(user, SupplementProposal, capability).exclude(status=ProposalStatus.DRAFT)
    if capability == Capability.VIEW and not scope_of(user).everything and user.is_authenticated:
        queryset = queryset | SupplementProposal.unscoped.filter(member__user=user)
    return queryset.select_related("round", "round__organization", "member", "member__branch")


def get_proposal(user, pk: int) -> SupplementProposal:
    try:
        return visible_proposals(user).get(pk=pk)
    except SupplementProposal.DoesNotExist:
        raise Http404("Không tìm thấy phiếu bổ sung hồ sơ trong phạm vi của bạn.") from None


def own_proposals(member: Member) -> QuerySet[SupplementProposal]:
    return (
        SupplementProposal.unscoped.filter(member=member)
        .select_related("round", "round__organization")
        .order_by("-round__year", "-created_at", "-id")
    )


def awaiting_confirmation(user, supplement_round: SupplementRound):
    """Submitted proposals of the round for members the user manages (the branch's queue)."""
    return (
        visible_proposals(user, Capability.MANAGE_MEMBERS)
        .filter(round=supplement_round, status=ProposalStatus.SUBMITTED)
        .order_by("submitted_at", "id")
    )


def awaiting_approval(user, supplement_round: SupplementRound, org: Organization):
    """Confirmed proposals of the round below `org` (the officer's queue)."""
    return (
        visible_proposals(user)
        .filter(
            round=supplement_round,
            status=ProposalStatus.CONFIRMED,
            member__branch_path__startswith=org.path,
        )
        .order_by("confirmed_at", "id")
    )


@dataclass
class ChangeRow:
    label: str
    old: str
    current: str
    new: str

    @property
    def stale(self) -> bool:
        """The record changed since the member proposed: the approver should look twice."""
        return self.current != self.old


@dataclass
class ProposalCard:
    """A proposal as a page shows it: its changes (old → new) and the buttons the user has."""

    proposal: SupplementProposal
    rows: list[ChangeRow]
    can_confirm: bool
    can_approve: bool
    can_reject: bool
    member_version: str = ""  # the record's version as shown, sent back by the approval
    can_undo: bool = False  # an approval the user may undo («Hoàn tác duyệt…»)


def change_rows(proposal: SupplementProposal) -> list[ChangeRow]:
    member = proposal.member
    return [
        ChangeRow(
            field_label(name),
            old,
            getattr(member, name),
            new,
        )
        for name in PROPOSABLE_FIELDS
        if name in proposal.changes
        for old, new in [proposal.changes[name]]
    ]


def cards(user, proposals) -> list[ProposalCard]:
    result = []
    seen = versions.last_seen_many(Member, [p.member_id for p in proposals])
    for proposal in proposals:
        status = proposal.status
        member = proposal.member
        result.append(
            ProposalCard(
                proposal,
                change_rows(proposal),
                can_confirm=status == ProposalStatus.SUBMITTED and may_confirm(user, proposal),
                can_approve=status == ProposalStatus.CONFIRMED and may_approve(user, proposal),
                can_reject=may_reject(user, proposal),
                member_version=str(versions.Token(member.version, seen.get(member.pk, 0))),
                can_undo=status == ProposalStatus.APPROVED and may_approve(user, proposal),
            )
        )
    return result


# Progress


@dataclass
class Progress:
    code: str
    name: str
    members: int
    submitted: int
    confirmed: int
    approved: int

    @property
    def percent(self) -> float | None:
        """Share of members who have submitted, in per cent (None without members)."""
        return round(100 * self.submitted / self.members, 1) if self.members else None

    @property
    def missing(self) -> int:
        return self.members - self.submitted


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _progress_columns(supplement_round, path) -> dict:
    """Scalar subqueries counting active members below `path` and how far each one got."""
    members = Member.unscoped.filter(branch_path__startswith=path, status__in=ACTIVE_STATUSES)

    def reached(states):
        return members.filter(
            supplement_proposals__round=supplement_round,
            supplement_proposals__status__in=states,
        )

    return {
        "n_members": _count(members),
        "n_submitted": _count(reached(SUBMITTED_STATES)),
        "n_confirmed": _count(reached(CONFIRMED_STATES)),
        "n_approved": _count(reached([ProposalStatus.APPROVED])),
    }


def _as_progress(row: dict) -> Progress:
    return Progress(
        code=row["code"],
        name=row["name"],
        members=row["n_members"],
        submitted=row["n_submitted"],
        confirmed=row["n_confirmed"],
        approved=row["n_approved"],
    )


PROGRESS_FIELDS = ("code", "name", "n_members", "n_submitted", "n_confirmed", "n_approved")


def progress(
    user, supplement_round: SupplementRound, org: Organization, sort: str = ""
) -> tuple[Progress, list[Progress]]:
    """Progress of `org` as a whole and of each of its organisations directly below, in the
    chosen order (PROGRESS_SORTING)."""
    columns = _progress_columns(supplement_round, OuterRef("path"))
    order = PROGRESS_SORTING.order_by(sort)
    total, children = org_and_children_rows(user, org, columns, PROGRESS_FIELDS, order)
    return _as_progress(total), [_as_progress(row) for row in children]


def rounds_with_progress(
    rounds: QuerySet[SupplementRound], sort: str = ""
) -> QuerySet[SupplementRound]:
    """Each round with its members and how many have submitted, in the chosen order
    (ROUND_SORTING), the newest year first by default."""
    columns = _progress_columns(OuterRef("pk"), OuterRef("org_path"))
    annotated = rounds.annotate(members=columns["n_members"], submitted=columns["n_submitted"])
    return annotated.order_by(*ROUND_SORTING.order_by(sort))


def scope_progress(user, supplement_round: SupplementRound) -> Progress:
    """Progress of the round among the members the user manages (a branch's own figures)."""
    sent = Q(supplement_proposals__round=supplement_round)
    figures = (
        visible(user, Member, Capability.MANAGE_MEMBERS)
        .filter(branch_path__startswith=supplement_round.org_path, status__in=ACTIVE_STATUSES)
        .aggregate(
            members=Count("pk", distinct=True),
            submitted=Count(
                "supplement_proposals",
                filter=sent & Q(supplement_proposals__status__in=SUBMITTED_STATES),
            ),
            confirmed=Count(
                "supplement_proposals",
                filter=sent & Q(supplement_proposals__status__in=CONFIRMED_STATES),
            ),
            approved=Count(
                "supplement_proposals",
                filter=sent & Q(supplement_proposals__status=ProposalStatus.APPROVED),
            ),
        )
    )
    return Progress(code="", name="", **figures)


# The lists behind the round's figures: members whose proposal reached a step (its count on the
# page counts the same members: active, below the organisation, one live proposal each).
REACHED = {
    "submitted": ("Đã nộp phiếu", SUBMITTED_STATES),
    "confirmed": ("Phiếu chi bộ đã xác nhận", CONFIRMED_STATES),
    "approved": ("Đã duyệt", (ProposalStatus.APPROVED,)),
}
REACHED_SORTING = Sorting(
    {
        "name": ("member__sort_key",),
        "code": ("member__code",),
        "branch": ("member__branch__sort_key", "member__branch_id"),
        "status": (
            Case(
                *(
                    When(status=status, then=Value(index))
                    for index, status in enumerate(ProposalStatus.values)
                ),
                output_field=IntegerField(),
            ),
        ),
        "submitted": ("submitted_at",),
        "approved": ("approved_at",),
    },
    default="name",
    then=("member__sort_key", "id"),
)


def reached(
    user,
    supplement_round: SupplementRound,
    path: str,
    states,
    capability: str = Capability.VIEW,
    sort: str = "",
) -> QuerySet[SupplementProposal]:
    """The round's proposals in `states` of active members below `path` the user holds
    `capability` on, in the chosen order (REACHED_SORTING), by name by default."""
    return (
        visible(user, SupplementProposal, capability)
        .filter(
            round=supplement_round,
            status__in=states,
            member__branch_path__startswith=path,
            member__status__in=ACTIVE_STATUSES,
        )
        .select_related("member", "member__branch", "approved_by")
        .order_by(*REACHED_SORTING.order_by(sort))
    )


def not_submitted(
    user,
    supplement_round: SupplementRound,
    path: str,
    capability: str = Capability.VIEW,
    sort: str = "",
) -> QuerySet[Member]:
    """Active members below `path` without a submitted proposal in the round (drafts marked),
    in the chosen order (NOT_SUBMITTED_SORTING), by name by default."""
    proposals = SupplementProposal.unscoped.filter(round=supplement_round, member=OuterRef("pk"))
    return (
        visible(user, Member, capability)
        .filter(branch_path__startswith=path, status__in=ACTIVE_STATUSES)
        .exclude(Exists(proposals.filter(status__in=SUBMITTED_STATES)))
        .annotate(has_draft=Exists(proposals.filter(status=ProposalStatus.DRAFT)))
        .select_related("branch")
        .order_by(*NOT_SUBMITTED_SORTING.order_by(sort))
    )


def org_choices(user, limit: int = 1000) -> QuerySet[Organization]:
    """Active organisations the user may open a round for (codes offered by the form)."""
    return (
        visible(user, Organization, Capability.MANAGE_MEMBERS)
        .filter(ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:limit]
    )


def org_in_round(user, supplement_round: SupplementRound, code: str) -> Organization:
    """The organisation of the round's subtree to show (the round's own by default)."""
    org = None
    if code:
        org = (
            visible(user, Organization)
            .filter(code=code, path__startswith=supplement_round.org_path)
            .first()
        )
    return org or supplement_round.organization


def breadcrumb(user, supplement_round: SupplementRound, org: Organization) -> list[Organization]:
    """The organisations from the round's down to `org` (excluded), for drilling back up."""
    paths = [p for p in ancestor_paths(org.path)[:-1] if p.startswith(supplement_round.org_path)]
    found = {o.path: o for o in visible(user, Organization).filter(path__in=paths)}
    return [found[p] for p in paths if p in found]
