"""`{% page_query "apage" number %}`: the current query string with one page parameter changed,
so two paginated lists on one page keep each other's position and the chosen organisation."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"
