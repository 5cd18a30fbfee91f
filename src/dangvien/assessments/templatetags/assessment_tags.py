"""`{% member_grades member %}`: the card "grades over the years" of the member's profile."""

from django import template
from django.utils import timezone

from dangvien.assessments import history

register = template.Library()

BADGES = {
    "xuat_sac": "success",
    "tot": "success",
    "hoan_thanh": "",
    "khong_hoan_thanh": "danger",
}


@register.inclusion_tag("assessments/history_member_grades.html")
def member_grades(member) -> dict:
    """The member's outcome of each year and this year's commitment (two queries); the member
    was reached through the scope by the page that shows it."""
    year = timezone.localdate().year
    return {
        "rows": [
            {"item": row, "badge": BADGES.get(row.grade, "")}
            for row in history.member_grades(member)
        ],
        "commitment": history.commitment_of(member, year),
        "year": year,
    }
