from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    """Whole đồng with Vietnamese thousands separators: 1250000 → «1.250.000»."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.inclusion_tag("dues/_member.html")
def member_dues_section(member, year=None):
    """The member page's dues section: the basis in force, this year's unpaid months."""
    from django.utils import timezone

    from dangvien.dues.selectors import bases_of, flag_threshold, member_unpaid_months

    year = year or timezone.localdate().year
    unpaid = member_unpaid_months(member, year)
    return {
        "member": member,
        "basis": bases_of(member).filter(annulled_at__isnull=True).first(),
        "year": year,
        "unpaid": unpaid,
        "flagged": unpaid >= flag_threshold(year),
    }
