"""Reads of party cards: members waiting for a card (never issued, or lost or damaged), cards
issued lately, a member's card history (domain-rules §2.6). Every read starts from the user's
scope (`core.scope.visible`)."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from dangvien.admissions.models import CardEnd, PartyCard
from dangvien.admissions.shared.selectors import org_filter, query_choice
from dangvien.core.queryparams import query_int
from dangvien.core.scope import visible
from dangvien.core.sorting import Sorting
from dangvien.members.models import Member, Status

CARD_FILTERS = {
    "": "Tất cả",
    "new": "Chưa được cấp thẻ",
    "replace": "Chờ cấp lại (mất, hỏng thẻ)",
}
REPLACEMENT_REASONS = (CardEnd.LOST, CardEnd.DAMAGED)
# How a member's last card may have ended for them to wait for one ("" is a card row still open
# while the record has no number: the record is what counts).
NOT_REVOKED = ("", CardEnd.LOST, CardEnd.DAMAGED, CardEnd.REPLACED)

# The orders of the waiting list (`sort`, the longest waiting first by default) and of the cards
# issued (`isort`, the most recent first): two lists on one page, each with its own parameter.
WAITING_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "branch": ("branch__sort_key", "branch_id"),
        "official": ("official_on",),
        "kind": (
            Case(
                When(last_card_end=CardEnd.LOST, then=Value(1)),
                When(last_card_end=CardEnd.DAMAGED, then=Value(2)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        ),
    },
    default="official",
)
ISSUED_SORTING = Sorting(
    {
        "number": ("number",),
        "name": ("member__sort_key",),
        "branch": ("member__branch__sort_key", "member__branch_id"),
        "issued": ("issued_on",),
        "state": (
            Case(When(ended_on__isnull=True, then=Value(0)), default=Value(1)),
            "ended_on",
        ),
    },
    default="-issued",
    then=("-id",),
    param="isort",
)


# Party cards


@dataclass
class CardFilters:
    org: str = ""
    kind: str = ""
    sort: str = ""  # the waiting list's order (WAITING_SORTING)
    isort: str = ""  # the issued cards' order (ISSUED_SORTING)
    year: int | None = None  # the issued cards of one year (the summary's count links to it)

    @classmethod
    def from_query(cls, query) -> "CardFilters":
        """The filters of a query string; an order a list does not offer, or a year that is
        not one, is a 400."""
        return cls(
            org=query.get("org", "").strip(),
            kind=query_choice(query, "kind", CARD_FILTERS),
            sort=WAITING_SORTING.read(query),
            isort=ISSUED_SORTING.read(query),
            year=query_int(query, "year", label="Năm cấp thẻ", low=1930, high=9999),
        )


def _last_card_end() -> Subquery:
    latest = PartyCard.objects.filter(member=OuterRef("pk")).order_by("-issued_on", "-id")
    return Subquery(latest.values("end_reason")[:1])


def _waiting(user, org_code: str) -> QuerySet[Member]:
    """Official members without a card in use: never given one, or whose last card was lost or
    damaged (a revoked card is not replaced)."""
    _org, in_org = org_filter(user, org_code)
    return (
        visible(user, Member)
        .filter(in_org, status=Status.OFFICIAL, card_number__isnull=True)
        .annotate(last_card_end=_last_card_end())
        .filter(Q(last_card_end__isnull=True) | Q(last_card_end__in=NOT_REVOKED))
    )


def waiting_for_card(user, filters: CardFilters) -> QuerySet[Member]:
    """The waiting list in the chosen order, the longest waiting (earliest official date)
    first by default."""
    queryset = _waiting(user, filters.org)
    if filters.kind == "new":
        queryset = queryset.filter(last_card_end__isnull=True)
    elif filters.kind == "replace":
        queryset = queryset.filter(last_card_end__in=REPLACEMENT_REASONS)
    return queryset.select_related("branch").order_by(*WAITING_SORTING.order_by(filters.sort))


def issued_cards(
    user, org_code: str = "", sort: str = "", year: int | None = None
) -> QuerySet[PartyCard]:
    """Cards issued in the scope (in one year if given) in the chosen order, the most recent
    first by default."""
    org, _in_org = org_filter(user, org_code)
    cards = visible(user, PartyCard)
    if org_code:
        cards = cards.filter(member__branch_path__startswith=org.path) if org else cards.none()
    if year is not None:
        cards = cards.filter(issued_on__year=year)
    return cards.select_related("member", "member__branch").order_by(*ISSUED_SORTING.order_by(sort))


def card_summary(user, org_code: str = "") -> dict:
    """Waiting for a first card, waiting for a replacement, cards issued this year."""
    counts = _waiting(user, org_code).aggregate(
        waiting=Count("pk"),
        new=Count("pk", filter=Q(last_card_end__isnull=True)),
        replace=Count("pk", filter=Q(last_card_end__in=REPLACEMENT_REASONS)),
    )
    year = timezone.localdate().year
    counts["issued_this_year"] = issued_cards(user, org_code, year=year).count()
    counts["year"] = year
    return counts


def card_history(member: Member) -> list[PartyCard]:
    """The member's cards, the newest first."""
    return list(
        PartyCard.objects.filter(member=member)
        .select_related("actor")
        .order_by("-issued_on", "-id")
    )


def card_in_use(history: list[PartyCard]) -> PartyCard | None:
    return next((card for card in history if card.ended_on is None), None)


def unrecorded_card(member: Member, history: list[PartyCard]) -> str:
    """A card number entered on the record before card history was kept (no card row yet)."""
    if member.card_number and all(card.number != member.card_number for card in history):
        return member.card_number
    return ""


def can_hold_card(member: Member) -> bool:
    return member.status == Status.OFFICIAL and member.official_on is not None


def undoable_end(member: Member, history: list[PartyCard]) -> PartyCard | None:
    """The member's latest card when it was reported lost or damaged, or taken back, and no card
    has been issued since: the end the card page offers to undo (cards.services.undo_card_end
    checks again)."""
    latest = history[0] if history else None
    if latest is None or latest.ended_on is None or latest.end_reason == CardEnd.REPLACED:
        return None
    if member.card_number or not can_hold_card(member):
        return None
    return latest
