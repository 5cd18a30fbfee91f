"""A programme's targets with their actual value and met / not met: the computed ones measured
from the records (indicators.py), the hand-tracked ones as last recorded (by a day, for a
review). The one read the report, the page, the reviews and the command share."""

import datetime
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from dangvien.programmes.indicators import Measure, Period, measure
from dangvien.programmes.models import ActionProgramme, ProgrammeTarget, TargetResult

COMPARE = {
    ">": operator.gt,
    "≥": operator.ge,
    "=": operator.eq,
    "≤": operator.le,
    "<": operator.lt,
}


def is_met(actual, comparator: str, value) -> bool | None:
    """Whether `actual` reaches the target (`comparator` `value`); None without an actual."""
    if actual is None:
        return None
    return COMPARE[comparator](Decimal(str(actual)), Decimal(str(value)))


def number(value: Decimal | float | int | None) -> float | int | None:
    """A value as JSON writes it: 90 rather than 90.00, 91.4 rather than 91.40."""
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class TargetFigures:
    """A target with its actual value (None: nothing to measure or nothing recorded) and met."""

    target_id: int
    indicator: str  # the slug, or "" for a hand-tracked target
    label: str
    comparator: str
    value: Decimal
    is_percent: bool
    actual: float | int | None
    met: bool | None
    measure: Measure | None = None  # what a computed value was computed from
    evidence: str = ""
    result_on: datetime.date | None = None

    @property
    def key(self) -> str:
        return self.indicator or self.label

    @property
    def computed(self) -> bool:
        return bool(self.indicator)

    @property
    def target_number(self) -> float | int:
        return number(self.value)


def _hand_results(targets: list[ProgrammeTarget], cut: datetime.date | None) -> dict[int, dict]:
    """The result of each hand-tracked target: its current one, or the latest recorded on or
    before `cut` (one query)."""
    hand = [t for t in targets if not t.computed]
    if cut is None:
        return {
            t.pk: {"actual": t.actual, "evidence": t.evidence, "result_on": t.result_on}
            for t in hand
        }
    latest = TargetResult.unscoped.filter(target=OuterRef("pk"), result_on__lte=cut).order_by(
        "-result_on", "-id"
    )
    rows = (
        ProgrammeTarget.unscoped.filter(pk__in=[t.pk for t in hand])
        .annotate(
            cut_actual=Subquery(latest.values("actual")[:1]),
            cut_evidence=Subquery(latest.values("evidence")[:1]),
            cut_on=Subquery(latest.values("result_on")[:1]),
        )
        .values("pk", "cut_actual", "cut_evidence", "cut_on")
    )
    return {
        row["pk"]: {
            "actual": row["cut_actual"],
            "evidence": row["cut_evidence"] or "",
            "result_on": row["cut_on"],
        }
        for row in rows
    }


def figures_of(
    programme: ActionProgramme, *, cut: datetime.date | None = None
) -> list[TargetFigures]:
    """Every target of `programme` in its order, measured for the programme's period up to
    `cut` (a review's day; None: the whole period, read today). DomainError when the owner did
    not exist at the period's end."""
    targets = list(programme.targets.order_by("position", "id"))
    period = Period.of(programme.first_year, programme.last_year, cut)
    computed = measure(programme.owner, period, [t.indicator for t in targets if t.computed])
    hand = _hand_results(targets, cut)
    rows = []
    for target in targets:
        if target.computed:
            found = computed[target.indicator]
            actual, extra = found.value, {"measure": found}
        else:
            result = hand.get(target.pk, {})
            actual = number(result.get("actual"))
            extra = {"evidence": result.get("evidence", ""), "result_on": result.get("result_on")}
        rows.append(
            TargetFigures(
                target_id=target.pk,
                indicator=target.indicator,
                label=target.label,
                comparator=target.comparator,
                value=target.value,
                is_percent=target.is_percent,
                actual=actual,
                met=is_met(actual, target.comparator, target.value),
                **extra,
            )
        )
    return rows
