"""The checked rows of a transfers file written as the services write a transfer: placements
moved on the day, the member's timeline, the history of both sides."""

from django.utils import timezone

from dangvien.members.models import Member
from dangvien.transfers import services
from dangvien.transfers.importing.columns import PlannedTransfer
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus


def apply(plan, actor, filename: str) -> None:
    """Write each new transfer as the services do, in each member's day order; a changed letter
    number is corrected."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    for planned in sorted(plan.planned, key=lambda p: (p.member.pk, p.day)):
        if planned.action == "unchanged":
            plan.report.unchanged += 1
        elif planned.action == "update":
            old = planned.existing.letter_number
            planned.existing.letter_number = planned.letter
            planned.existing.save(update_fields=["letter_number", "updated_at"])
            services.audit_both_sides(
                actor,
                "transfer.import",
                planned.existing,
                {"letter_number": [old, planned.letter]},
                reason=reason,
            )
            plan.report.updated += 1
        else:
            _create(planned, actor, reason)
            plan.report.created += 1


def _create(planned: PlannedTransfer, actor, reason: str) -> None:
    member = Member.unscoped.select_related("branch").get(pk=planned.member.pk)
    origin, to = member.branch, planned.to_branch
    if planned.kind == TransferKind.PERMANENT:
        services.leave_branch(member, planned.day)
        if to is not None:
            services.join_branch(member, to, planned.day)
        else:
            services.leave_system(actor, member, planned.day, reason=reason)
    transfer = Transfer.unscoped.create(
        member=member,
        kind=planned.kind,
        direction=Direction.WITHIN if to is not None else Direction.OUT,
        from_branch=origin,
        from_path=origin.path,
        to_branch=to,
        to_path=to.path if to is not None else "",
        outside_destination=planned.outside,
        letter_number=planned.letter,
        arrived_on=planned.day,
        temporary_until=planned.temporary_until,
        status=TransferStatus.ARRIVED,
        issued_by=services.acting_user(actor),
        confirmed_by=services.acting_user(actor),
        confirmed_at=timezone.now(),
    )
    services.record_timeline(actor, transfer)
    services.audit_both_sides(
        actor,
        "transfer.import",
        transfer,
        {"to": [origin.name, transfer.destination]},
        effective_on=planned.day,
        reason=reason,
    )
