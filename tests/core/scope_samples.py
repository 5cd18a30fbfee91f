"""Samples for core URLs: rule sets are global (the administrator's), not part of a subtree."""

from dangvien.core.models import RuleSet


def scope_samples(world) -> dict:
    rule_set = RuleSet.objects.order_by("effective_from").first()
    return {"core:rule-edit": {"pk": (rule_set.pk, rule_set.pk)}}


def post_samples(world, outside: bool) -> dict:
    changed = {"name": "Bị sửa", "effective_from": "01/01/2030", "probation_months": 1}
    return {"core:rule-new": changed, "core:rule-edit": changed}
