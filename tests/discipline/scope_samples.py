"""Inside/outside samples for the discipline URLs (used by tests/test_scope_walk.py)."""

import datetime

from dangvien.discipline.models import (
    Complaint,
    Discipline,
    DisciplineForm,
    DisciplineStep,
    Suspension,
)

DAY = datetime.date(2024, 5, 2)


def scope_samples(world) -> dict:
    def decision(member, body) -> Discipline:
        return Discipline.unscoped.create(
            member=member,
            unit=member.branch,
            subject_path=member.branch_path,
            form=DisciplineForm.REPRIMAND,
            decision_number="1-QĐ/ĐU",
            decided_on=DAY,
            deciding_org=body,
            complaint_until=DAY + datetime.timedelta(days=42),
        )

    def suspension(member, body) -> Suspension:
        return Suspension.unscoped.create(
            member=member,
            branch_path=member.branch_path,
            starts_on=DAY,
            decision_number="3-QĐ/UBKT",
            deciding_org=body,
            reason="Thử",
        )

    inside = decision(world.other_member, world.base)
    outside = decision(world.outside_member, world.outside_base)
    suspensions = {
        "pk": (
            suspension(world.other_member, world.base).pk,
            suspension(world.outside_member, world.outside_base).pk,
        )
    }

    def complaint(discipline, body) -> Complaint:
        return Complaint.unscoped.create(
            discipline=discipline,
            subject_path=discipline.subject_path,
            handling_org=body,
            received_on=DAY,
            content="Thử",
        )

    complaints = {
        "pk": (complaint(inside, world.upper).pk, complaint(outside, world.outside_upper).pk)
    }
    return {
        "discipline:complaints": {"pk": (inside.pk, outside.pk)},
        "discipline:decision-pdf": {"pk": (inside.pk, outside.pk)},
        "discipline:complaint-resolve": complaints,
        "discipline:suspend": {"pk": (world.member.pk, world.outside_member.pk)},
        "discipline:steps": {"pk": (world.member.pk, world.outside_member.pk)},
        "discipline:step-annul": {
            "pk": tuple(
                DisciplineStep.unscoped.create(
                    member=member,
                    branch_path=member.branch_path,
                    kind="nhac_nho",
                    on=DAY,
                    note="Thử",
                ).pk
                for member in (world.member, world.outside_member)
            )
        },
        "discipline:suspension-end": suspensions,
        "discipline:suspension-annul": suspensions,
        "discipline:member-new": {"pk": (world.member.pk, world.outside_member.pk)},
        "discipline:annul": {"pk": (inside.pk, outside.pk)},
    }


def post_samples(world, outside: bool) -> dict:
    body = world.outside_base if outside else world.base
    decision = {
        "decision_number": "2-QĐ/ĐU",
        "decided_on": "02/05/2024",
        "form": DisciplineForm.WARNING,
        "deciding_org": str(body.pk),
        "violation": "Thử",
    }
    return {
        "discipline:member-new": decision,
        "discipline:org-new": decision,
        "discipline:annul": {"reason": "Thử"},
        "discipline:suspend": {
            "decision_number": "4-QĐ/UBKT",
            "deciding_org": str(body.pk),
            "starts_on": "02/05/2024",
            "reason": "Thử",
        },
        "discipline:suspension-end": {"ends_on": "03/05/2024", "reason": "Thử"},
        "discipline:steps": {"kind": "nhac_nho", "on": "02/05/2024", "note": "Thử"},
        "discipline:step-annul": {"reason": "Thử"},
        "discipline:suspension-annul": {"reason": "Thử"},
        "discipline:complaints": {
            "handling_org": str((world.outside_upper if outside else world.upper).pk),
            "received_on": "03/05/2024",
            "content": "Thử",
        },
        "discipline:complaint-resolve": {
            "result": "giu_nguyen",
            "resolved_on": "04/05/2024",
            "answer": "Thử",
        },
    }
