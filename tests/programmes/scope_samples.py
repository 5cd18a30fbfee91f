"""Inside/outside samples for the programme URLs (used by tests/test_scope_walk.py)."""

import datetime
from decimal import Decimal

from dangvien.programmes.models import (
    ActionProgramme,
    DocumentKind,
    ProgrammeReview,
    ProgrammeTarget,
    ReviewFigure,
    ReviewKind,
    SessionMode,
    StudyDocument,
    StudyPlan,
    StudySession,
)

YEAR = 2024


def _programme(owner) -> tuple[ActionProgramme, ProgrammeTarget, ReviewFigure]:
    programme = ActionProgramme.unscoped.create(
        owner=owner, owner_path=owner.path, year=YEAR, title="Chương trình thử"
    )
    target = ProgrammeTarget.unscoped.create(
        programme=programme, label="Việc làm thử", comparator="≥", value=Decimal(1)
    )
    review = ProgrammeReview.unscoped.create(
        programme=programme,
        kind=ReviewKind.YEAR_END,
        year=YEAR,
        reviewed_on=datetime.date(YEAR, 12, 20),
    )
    figure = ReviewFigure.unscoped.create(
        review=review, target=target, label=target.label, comparator="≥", value=Decimal(1)
    )
    return programme, target, figure


def _plan(document, owner, base) -> tuple[StudyPlan, StudySession]:
    plan = StudyPlan.unscoped.create(
        document=document, owner=owner, owner_path=owner.path, deadline=datetime.date(YEAR, 6, 30)
    )
    session = StudySession.unscoped.create(
        plan=plan,
        organization=base,
        org_path=base.path,
        held_on=datetime.date(YEAR, 6, 1),
        mode=SessionMode.IN_PERSON,
        present=0,
        members=0,
    )
    return plan, session


def scope_samples(world) -> dict:
    inside, outside = _programme(world.upper), _programme(world.outside_upper)
    document = StudyDocument.objects.create(
        kind=DocumentKind.DIRECTIVE,
        number="01-CT/TW",
        title="Thử",
        issued_on=datetime.date(YEAR, 1, 2),
        issuing_body="Thử",
        file_name="thu.png",
        file_type="image/png",
        file_size=8,
        file_content=b"\x89PNG\r\n\x1a\n",
    )
    plan_in, plan_out = (
        _plan(document, world.upper, world.base),
        _plan(document, world.outside_upper, world.outside_base),
    )
    plans = {"pk": (plan_in[0].pk, plan_out[0].pk)}
    programmes = {"pk": (inside[0].pk, outside[0].pk)}
    targets = {"pk": (inside[1].pk, outside[1].pk)}
    return {
        "programmes:detail": programmes,
        "programmes:xlsx": programmes,
        "programmes:pdf": programmes,
        "programmes:review": programmes,
        "programmes:target": targets,
        "programmes:result": targets,
        "programmes:figure-correct": {"pk": (inside[2].pk, outside[2].pk)},
        "programmes:study-plan": plans,
        "programmes:study-report": plans,
        "programmes:study-document": plans,
        "programmes:study-my-document": plans,
        "programmes:study-plan-annul": plans,
        "programmes:study-session-annul": {"pk": (plan_in[1].pk, plan_out[1].pk)},
    }


def post_samples(world, outside: bool) -> dict:
    return {
        "programmes:org": {"period": "2023", "title": "Chương trình thử", "number": "01-CTr"},
        "programmes:detail": {"indicator": "ket_nap", "comparator": ">", "value": "5"},
        "programmes:review": {
            "kind": ReviewKind.MID_YEAR,
            "year": str(YEAR),
            "reviewed_on": "01/07/2024",
        },
        "programmes:target": {"comparator": ">", "value": "2"},
        "programmes:result": {
            "actual": "3",
            "result_on": "01/07/2024",
            "evidence": "Báo cáo thử",
        },
        "programmes:figure-correct": {"actual": "2", "reason": "Thử"},
        "programmes:study": {
            "kind": DocumentKind.RESOLUTION,
            "number": "09-NQ/TW",
            "issued_on": "02/01/2024",
            "title": "Thử",
            "issuing_body": "Thử",
            "deadline": "30/06/2024",
        },
        "programmes:study-plan": {
            "org_code": (world.outside_base if outside else world.base).code,
            "held_on": "01/06/2024",
            "mode": SessionMode.ONLINE,
            "present": "0",
        },
        "programmes:study-report": {
            "member_code": (world.outside_member if outside else world.other_member).code,
            "submitted_on": "01/06/2024",
        },
        "programmes:study-plan-annul": {"reason": "Thử"},
        "programmes:study-session-annul": {"reason": "Thử"},
    }
