"""Inside/outside samples for the inspection URLs (used by tests/test_scope_walk.py)."""

import datetime

from dangvien.inspections.models import Activity, Body, Inspection, InspectionForm

DAY = datetime.date(2024, 5, 2)


def scope_samples(world) -> dict:
    def activity(member, body) -> Inspection:
        return Inspection.unscoped.create(
            body=body,
            body_path=body.path,
            conducted_by=Body.INSPECTION_COMMITTEE,
            activity=Activity.INSPECTION,
            form=InspectionForm.SIGNS_OF_VIOLATION,
            member=member,
            decision_number="1-QĐ/UBKT",
            decided_on=DAY,
            due_on=DAY + datetime.timedelta(days=42),
        )

    inside = activity(world.other_member, world.base)
    outside = activity(world.outside_member, world.outside_base)
    pks = {"pk": (inside.pk, outside.pk)}
    return {
        "inspections:detail": pks,
        "inspections:conclude": pks,
        "inspections:reopen": pks,
        "inspections:annul": pks,
    }


def post_samples(world, outside: bool) -> dict:
    return {
        "inspections:new": {
            "conducted_by": Body.COMMITTEE,
            "activity": Activity.SUPERVISION,
            "form": InspectionForm.REGULAR,
            "subject_code": (world.outside_member if outside else world.other_member).code,
            "decision_number": "2-KH/ĐU",
            "decided_on": "02/05/2024",
            "content": "Thử",
        },
        "inspections:detail": {"team": "Thử", "findings": "Thử"},
        "inspections:conclude": {"conclusion": "khong_vi_pham", "concluded_on": "03/05/2024"},
        "inspections:reopen": {"reason": "Thử"},
        "inspections:annul": {"reason": "Thử"},
    }
