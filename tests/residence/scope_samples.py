"""Inside/outside samples for the residence URLs (used by tests/test_scope_walk.py): a link to a
residence branch outside the system and a comment, for a member inside and one outside."""

import datetime

from dangvien.residence.models import Category, Channel, ResidenceComment, ResidenceLink, Result

DAY = datetime.date(2024, 5, 2)


def _link_and_comment(member) -> tuple[ResidenceLink, ResidenceComment]:
    link = ResidenceLink.unscoped.create(
        member=member,
        outside_name="Chi bộ Tổ dân phố 1",
        introduced_on=DAY,
        category=Category.REQUIRED,
    )
    comment = ResidenceComment.unscoped.create(
        member=member,
        year=2024,
        link=link,
        result=Result.GOOD,
        commented_on=datetime.date(2024, 12, 10),
        received_on=datetime.date(2024, 12, 12),
        channel=Channel.PAPER,
    )
    return link, comment


def scope_samples(world) -> dict:
    inside_link, inside_comment = _link_and_comment(world.member)
    outside_link, outside_comment = _link_and_comment(world.outside_member)
    members = {"pk": (world.member.pk, world.outside_member.pk)}
    comments = {"pk": (inside_comment.pk, outside_comment.pk)}
    return {
        "residence:link-new": members,
        "residence:comment-new": members,
        "residence:link-end": {"pk": (inside_link.pk, outside_link.pk)},
        "residence:comment-correct": comments,
        "residence:comment-withdraw": comments,
    }


def post_samples(world, outside: bool) -> dict:
    comment = {
        "year": "2025",
        "result": Result.DONE,
        "commented_on": "10/12/2025",
        "received_on": "12/12/2025",
        "channel": Channel.PAPER,
    }
    return {
        "residence:link-new": {
            "category": Category.REQUIRED,
            "introduced_on": "02/05/2024",
            "outside_name": "Chi bộ Tổ dân phố 2",
        },
        "residence:link-end": {"ended_on": "01/06/2024", "reason": "Thử"},
        "residence:comment-new": comment,
        "residence:comment-correct": {**comment, "year": "2024", "reason": "Thử"},
        "residence:comment-withdraw": {"reason": "Thử"},
    }
