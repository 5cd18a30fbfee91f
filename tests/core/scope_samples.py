"""Samples for core URLs: rule sets and the holiday calendar are global (the administrator's), not
part of a subtree."""

from dangvien.core.models import Holiday, RuleSet


def scope_samples(world) -> dict:
    rule_set = RuleSet.objects.order_by("effective_from").first()
    holiday = Holiday.objects.order_by("day").first()
    return {
        "core:rule-edit": {"pk": (rule_set.pk, rule_set.pk)},
        "core:holiday-remove": {"pk": (holiday.pk, holiday.pk)},
    }


def post_samples(world, outside: bool) -> dict:
    changed = {"name": "Bị sửa", "effective_from": "01/01/2030", "probation_months": 1}
    return {
        "core:rule-new": changed,
        "core:rule-edit": changed,
        "core:holidays": {"day": "01/12/2030", "name": "Bị thêm"},
        "core:holiday-remove": {"reason": "Bị bỏ"},
    }
