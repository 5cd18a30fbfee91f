"""Inside/outside samples for the screening URLs (used by tests/test_scope_walk.py): a
striking-off case of the member inside, and the same outside the walk's scope."""

import datetime

from dangvien.screening.models import Case, CaseKind

DAY = datetime.date(2026, 2, 2)


def _case(member):
    return Case.unscoped.create(
        member=member,
        kind=CaseKind.STRIKE_OFF,
        branch=member.branch,
        branch_path=member.branch_path,
        opened_on=DAY,
        ground_absence=True,
        facts="Vắng sinh hoạt 3 tháng.",
    )


def scope_samples(world) -> dict:
    inside, outside = _case(world.member), _case(world.outside_member)
    names = ("case", "review", "vote", "decide", "complaint", "answer", "withdraw", "annul")
    samples = {f"screening:{name}": {"pk": (inside.pk, outside.pk)} for name in names}
    samples["screening:case-new"] = {"pk": (world.other_member.pk, world.outside_member.pk)}
    return samples


def post_samples(world, outside: bool) -> dict:
    return {
        "screening:case-new": {
            "kind": "xoa_ten",
            "opened_on": "02/03/2026",
            "grounds": ["ground_absence"],
            "facts": "Thử",
            "warrants_expulsion": "khong",
        },
        "screening:review": {"kind": "yeu_cau_kiem_diem", "on": "03/02/2026", "note": "Thử"},
        "screening:vote": {
            "level": "chi_bo",
            "on": "03/02/2026",
            "present": 1,
            "votes_for": 1,
            "votes_against": 0,
        },
        "screening:withdraw": {"reason": "Thử"},
        "screening:annul": {"reason": "Thử"},
        "screening:complaint": {"on": "03/02/2026", "content": "Thử"},
        "screening:answer": {"on": "03/02/2026", "content": "Thử"},
    }
