"""Reads of terms and seats the pages share, and the leaders of organisations on a day (for the
grade of a leader checked against their unit's: QĐ 124-QĐ/TW; QĐ 366-QĐ/TW Điều 11)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from dangvien.committees.models import Body, Post, Seat, Term
from dangvien.core.roles import Capability
from dangvien.core.scope import visible
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from dangvien.organizations.selectors import visible_orgs


def _held_on(day: datetime.date) -> Q:
    """Seats held on `day`: elected by then, not ended by then (ended_on is the first day
    without the post), not annulled."""
    return Q(annulled_at__isnull=True, elected_on__lte=day) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def heads_on(org_ids: Iterable[int], day: datetime.date) -> dict[int, int]:
    """Organisation id → member id of its secretary (bí thư) on `day`, the secretary of a
    branch without a chi ủy included; organisations without one are left out. One query."""
    rows = (
        Seat.unscoped.filter(_held_on(day), organization_id__in=list(org_ids), post=Post.SECRETARY)
        .order_by("elected_on", "id")
        .values_list("organization_id", "member_id")
    )
    return dict(rows)  # the latest elected wins, should two ever overlap


def led_units(member_ids: Iterable[int], day: datetime.date) -> dict[int, list[int]]:
    """Member id → ids of the organisations whose secretary they are on `day` (members leading
    none are left out). One query."""
    rows = (
        Seat.unscoped.filter(_held_on(day), member_id__in=list(member_ids), post=Post.SECRETARY)
        .order_by("member_id", "organization_id")
        .values_list("member_id", "organization_id")
        .distinct()
    )
    led: dict[int, list[int]] = {}
    for member_id, org_id in rows:
        led.setdefault(member_id, []).append(org_id)
    return led


def get_term(user, pk: int, capability: str = Capability.VIEW) -> Term:
    return get_object_or_404(visible(user, Term, capability).select_related("organization"), pk=pk)


def get_seat(user, pk: int, capability: str = Capability.VIEW) -> Seat:
    return get_object_or_404(
        visible(user, Seat, capability).select_related("term", "organization", "member"), pk=pk
    )


@dataclass(frozen=True)
class TermView:
    term: Term
    bodies: list[tuple[str, list[Seat]]]  # (body label, its seats, secretary first)
    annulled: list[Seat]


_POST_ORDER = {post: index for index, post in enumerate(Post.values)}


def _view(term: Term, seats: list[Seat]) -> TermView:
    bodies = []
    for body in Body:
        rows = [s for s in seats if s.body == body and not s.is_annulled]
        rows.sort(key=lambda s: (s.ended_on is not None, _POST_ORDER[s.post], s.elected_on))
        if rows:
            bodies.append((body.label, rows))
    return TermView(term, bodies, [s for s in seats if s.is_annulled])


def terms_of(user, org: Organization) -> list[TermView]:
    """The organisation's terms, the latest first, each with its seats by body: two queries."""
    terms = list(visible(user, Term).filter(organization=org))
    seats = list(visible(user, Seat).filter(term__in=terms).select_related("member").order_by("id"))
    return [_view(term, [s for s in seats if s.term_id == term.pk]) for term in terms]


def member_posts(user, member: Member) -> list[Seat]:
    """The member's posts, current and past, in the organisations the user sees."""
    return list(
        visible(user, Seat)
        .filter(member=member, annulled_at__isnull=True)
        .select_related("organization", "term")
        .order_by("-elected_on", "-id")[:100]
    )


def congress_schedule(
    user, org: Organization, today: datetime.date, *, overdue_only: bool = False
) -> QuerySet[Organization]:
    """The active organisations of `org`'s subtree with their last congress and when the next
    is due, late ones marked (`overdue`): one query a page, computed by the database."""
    last = Term.unscoped.filter(organization=OuterRef("pk")).order_by("-starts_on", "-id")
    rows = (
        visible_orgs(user)
        .filter(path__startswith=org.path, ended_on__isnull=True)
        .annotate(
            last_congress_on=Subquery(last.values("congress_on")[:1]),
            last_term_label=Subquery(last.values("label")[:1]),
            congress_due_on=Subquery(last.values("congress_due_on")[:1]),
            congress_latest_on=Subquery(last.values("congress_latest_on")[:1]),
        )
        .annotate(
            overdue=Case(
                When(congress_latest_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(F("congress_due_on").asc(nulls_first=True), "sort_key")
    )
    if overdue_only:
        rows = rows.filter(congress_latest_on__lt=today)
    return rows.only("code", "name", "kind", "path")
