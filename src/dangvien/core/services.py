"""Writes to cross-cutting data: the versioned rule sets (system administrator only)."""

import datetime

from django.db import transaction

from dangvien.core import audit
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import RuleSet
from dangvien.core.rules import RULE_KEYS
from dangvien.core.scope import scope_of


def _require_admin(actor) -> None:
    if not scope_of(actor).everything:
        raise ScopeDenied("Chỉ quản trị hệ thống được sửa bộ quy định.")


def _clean(values: dict) -> dict:
    cleaned = {}
    for key, value in values.items():
        if key not in RULE_KEYS:
            raise DomainError(f"Quy định không xác định: {key}.")
        if not isinstance(value, int) or value < 0:
            raise DomainError(f"{RULE_KEYS[key][0]}: phải là số nguyên không âm.", field=key)
        cleaned[key] = value
    return cleaned


@transaction.atomic
def save_rule_set(
    actor,
    rule_set: RuleSet | None,
    *,
    name: str,
    effective_from: datetime.date,
    values: dict,
    note: str = "",
) -> RuleSet:
    """Create a rule set taking effect on a date, or correct one; the old values stay in history."""
    _require_admin(actor)
    values = _clean(values)
    clash = RuleSet.objects.filter(effective_from=effective_from)
    if rule_set is not None:
        clash = clash.exclude(pk=rule_set.pk)
    if clash.exists():
        raise DomainError(
            f"Đã có bộ quy định có hiệu lực từ {effective_from:%d/%m/%Y}.", field="effective_from"
        )
    old = (
        {}
        if rule_set is None
        else {"name": rule_set.name, **rule_set.values, "effective_from": rule_set.effective_from}
    )
    rule_set = rule_set or RuleSet()
    rule_set.name, rule_set.effective_from, rule_set.values, rule_set.note = (
        name.strip(),
        effective_from,
        values,
        note,
    )
    rule_set.save()
    new = {"name": rule_set.name, **values, "effective_from": effective_from}
    changes = {key: (old.get(key), new[key]) for key in new if old.get(key) != new[key]}
    audit.record(actor, "rules.save", rule_set, org_path="", changes=changes, reason=note)
    return rule_set
