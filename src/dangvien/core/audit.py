"""Recording changes: every service write leaves an AuditEntry (who, when, old → new, decision)."""

import datetime
from typing import Any

from dangvien.core.models import AuditEntry


def record(
    actor,
    action: str,
    target,
    *,
    org_path: str,
    changes: dict[str, Any] | None = None,
    effective_on: datetime.date | None = None,
    decision_number: str = "",
    decision_body: str = "",
    reason: str = "",
) -> AuditEntry:
    """Keep one change of `target`; `changes` maps field → [old, new] (JSON-safe values)."""
    return AuditEntry.unscoped.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_label=str(target)[:300],
        org_path=org_path,
        changes={
            key: [json_safe(old), json_safe(new)] for key, (old, new) in (changes or {}).items()
        },
        effective_on=effective_on,
        decision_number=decision_number,
        decision_body=decision_body,
        reason=reason,
    )


def json_safe(value: Any) -> Any:
    """A value as the history stores it: dates as dd/mm/yyyy."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value
