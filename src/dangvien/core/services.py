"""Writes to cross-cutting data: the versioned rule sets and the calendar of days off (system
administrator only)."""

import datetime

from django.db import transaction

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import Holiday, RuleSet
from dangvien.core.rules import RULE_KEYS, Family, family_of
from dangvien.core.scope import scope_of
from dangvien.core.validation import require_fields, require_text


def _require_admin(actor) -> None:
    if not scope_of(actor).everything:
        raise ScopeDenied("Chỉ quản trị hệ thống được sửa bộ quy định và lịch ngày nghỉ.")


def _clean(values: dict, family: str) -> dict:
    cleaned = {}
    for key, value in values.items():
        if key not in RULE_KEYS or family_of(key) != family:
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
    family: str = Family.CHARTER,
    name: str,
    effective_from: datetime.date,
    values: dict,
    note: str = "",
    expected_version: str | None = None,
) -> RuleSet:
    """Create a rule set taking effect on a date, or correct one; the old values stay in history.
    `expected_version` is what the user read: a correction over a later one is refused."""
    _require_admin(actor)
    if rule_set is not None:
        versions.check(rule_set, expected_version, label="Bộ quy định")
    require_fields(RuleSet, {"name": name.strip(), "note": note})  # characters and length
    family = rule_set.family if rule_set is not None else family
    values = _clean(values, family)
    clash = RuleSet.objects.filter(family=family, effective_from=effective_from)
    if rule_set is not None:
        clash = clash.exclude(pk=rule_set.pk)
    if clash.exists():
        raise DomainError(
            f"Đã có bộ quy định {Family.LABELS[family].lower()} có hiệu lực từ "
            f"{effective_from:%d/%m/%Y}.",
            field="effective_from",
        )
    old = (
        {}
        if rule_set is None
        else {"name": rule_set.name, **rule_set.values, "effective_from": rule_set.effective_from}
    )
    rule_set = rule_set or RuleSet(family=family)
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


@transaction.atomic
def add_holiday(actor, day: datetime.date, name: str, reason: str = "") -> Holiday:
    """A day off announced by the Government (or moved), counted out of working-day deadlines;
    also how a day removed by mistake comes back. `reason`: the notice it rests on."""
    _require_admin(actor)
    name = name.strip()
    if not name:
        raise DomainError("Cần ghi tên ngày nghỉ.", field="name")
    require_fields(Holiday, {"name": name})  # characters and length
    require_text(reason, field="reason", label="Căn cứ", multiline=True)
    if Holiday.objects.filter(day=day).exists():
        raise DomainError(f"Ngày {day:%d/%m/%Y} đã là ngày nghỉ.", field="day")
    holiday = Holiday.objects.create(day=day, name=name)
    audit.record(
        actor,
        "holiday.add",
        holiday,
        org_path="",
        changes={"day": (None, day), "name": (None, name)},
        reason=reason.strip(),
    )
    return holiday


@transaction.atomic
def remove_holiday(actor, holiday: Holiday, reason: str) -> None:
    """A day that is a working day after all (a holiday moved by the Government): the deadlines
    counted in working days over it end a day earlier (core/holiday_effects.py), so the reason
    is required; the day can be added again (`add_holiday`)."""
    _require_admin(actor)
    require_text(reason, field="reason", label="Lý do", multiline=True)
    if not reason.strip():
        raise DomainError(
            "Cần ghi lý do bỏ ngày nghỉ (ví dụ: số thông báo của Chính phủ).", field="reason"
        )
    holiday = Holiday.objects.select_for_update().filter(pk=holiday.pk).first()
    if holiday is None:
        raise DomainError("Ngày nghỉ này đã được bỏ trước đó.")
    audit.record(
        actor,
        "holiday.remove",
        holiday,
        org_path="",
        changes={"day": (holiday.day, None), "name": (holiday.name, None)},
        reason=reason.strip(),
    )
    holiday.delete()
