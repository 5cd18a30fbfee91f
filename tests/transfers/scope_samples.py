"""Inside/outside samples for the transfer URLs (used by tests/test_scope_walk.py)."""

import datetime

from dangvien.transfers.models import Direction, Transfer


def scope_samples(world) -> dict:
    letter_on = datetime.date(2024, 5, 2)
    inside = Transfer.unscoped.create(
        member=world.other_member,
        from_branch=world.other_branch,
        from_path=world.other_branch.path,
        to_branch=world.branch,
        to_path=world.branch.path,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    outside = Transfer.unscoped.create(
        member=world.outside_member,
        direction=Direction.OUT,
        from_branch=world.outside_branch,
        from_path=world.outside_branch.path,
        outside_destination="Đảng bộ ngoài hệ thống",
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    pk = {"pk": (inside.pk, outside.pk)}
    samples = {
        f"transfers:{name}": pk for name in ("detail", "arrive", "cancel", "reopen", "return")
    }
    samples["transfers:issue"] = {"pk": (world.member.pk, world.outside_member.pk)}
    samples["transfers:receive"] = {"pk": (world.member.pk, world.outside_member.pk)}
    return samples


def post_samples(world, outside: bool) -> dict:
    branch = world.other_branch if not outside else world.branch
    return {
        "transfers:issue": {
            "kind": "permanent",
            "to_code": branch.code,
            "trigger_on": "02/05/2024",
            "letter_issued_on": "02/05/2024",
        },
        "transfers:arrive": {"arrived_on": "03/05/2024"},
        "transfers:cancel": {"reason": "Thử"},
        "transfers:reopen": {"reason": "Thử"},
        "transfers:return": {"returned_on": "03/05/2024"},
        "transfers:receive": {
            "to_code": (world.outside_branch if outside else world.branch).code,
            "arrived_on": "03/05/2024",
            "outside_origin": "Đảng bộ ngoài hệ thống",
        },
    }
