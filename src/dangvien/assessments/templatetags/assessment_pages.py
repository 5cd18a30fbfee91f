"""Labels of grades on the assessment pages: `{{ slug|grade_label }}` (short form) and
`{{ slug|grade_badge }}` (a coloured badge), `{{ reason|not_graded_label }}`,
`{{ grade_or_reason|outcome_label }}`."""

from django import template
from django.utils.html import format_html

from dangvien.assessments.models import RANK, SHORT_LABELS, Grade, NotGraded

register = template.Library()


@register.filter
def grade_label(slug: str) -> str:
    return SHORT_LABELS.get(slug, "") if slug in Grade.values else ""


@register.filter
def not_graded_label(reason: str) -> str:
    return NotGraded(reason).label if reason in NotGraded.values else ""


@register.filter
def outcome_label(value: str) -> str:
    """A grade's short label, or "Không xếp loại: <reason>" for a reason not to grade."""
    if value in Grade.values:
        return SHORT_LABELS[Grade(value)]
    if value in NotGraded.values:
        return f"Không xếp loại: {NotGraded(value).label}"
    return value or ""


@register.filter
def grade_badge(slug: str) -> str:
    if slug not in Grade.values:
        return ""
    return format_html(
        '<span class="assess-grade assess-grade-{}" title="{}">{}</span>',
        RANK[Grade(slug)],
        Grade(slug).label,
        SHORT_LABELS[Grade(slug)],
    )


@register.filter
def for_member(lines: dict, member_id: int) -> str:
    """A line of a page's member id → text mapping (the year's quarterly reviews)."""
    return lines.get(member_id, "") if lines else ""
