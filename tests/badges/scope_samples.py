"""Inside/outside samples for the badge URLs (used by tests/test_scope_walk.py): a badge of the
walk's member, proposed, and one of the outside member."""

import datetime

from dangvien.badges.models import Badge, Stage


def _badge(member):
    return Badge.unscoped.create(
        member=member,
        milestone=30,
        stage=Stage.PROPOSED,
        reached_on=datetime.date(2040, 2, 3),
        ceremony_planned=datetime.date(2040, 2, 3),
        proposed_on=datetime.date(2026, 1, 5),
    )


def scope_samples(world) -> dict:
    badges = (_badge(world.member).pk, _badge(world.outside_member).pk)
    return {
        "badges:detail": {"pk": badges},
        "badges:step": {"pk": badges, "action": ("check", "check")},
        "badges:propose": {"member_pk": (world.member.pk, world.outside_member.pk)},
    }


def post_samples(world, outside: bool) -> dict:
    return {
        "badges:step": {"on": "05/01/2026", "note": "Thử"},
        "badges:propose": {
            "milestone": 30,
            "ceremony": "03/02/2026",
            "proposed_on": "05/01/2026",
            "early": "on",
            "medical_note": "Thử",
        },
    }
