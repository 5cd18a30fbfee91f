"""Inside/outside samples for the programme URLs (used by tests/test_scope_walk.py)."""

import datetime
from decimal import Decimal

from dangvien.programmes.models import (
    ActionProgramme,
    ProgrammeReview,
    ProgrammeTarget,
    ReviewFigure,
    ReviewKind,
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


def scope_samples(world) -> dict:
    inside, outside = _programme(world.upper), _programme(world.outside_upper)
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
    }
