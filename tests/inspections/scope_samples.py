"""Inside/outside samples for the inspection URLs (used by tests/test_scope_walk.py)."""

import datetime

from dangvien.inspections.models import (
    Activity,
    Body,
    Denunciation,
    Inspection,
    InspectionForm,
    InspectionPlan,
    Petition,
    PlannedActivity,
)

DAY = datetime.date(2024, 5, 2)
# The name of the denouncers of the samples: no page may show it to any role of the walk, none of
# which handles denunciations (tests/test_scope_walk.py).
DENOUNCER = "Người Tố Cáo Giữ Kín"


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

    def letter(member, handling) -> Denunciation:
        return Denunciation.unscoped.create(
            handling_org=handling,
            handling_path=handling.path,
            received_on=DAY,
            denouncer_name=DENOUNCER,
            denouncer_contact=f"{DENOUNCER}, số 1 phố Bí Mật",
            member=member,
            content="Thử",
            due_on=DAY + datetime.timedelta(days=84),
        )

    inside = activity(world.other_member, world.base)
    outside = activity(world.outside_member, world.outside_base)
    pks = {"pk": (inside.pk, outside.pk)}
    letters = {
        "pk": (
            letter(world.other_member, world.upper).pk,
            letter(world.outside_member, world.outside_upper).pk,
        )
    }

    def item(body) -> PlannedActivity:
        plan = InspectionPlan.unscoped.create(
            body=body, body_path=body.path, conducted_by=Body.COMMITTEE, year=DAY.year
        )
        return PlannedActivity.unscoped.create(
            plan=plan,
            activity=Activity.SUPERVISION,
            form=InspectionForm.REGULAR,
            subject="Thử",
            content="Thử",
        )

    def petition(org) -> Petition:
        return Petition.unscoped.create(
            received_by=org,
            handling_org=org,
            handling_path=org.path,
            received_on=DAY,
            sender="Thử",
            kind="phan_anh",
            topic="Thử",
            content="Thử",
            due_on=DAY + datetime.timedelta(days=42),
        )

    petitions = {"pk": (petition(world.base).pk, petition(world.outside_base).pk)}
    return {
        "inspections:petition": petitions,
        "inspections:petition-forward": petitions,
        "inspections:petition-answer": petitions,
        "inspections:petition-reopen": petitions,
        "inspections:programme-item-drop": {
            "pk": (item(world.base).pk, item(world.outside_base).pk)
        },
        "inspections:denunciation": letters,
        "inspections:denunciation-decide": letters,
        "inspections:denunciation-reopen": letters,
        "inspections:detail": pks,
        "inspections:conclusion-pdf": pks,
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
        "inspections:denunciation-new": {
            "received_on": "02/05/2024",
            "denouncer_name": "Thử",
            "subject_code": (world.outside_member if outside else world.other_member).code,
            "content": "Thử",
        },
        "inspections:denunciation-decide": {
            "status": "not_handled",
            "decided_on": "03/05/2024",
            "conclusion": "Thử",
        },
        "inspections:denunciation-reopen": {"reason": "Thử"},
        "inspections:programmes": {
            "conducted_by": Body.COMMITTEE,
            "year": "2024",
            "number": "1-CTr",
        },
        "inspections:programme-item-drop": {"reason": "Thử"},
        "inspections:petition-new": {
            "received_on": "02/05/2024",
            "sender": "Thử",
            "kind": "phan_anh",
            "topic": "Thử",
            "content": "Thử",
        },
        "inspections:petition-forward": {
            "to_code": (world.outside_branch if outside else world.branch).code,
            "on": "03/05/2024",
            "note": "Thử",
        },
        "inspections:petition-answer": {"status": "answered", "on": "03/05/2024", "text": "Thử"},
        "inspections:petition-reopen": {"reason": "Thử"},
    }
