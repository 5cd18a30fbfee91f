"""What the party-development services share: today, date checks and recorded exceptions."""

import datetime

from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.models import RuleException


def today() -> datetime.date:
    return timezone.localdate()


def require_day(day: datetime.date | None, label: str, *, field: str = "done_on") -> datetime.date:
    """A date the user must give, not in the future."""
    if day is None:
        raise DomainError(f"Cần ghi {label}.", field=field)
    if day > today():
        raise DomainError(f"{label[:1].upper()}{label[1:]} không thể ở tương lai.", field=field)
    return day


def record_exception(
    actor, target, *, rule_key: str, org_path: str, reason: str, document: str, problem: str
) -> RuleException:
    """Keep an officer's exception to a rule, with its reason and the document allowing it."""
    if not reason.strip():
        raise DomainError(
            f"{problem} Hãy ghi lý do và văn bản cho phép ngoại lệ.", field="exception_reason"
        )
    return RuleException.unscoped.create(
        rule_key=rule_key,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        org_path=org_path,
        reason=f"{reason.strip()} ({problem})",
        decision_number=document.strip(),
        actor=actor,
    )
