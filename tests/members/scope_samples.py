"""Inside/outside samples for the members URLs (used by tests/test_scope_walk.py)."""


def scope_samples(world) -> dict:
    pk = {"pk": (world.member.pk, world.outside_member.pk)}
    samples = {
        name: pk
        for name in (
            "members:detail",
            "members:edit",
            "members:photo",
            "members:reinstate",
            "members:readmit",
            "members:record-pdf",
            "api:member-detail",
        )
    }
    samples["members:action"] = {"pk": pk["pk"], "action": ("transfer", "transfer")}
    samples["members:conflict"] = {"pk": _conflicts(world)}
    samples["members:export"] = {"extension": ("csv", "csv")}
    samples["members:readmit-annul"] = {
        "pk": pk["pk"],
        "readmission_pk": (_readmission(world.member).pk, _readmission(world.outside_member).pk),
    }
    return samples


def _readmission(member):
    """A re-admission on file of `member` (only its scope matters to the walk)."""
    import datetime

    from dangvien.members.models import Readmission, Status

    day = datetime.date(2024, 3, 1)
    return Readmission.objects.create(
        member=member,
        decided_on=day,
        decision_number="1-QĐ",
        consent_number="2-CV",
        consent_on=day,
        branch=member.branch,
        left_on=datetime.date(2020, 1, 1),
        left_status=Status.REMOVED,
        previous_branch=member.branch,
        gap_days=(day - datetime.date(2020, 1, 1)).days,
    )


def post_samples(world, outside: bool) -> dict:
    branch = world.outside_branch if outside else world.other_branch
    record = {
        "full_name": "Tên Bị Đổi",
        "gender": "Nam",
        "birth_date": "01/01/1980",
        "admitted_on": "01/01/2005",
        "official_on": "01/01/2006",
    }
    return {
        "members:create": {**record, "code": "DV-MOI", "branch_code": branch.code},
        "members:edit": record,
        "members:action": {"branch_code": branch.code, "effective_on": "01/06/2024"},
        "members:photo": {},
        "members:reinstate": {"effective_on": "01/06/2024", "reason": "Thử"},
        "members:readmit": {
            "decided_on": "01/06/2024",
            "decision_number": "1-QĐ",
            "consent_number": "2-CV",
            "consent_on": "01/05/2024",
            "exception_reason": "Thử",
        },
        "members:readmit-annul": {"reason": "Thử"},
    }


def _conflicts(world) -> tuple[int, int]:
    """A conflict between two branches of the officer's subtree (inside), and one between the
    inside and the outside subtree, which only the province holds (outside)."""
    from dangvien.members import conflicts
    from dangvien.members.models import ConflictKind, ScopeConflict

    secretary = world.users["secretary"]
    inside = conflicts.Collision(
        ConflictKind.CITIZEN_ID,
        "001085000999",
        world.other_member,
        world.other_member.branch_path,
        world.branch.path,
        attempted_label="Hồ sơ thử",
    )
    outside = conflicts.Collision(
        ConflictKind.MEMBER_CODE,
        world.outside_member.code,
        world.outside_member,
        world.outside_member.branch_path,
        world.branch.path,
        attempted_label="Hồ sơ thử",
    )
    conflicts.record(secretary, [inside, outside], "Mẫu kiểm tra phạm vi")
    ids = dict(ScopeConflict.unscoped.values_list("kind", "pk"))
    return ids[ConflictKind.CITIZEN_ID], ids[ConflictKind.MEMBER_CODE]
