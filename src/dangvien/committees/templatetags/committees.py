"""The member page's section of the member's posts (current and past), in the organisations the
viewer sees."""

from django import template

from dangvien.committees.selectors import member_posts

register = template.Library()


@register.inclusion_tag("committees/_member_posts.html", takes_context=True)
def member_posts_section(context, member):
    return {"posts": member_posts(context["request"].user, member)}
