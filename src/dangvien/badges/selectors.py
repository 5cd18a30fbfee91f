"""Reads of the badges other apps show: the badges a member still holds."""

from django.db.models import QuerySet

from dangvien.badges.models import Badge, Stage
from dangvien.members.models import Member


def badges_to_return(member: Member) -> QuerySet[Badge]:
    """The badges awarded to `member` and not returned: those a removal or an accepted leaving
    marks to be recovered (HD 01-HD/TW §18), and those already marked, by milestone."""
    return Badge.unscoped.filter(
        member=member, stage=Stage.AWARDED, annulled_at__isnull=True, recovered_on__isnull=True
    ).order_by("milestone")


def my_section(member: Member, today):
    """The member's badges and their next milestone on their own summary page (issue 17
    point 7): each badge with its step, the next milestone with the day it is reached."""
    from dangvien.members.party_age import next_milestone, party_age
    from dangvien.site.my_sections import Section

    badges = Badge.unscoped.filter(member=member, annulled_at__isnull=True).order_by("milestone")
    return Section(
        key="badges",
        title="Huy hiệu Đảng",
        template="badges/_my_section.html",
        context={"badges": list(badges), "next": next_milestone(party_age(member, today))},
    )
