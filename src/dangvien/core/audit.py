"""Recording changes: every service write leaves an AuditEntry (who, when, old → new, decision)."""

import datetime
from typing import Any

from dangvien.core.models import AuditEntry


def acting_user(actor):
    """The user to keep as who did it: None for the command line or an anonymous caller."""
    return actor if actor is not None and actor.is_authenticated else None


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


def record_read(
    actor,
    action: str,
    *,
    org_path: str,
    target=None,
    label: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Keep one read of personal data: a full record viewed or printed, a list exported, a
    report downloaded (one insert). `details` (rows, columns, filters, format…) is stored as is
    in `changes`; `org_path` is the record's or the scope's, so the subtree scoping applies."""
    return AuditEntry.unscoped.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None and target.pk is not None else 0,
        target_label=(label or str(target or ""))[:300],
        org_path=org_path,
        changes={key: json_safe(value) for key, value in (details or {}).items()},
    )


def common_path(paths: list[str]) -> str:
    """The deepest organisation path above all `paths` ("" when they share no organisation,
    or for "/" the whole tree): where an entry about several subtrees is filed."""
    if not paths or "/" in paths:
        return ""
    parts = [path.strip("/").split("/") for path in paths]
    shared = []
    for ids in zip(*parts, strict=False):
        if len(set(ids)) != 1:
            break
        shared.append(ids[0])
    return f"/{'/'.join(shared)}/" if shared else ""
