"""Who belonged to an organisation's subtree on a date, as every report counts them.

The members of a subtree on a day and their counts per branch or per direct child, shared by the
structure, quality and admissions reports and the unit tallies (reports/structure.py re-exports
them). A past date reads each member's branch from `Placement`, placed by that branch's state on
the day (organizations/dated.py); today (or later) the indexed current branch path and status are
enough. Admitted on or before the day and not left by then (`left_on` is the first day outside).
"""

import datetime
from collections.abc import Callable

from django.db import connection
from django.db.models import CharField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat, StrIndex, Substr
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.members.models import ACTIVE_STATUSES, Member, Placement
from dangvien.organizations import dated
from dangvien.organizations.models import Organization


def as_it_stood(org: Organization, as_of: datetime.date) -> Organization:
    """`org` as it stood on `as_of` (its name and path then), for a report of that day;
    DomainError saying when it was established or ended when it did not exist then."""
    stood = dated.as_of(org, min(as_of, timezone.localdate()))
    if stood is None:
        raise DomainError(dated.absence(org, as_of) or f"{org.name} không tồn tại vào ngày đó.")
    return stood


def uses_placements(as_of: datetime.date, from_placements: bool | None) -> bool:
    """A past date reads the placements; today or later the current branch is enough."""
    return as_of < timezone.localdate() if from_placements is None else from_placements


def members_by_branch(
    org: Organization, as_of: datetime.date, *, from_placements: bool | None = None
) -> QuerySet:
    """Members and official members on `as_of` per branch path (`path`, `members`,
    `official`) in `org`'s subtree: one grouped query, shared by the reports that count
    members (structure, quality)."""
    if uses_placements(as_of, from_placements):
        return _branches_on(org, as_of)
    return _current_branches(org, as_of)


def member_counts_by_branch(org: Organization, as_of: datetime.date) -> QuerySet:
    """Members on `as_of` per branch path (`path`, `members`) in `org`'s subtree, counted as
    members_by_branch counts them but without the official members, so that a past date needs
    no join with the members' records: placements covering the date, less those of the few
    members admitted after it or gone by then (NOT EXISTS: the database anti-joins the few
    such members of a large subtree, or looks each member of a small one up by key)."""
    if not uses_placements(as_of, None):
        return (
            _current_members(org, as_of)
            .values(path=F("branch_path"))
            .order_by()
            .annotate(members=Count("pk"))
        )
    not_alive = Member.unscoped.filter(
        Q(admitted_on__gt=as_of) | Q(left_on__lte=as_of), pk=OuterRef("member_id")
    )
    return (
        placements_on(org, as_of)
        .exclude(Exists(not_alive))
        .values(path=F("placed_path"))
        .order_by()
        .annotate(members=Count("member_id"))
    )


def child_of(field: str, org: Organization) -> Func:
    """The id of `org`'s direct child cut out of a path column or alias ("/1/7/42/9/" below
    "/1/7/" → "42"; "" for `org` itself): PostgreSQL's split_part, else substrings."""
    if connection.vendor == "postgresql":
        return Func(
            F(field),
            Value("/"),
            Value(org.path.count("/") + 1),
            function="split_part",
            output_field=CharField(),
        )
    rest = Substr(field, len(org.path) + 1)
    return Substr(rest, 1, StrIndex(Concat(rest, Value("/")), Value("/")) - 1)


def child_id(org: Organization, path: str) -> int | None:
    """The id of the direct child of `org` whose subtree holds `path` (None for `org` itself)."""
    below = path[len(org.path) :]
    return int(below.split("/", 1)[0]) if below else None


def active_children(org: Organization, as_of: datetime.date) -> list[Organization]:
    """The direct children of `org` active on `as_of`, as they stood then, in name order."""
    return dated.children_as_of(org, min(as_of, timezone.localdate()))


def alive_on(as_of: datetime.date, prefix: str = "") -> Q:
    """Admitted on or before `as_of` and not left by then (left_on is the first day outside)."""
    return Q(**{f"{prefix}admitted_on__lte": as_of}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": as_of})
    )


def members_by_child(
    org: Organization, as_of: datetime.date, excluded: Callable[[str], Exists]
) -> dict[int | None, int]:
    """The members of `org`'s subtree on `as_of` (those members_on gives) for whom
    `excluded(member_field)` does not hold, per direct child (None: `org` itself is the
    branch): one grouped query, however many children."""
    if uses_placements(as_of, None):
        rows = (
            placements_on(org, as_of)
            .filter(alive_on(as_of, "member__"))
            .exclude(excluded("member_id"))
            .values(child=child_of("placed_path", org))
            .order_by()
            .annotate(n=Count("member_id", distinct=True))
        )
    else:
        rows = (
            _current_members(org, as_of)
            .exclude(excluded("pk"))
            .values(child=child_of("branch_path", org))
            .order_by()
            .annotate(n=Count("pk"))
        )
    return {int(row["child"]) if row["child"] else None: row["n"] for row in rows}


def members_on(
    org: Organization, as_of: datetime.date, *, from_placements: bool | None = None
) -> QuerySet[Member]:
    """The members of `org`'s subtree on `as_of`, the same ones the counts count: by the
    placements for a past date, by the current branch for today (`from_placements` forces one
    way or the other, as in members_by_branch)."""
    if uses_placements(as_of, from_placements):
        return _members_on(org, as_of)
    return _current_members(org, as_of)


def _current_members(org: Organization, as_of: datetime.date) -> QuerySet[Member]:
    """Members active now in the subtree: one prefix query on the indexed (branch_path, status)."""
    return Member.unscoped.filter(
        alive_on(as_of), branch_path__startswith=org.path, status__in=ACTIVE_STATUSES
    )


def _current_branches(org: Organization, as_of: datetime.date) -> QuerySet:
    return (
        _current_members(org, as_of)
        .values(path=F("branch_path"))
        .order_by()
        .annotate(members=Count("pk"), official=Count("pk", filter=Q(official_on__lte=as_of)))
    )


def placements_on(org: Organization, as_of: datetime.date) -> QuerySet[Placement]:
    """Placements covering `as_of` (ends are inclusive) in a branch that was in the subtree on
    that day (`org.path` is the path it had then); `placed_path` is that branch's path then."""
    placements = dated.placed(
        Placement.objects, "branch", as_of, path="branch__path", within=org.path
    )
    return placements.filter(placed_path__startswith=org.path, start__lte=as_of).filter(
        Q(end__isnull=True) | Q(end__gte=as_of)
    )


def _members_on(org: Organization, as_of: datetime.date) -> QuerySet[Member]:
    return Member.unscoped.filter(
        alive_on(as_of), pk__in=placements_on(org, as_of).values("member_id")
    )


def _branches_on(org: Organization, as_of: datetime.date) -> QuerySet:
    return (
        placements_on(org, as_of)
        .filter(alive_on(as_of, "member__"))
        .values(path=F("placed_path"))
        .order_by()
        .annotate(
            members=Count("member_id", distinct=True),
            official=Count("member_id", distinct=True, filter=Q(member__official_on__lte=as_of)),
        )
    )
