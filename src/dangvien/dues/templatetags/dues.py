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

    from dangvien.dues.rates import basis_on, month_start
    from dangvien.dues.selectors import flag_threshold, member_unpaid_months

    today = timezone.localdate()
    year = year or today.year
    unpaid = member_unpaid_months(member, year)
    return {
        "member": member,
        "basis": basis_on(member, month_start(today)),  # in force now, not one declared ahead
        "year": year,
        "unpaid": unpaid,
        "flagged": unpaid >= flag_threshold(year),
    }
