"""The member page's section of a striking-off case or application to leave under way, shown
to the officers who manage the member only."""

from django import template

from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.screening.selectors import case_under_way

register = template.Library()


@register.inclusion_tag("screening/_member.html", takes_context=True)
def member_screening_section(context, member):
    user = context["request"].user
    return {
        "case": case_under_way(user, member),
        "member": member,
        "can_open": member.is_active and can(user, Capability.MANAGE_MEMBERS, member.branch_path),
    }
