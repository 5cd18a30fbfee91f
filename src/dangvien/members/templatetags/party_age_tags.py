"""The member page's party age (members.party_age): `{% party_age_label member %}` in the facts,
`{% party_age_section member can_manage %}` under the timeline (the days not counted, the
re-admissions with their annulment)."""

from django import template

from dangvien.members.party_age import party_age

register = template.Library()


@register.simple_tag
def party_age_label(member) -> str:
    age = party_age(member)
    if age.stopped_on:
        return f"{age.label} (tính đến {age.stopped_on:%d/%m/%Y})"
    return age.label


@register.inclusion_tag("members/_party_age.html")
def party_age_section(member, can_manage=False):
    age = party_age(member)
    return {
        "member": member,
        "age": age,
        "readmissions": list(member.readmissions.order_by("decided_on", "id")),
        "can_manage": can_manage,
    }
