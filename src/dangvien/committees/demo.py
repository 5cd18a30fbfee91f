"""The demo's committees, so the pages are filled: the current term of the ward and the
commune, the school's base committee and its branches, and the ward's and commune's
base branches, each with its secretary and deputy (a chi ủy where the branch has 9 official
members, a committee and an inspection committee chair above), and one branch of the school
(SH.HB.01.02) whose congress is late. A few dozen rows, inserted in bulk."""

import datetime

from dangvien.committees.models import Body, Chosen, Post, Seat, Term
from dangvien.committees.terms import congress_dates
from dangvien.core.rules import RuleBook
from dangvien.organizations.models import BRANCH_KINDS, Organization
from dangvien.reports.membership import members_on

# The province is left to the import template's example (site.import_examples).
CODES = (
    "SH.HB",
    "SH.TP",
    "SH.HB.01",
    "SH.HB.01.01",
    "SH.HB.01.02",
    "SH.HB.01.03",
    "SH.HB.02",
    "SH.HB.03",
    "SH.TP.01",
    "SH.TP.02",
)
LATE = "SH.HB.01.02"


def _congress_on(org: Organization, today: datetime.date) -> datetime.date:
    if org.code == LATE:
        return datetime.date(today.year - 4, 3, 10)
    if org.kind in BRANCH_KINDS:
        return datetime.date(today.year - 1, 3, 10)
    return datetime.date(today.year - 1, 9, 25)


def _posts(org: Organization, officials: int, book: RuleBook, day) -> list[tuple[str, str]]:
    """(body, post) of the seats: a chi ủy only with enough official members (Điều lệ Đảng,
    Điều 24), an inspection committee from the base committee up (Điều 30)."""
    if org.kind in BRANCH_KINDS:
        seats = [(Body.COMMITTEE, Post.SECRETARY), (Body.COMMITTEE, Post.DEPUTY_SECRETARY)]
        if officials >= book.value("branch_committee_min_official_members", day):
            seats.append((Body.COMMITTEE, Post.COMMITTEE_MEMBER))
        return seats
    return [
        (Body.COMMITTEE, Post.SECRETARY),
        (Body.COMMITTEE, Post.DEPUTY_SECRETARY),
        (Body.COMMITTEE, Post.COMMITTEE_MEMBER),
        (Body.INSPECTION, Post.INSPECTION_CHAIR),
    ]


def load(today: datetime.date) -> None:
    book = RuleBook.load()
    orgs = sorted(Organization.unscoped.filter(code__in=CODES), key=lambda o: CODES.index(o.code))
    used: set[int] = set()
    terms, picks = [], []
    for org in orgs:
        congress = _congress_on(org, today)
        due, latest = congress_dates(org.kind, congress, book)
        start = congress.year
        length = (due.year - start) or 1
        label = f"{start}–{start + length}"
        terms.append(
            Term(
                organization=org,
                org_path=org.path,
                label=label,
                congress_on=congress,
                starts_on=congress,
                congress_due_on=due,
                congress_latest_on=latest,
            )
        )
        officials = list(
            members_on(org, congress, from_placements=True)
            .filter(official_on__lte=congress)
            .order_by("sort_key")
            .values_list("pk", flat=True)[:40]
        )
        free = [pk for pk in officials if pk not in used]
        seats = list(zip(_posts(org, len(officials), book, congress), free, strict=False))
        used.update(pk for _, pk in seats)
        picks.append(seats)
    Term.unscoped.bulk_create(terms)
    rows = [
        Seat(
            term=term,
            organization=term.organization,
            org_path=term.org_path,
            member_id=member_id,
            body=body,
            post=post,
            chosen=Chosen.CONGRESS,
            elected_on=term.congress_on,
            approved_on=term.congress_on + datetime.timedelta(days=20),
            approval_number=f"{index + 10}-QĐ/TU",
            approval_body="Cấp ủy cấp trên trực tiếp",
        )
        for index, (term, seats) in enumerate(zip(terms, picks, strict=True))
        for (body, post), member_id in seats
    ]
    Seat.unscoped.bulk_create(rows)
