"""The member page's section «Huy hiệu Đảng»: `{% member_badges member can_manage %}`."""

from django import template

from dangvien.members.party_age import next_milestone, party_age

register = template.Library()


@register.inclusion_tag("badges/_member.html")
def member_badges(member, can_manage=False):
    return {
        "member": member,
        "badges": list(member.badges.order_by("milestone", "id")),
        "next": next_milestone(party_age(member)),
        "can_manage": can_manage and (member.is_active or member.status == "deceased"),
    }
