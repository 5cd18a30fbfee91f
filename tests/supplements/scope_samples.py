"""Inside/outside samples for the supplement URLs (used by tests/test_scope_walk.py): an open
round on the inside subtree with the member user's proposal, and the same outside."""

import datetime

from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.supplements import services
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory


def scope_samples(world) -> dict:
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=30)
    inside_round = services.open_round(world.users[Role.OFFICER], world.upper, today.year, deadline)
    outside_officer = world.users["outside_officer"]
    outside_round = services.open_round(outside_officer, world.outside_upper, today.year, deadline)
    inside = services.submit_proposal(world.users[Role.MEMBER], {"phone": "0912 345 678"})
    outside = services.record_paper_submission(outside_officer, outside_round, world.outside_member)
    rounds = {"pk": (inside_round.pk, outside_round.pk)}
    proposals = {"pk": (inside.pk, outside.pk)}
    # Approved proposals, inside and outside, for undoing an approval.
    approved = [
        services.approve_proposal(
            officer, services.record_paper_submission(officer, supplement_round, member)
        ).pk
        for officer, supplement_round, member in (
            (world.users[Role.OFFICER], inside_round, world.other_member),
            (
                outside_officer,
                outside_round,
                MemberFactory(branch=world.outside_branch, full_name=f"Phạm {OUTSIDE_MARK}"),
            ),
        )
    ]
    return {
        "supplements:round": rounds,
        "supplements:close": rounds,
        "supplements:reopen": rounds,
        "supplements:paper": rounds,
        "supplements:proposal": proposals,
        "supplements:confirm": proposals,
        "supplements:approve": proposals,
        "supplements:reject": proposals,
        "supplements:unapprove": {"pk": tuple(approved)},
        "supplements:reached": rounds,
    }


def post_samples(world, outside: bool) -> dict:
    """POSTs that would change data. `supplements:my` has none on purpose: the walk treats the
    member role as read-only, and an empty supplement form changes nothing (no change set)."""
    year = timezone.localdate().year + 1
    return {
        "supplements:open": {
            "organization_code": (world.outside_upper if outside else world.upper).code,
            "year": str(year),
            "deadline": f"31/12/{year}",
        },
        "supplements:paper": {
            "member": (world.outside_member if outside else world.other_member).pk
        },
        "supplements:reject": {"reason": "Thông tin chưa chính xác"},
        "supplements:unapprove": {"reason": "Duyệt nhầm"},
    }
