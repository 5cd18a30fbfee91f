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


def check_vote_total(branch, votes_total: int, on: datetime.date) -> None:
    """A branch votes with at least two thirds of its official members (Điều lệ Đảng, Điều 4
    and 5): the members entitled to vote are at least the official members active and not
    exempted on that day, so a smaller total typed in cannot lower the bar."""
    from django.db.models import Q

    from dangvien.members.models import Member, Status

    entitled = (
        Member.unscoped.filter(branch=branch, status=Status.OFFICIAL, official_on__lte=on)
        .filter(Q(exempt_since__isnull=True) | Q(exempt_since__gt=on))
        .count()
    )
    if votes_total < entitled:
        raise DomainError(
            f"Tổng số có quyền biểu quyết ({votes_total}) ít hơn số đảng viên chính thức đang "
            f"sinh hoạt của {branch.name} ({entitled}).",
            field="votes_total",
        )
