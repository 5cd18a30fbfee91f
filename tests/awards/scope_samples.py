"""Inside/outside samples for the award URLs (used by tests/test_scope_walk.py): an award of the
member's branch, a proposal of the branch with the member on its list, and the same outside."""

import datetime

from dangvien.awards.models import Award, Proposal, ProposalEntry

DAY = datetime.date(2024, 3, 2)


def _records(branch, member):
    award = Award.unscoped.create(
        member=member,
        unit=branch,
        subject_path=branch.path,
        form="giay_khen",
        level="co_so",
        title="Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu năm 2023",
        year_from=2023,
        year_to=2023,
        decision_number="01-QĐ/ĐU",
        decided_on=DAY,
        deciding_body="Đảng ủy",
    )
    proposal = Proposal.unscoped.create(
        organization=branch,
        org_path=branch.path,
        year=2023,
        basis="xuat_sac_nam",
        form="giay_khen",
        level="co_so",
        title="Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu năm 2023",
        proposed_on=DAY,
    )
    entry = ProposalEntry.unscoped.create(proposal=proposal, member=member)
    return award, proposal, entry


def scope_samples(world) -> dict:
    inside = _records(world.branch, world.member)
    outside = _records(world.outside_branch, world.outside_member)
    samples = {
        f"awards:{name}": {"pk": (inside[0].pk, outside[0].pk)} for name in ("correct", "annul")
    }
    samples |= {
        f"awards:{name}": {"pk": (inside[1].pk, outside[1].pk)}
        for name in ("proposal", "proposal-decide", "proposal-withdraw")
    }
    samples["awards:entry-reject"] = {"pk": (inside[2].pk, outside[2].pk)}
    samples["awards:member-new"] = {"pk": (world.member.pk, world.outside_member.pk)}
    return samples


def post_samples(world, outside: bool) -> dict:
    award = {
        "form": "bang_khen",
        "level": "tinh",
        "title": "Thử",
        "year_from": "2023",
        "decision_number": "99-QĐ/TU",
        "decided_on": "02/03/2024",
        "deciding_body": "Tỉnh ủy",
    }
    return {
        "awards:org-new": award,
        "awards:member-new": award,
        "awards:correct": {**award, "correction_reason": "Thử"},
        "awards:annul": {"reason": "Thử"},
        "awards:proposal-decide": {
            "decision_number": "5-QĐ/ĐU",
            "decided_on": "03/03/2024",
            "deciding_body": "Đảng ủy",
        },
        "awards:proposal-withdraw": {"reason": "Thử"},
        "awards:entry-reject": {"reason": "Thử"},
        "awards:candidates": {
            "form": "giay_khen",
            "level": "co_so",
            "title": "Thử",
            "proposed_on": "02/03/2024",
            "chosen": ["m1"],
        },
    }
