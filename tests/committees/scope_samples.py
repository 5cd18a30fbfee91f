"""Inside/outside samples for the committee URLs (used by tests/test_scope_walk.py): a term of
the member's branch with the member as its secretary, and the same outside the walk's scope."""

import datetime

from dangvien.committees.models import Body, Chosen, Post, Seat, Term

DAY = datetime.date(2024, 5, 2)


def _term(org, member):
    term = Term.unscoped.create(
        organization=org,
        org_path=org.path,
        label="2024–2026",
        congress_on=DAY,
        starts_on=DAY,
        congress_due_on=datetime.date(2026, 11, 2),
        congress_latest_on=datetime.date(2027, 5, 2),
    )
    seat = Seat.unscoped.create(
        term=term,
        organization=org,
        org_path=org.path,
        member=member,
        body=Body.COMMITTEE,
        post=Post.SECRETARY,
        chosen=Chosen.CONGRESS,
        elected_on=DAY,
    )
    return term, seat


def scope_samples(world) -> dict:
    inside = _term(world.branch, world.member)
    outside = _term(world.outside_branch, world.outside_member)
    samples = {
        f"committees:{name}": {"pk": (inside[0].pk, outside[0].pk)}
        for name in ("term-correct", "seat-new")
    }
    samples |= {
        f"committees:{name}": {"pk": (inside[1].pk, outside[1].pk)}
        for name in ("seat-correct", "seat-end", "seat-annul")
    }
    return samples


def post_samples(world, outside: bool) -> dict:
    member = world.outside_member if outside else world.member
    seat = {
        "member_code": member.code,
        "body": "cap_uy",
        "post": "pho_bi_thu",
        "chosen": "dai_hoi",
        "elected_on": "03/05/2024",
    }
    return {
        "committees:term-new": {"label": "2025–2027", "congress_on": "02/05/2025"},
        "committees:term-correct": {"label": "X", "congress_on": "02/05/2024", "reason": "Thử"},
        "committees:seat-new": seat,
        "committees:seat-correct": {**seat, "post": "bi_thu", "reason": "Thử"},
        "committees:seat-end": {"ended_on": "02/05/2025", "reason": "Thử"},
        "committees:seat-annul": {"reason": "Thử"},
    }
