"""The «Khen thưởng» section of the member's page (their own record included) and of the
organisation's page: the caller's page has already reached the member or the organisation."""

from django import template
from django.urls import reverse

from dangvien.awards.selectors import award_history, awards_of
from dangvien.core.roles import Capability
from dangvien.core.scope import can

register = template.Library()


@register.inclusion_tag("awards/_section.html", takes_context=True)
def member_awards_section(context, member):
    user = context["request"].user
    can_manage = can(user, Capability.MANAGE_ORGS, member.branch_path)
    return {
        "awards": list(awards_of(member)),
        "history": award_history(awards_of(member)),
        "can_manage": can_manage,
        "new_url": reverse("awards:member-new", args=[member.pk])
        if can_manage and member.is_active
        else "",
        "list_url": "",
    }


@register.inclusion_tag("awards/_section.html", takes_context=True)
def org_awards_section(context, org):
    user = context["request"].user
    can_manage = can(user, Capability.MANAGE_ORGS, org.path)
    return {
        "awards": list(awards_of(org)),
        "history": award_history(awards_of(org)),
        "can_manage": can_manage,
        "new_url": reverse("awards:org-new", args=[org.code])
        if can_manage and org.is_active
        else "",
        "list_url": reverse("awards:list", args=[org.code]),
    }
