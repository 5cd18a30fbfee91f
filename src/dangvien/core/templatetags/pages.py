"""Tags every page shares. `refused_banner`: a save refused anywhere on a page is said at its
top, whatever the length of the page (the base committee's decision page put its only message
under the reason box, after 141 rows)."""

from django import forms, template
from django.contrib.auth.forms import AuthenticationForm

register = template.Library()


def _refused_forms(context) -> list[forms.BaseForm]:
    found, seen = [], set()
    for value in context.flatten().values():
        candidates = value if isinstance(value, list | tuple) else [value]
        for candidate in candidates:
            if isinstance(candidate, tuple):  # (row, form) pairs of a checklist
                candidate = next((v for v in candidate if isinstance(v, forms.BaseForm)), None)
            if (
                isinstance(candidate, forms.BaseForm)
                and not isinstance(candidate, AuthenticationForm)  # the login says it itself
                and id(candidate) not in seen
                and candidate.is_bound
                and candidate.errors
            ):
                seen.add(id(candidate))
                found.append(candidate)
    return found


@register.inclusion_tag("_refused_banner.html", takes_context=True)
def refused_banner(context) -> dict:
    """«Chưa lưu»: the reasons the page's bound forms give, then where to look (a page sent
    back for a POST: a GET's filters with a mistake save nothing)."""
    reasons, fields = [], 0
    request = context.get("request")
    if request is None or request.method != "POST" or context.get("own_banner"):
        return {"refused": False}  # confirm.html says what was not done in its own words
    for form in _refused_forms(context):
        reasons.extend(str(error) for error in form.non_field_errors())
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            fields += 1
            label = form.fields[name].label if name in form.fields else ""
            reasons.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return {"refused": bool(reasons), "reasons": reasons[:3], "more": len(reasons) > 3}


@register.filter
def elided_pages(paginator, number):
    """The page numbers to show around `number`: the first and last, two either side, "…"."""
    return [
        str(page) if page == paginator.ELLIPSIS else page
        for page in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The current query string with one page parameter changed, so two paged lists on one
    page keep each other's position and the chosen filters."""
    params = context["request"].GET.copy()
    params[param] = number
    return f"?{params.urlencode()}"
