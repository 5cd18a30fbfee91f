"""Inside/outside samples for the dues URLs (used by tests/test_scope_walk.py): a basis, a
payment and a remittance for a member and a branch inside and outside."""

import datetime

from dangvien.dues.models import (
    Category,
    Channel,
    DuesBasis,
    DuesPayment,
    DuesRemittance,
    UnpaidExcuse,
)

MONTH = datetime.date(2026, 5, 1)


def _records(member, branch):
    basis = DuesBasis.unscoped.create(
        member=member, from_month=datetime.date(2025, 1, 1), category=Category.STUDENT
    )
    payment = DuesPayment.unscoped.create(
        member=member,
        month=MONTH,
        branch=branch,
        branch_path=branch.path,
        amount=5000,
        channel=Channel.CASH,
        paid_on=datetime.date(2026, 5, 10),
    )
    remittance = DuesRemittance.unscoped.create(
        organization=branch,
        org_path=branch.path,
        month=MONTH,
        amount=3500,
        remitted_on=datetime.date(2026, 5, 20),
    )
    excuse = UnpaidExcuse.unscoped.create(
        member=member, month=datetime.date(2026, 3, 1), reason="Ốm nằm viện"
    )
    return basis, payment, remittance, excuse


def scope_samples(world) -> dict:
    inside = _records(world.member, world.branch)
    outside = _records(world.outside_member, world.outside_branch)
    return {
        "dues:sheet": {"year": (2026, 2026), "month": (5, 5)},
        "dues:member": {"pk": (world.member.pk, world.outside_member.pk)},
        "dues:basis-annul": {"pk": (inside[0].pk, outside[0].pk)},
        "dues:payment-correct": {"pk": (inside[1].pk, outside[1].pk)},
        "dues:payment-annul": {"pk": (inside[1].pk, outside[1].pk)},
        "dues:remittance-annul": {"pk": (inside[2].pk, outside[2].pk)},
        "dues:excuse-annul": {"pk": (inside[3].pk, outside[3].pk)},
    }


def post_samples(world, outside: bool) -> dict:
    member = world.outside_member if outside else world.member
    prefix = f"m{member.pk}"
    return {
        "dues:sheet": {
            "row": str(member.pk),
            f"{prefix}-member": str(member.pk),
            f"{prefix}-months": "1",
            f"{prefix}-amount": "5000",
            f"{prefix}-channel": Channel.CASH,
            f"{prefix}-paid_on": "10/04/2026",
        },
        "dues:member": {"action": "basis", "from_month": "02/2026", "category": "hoc_sinh"},
        "dues:basis-annul": {"reason": "Thử"},
        "dues:payment-correct": {
            "amount": "6000",
            "channel": Channel.CASH,
            "paid_on": "10/05/2026",
            "reason": "Thử",
        },
        "dues:payment-annul": {"reason": "Thử"},
        "dues:remit": {"month": "05/2026", "amount": "1000", "remitted_on": "20/05/2026"},
        "dues:remittance-annul": {"reason": "Thử"},
        "dues:excuse-annul": {"reason": "Thử"},
    }
