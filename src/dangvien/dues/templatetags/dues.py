from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    """Whole đồng with Vietnamese thousands separators: 1250000 → «1.250.000»."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")
