"""The monthly amount due (R5.1; QĐ 342-QĐ/TW, QĐ 01-QĐ/TW 2026) from the dues rule set in force
on the month's first day: a percentage of the base amount, or a fixed amount, or an approved
voluntary higher amount (R5.3); integer đồng, rounded half up to `dues_rounding_unit`."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from dangvien.core.rules import DUES_RULE_KEYS, RuleBook
from dangvien.dues.models import FIXED, RATED, Category, DuesBasis


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def months_of(year: int, up_to: int = 12) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, up_to + 1)]


@dataclass(frozen=True)
class DuesRules:
    """The dues rule set's values for one month."""

    month: datetime.date
    values: dict

    @classmethod
    def on(cls, month: datetime.date, book: RuleBook | None = None) -> "DuesRules":
        book = book or RuleBook.load()
        return cls(month, {key: book.value(key, month) for key in DUES_RULE_KEYS})

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    def rounded(self, base: int, rate_bp: int) -> int:
        unit = max(1, self["dues_rounding_unit"])
        return (base * rate_bp + 5000 * unit) // (10000 * unit) * unit

    def due(self, category: str | None, base: int, voluntary: int | None) -> int | None:
        """The amount due a month (None: no category declared)."""
        if category is None:
            return None
        if category == Category.EXEMPT:
            return 0
        if category in RATED:
            amount = self.rounded(base, self[RATED[category]])
        else:
            amount = self[FIXED[category]]
        return max(amount, voluntary or 0)


def basis_on(member, month: datetime.date) -> DuesBasis | None:
    """The member's basis in force in `month` (the latest from that month or before)."""
    return (
        DuesBasis.unscoped.filter(member=member, from_month__lte=month, annulled_at__isnull=True)
        .order_by("-from_month", "-id")
        .first()
    )


def _latest(member_ref: str, month: datetime.date, field: str) -> Subquery:
    rows = DuesBasis.unscoped.filter(
        member=OuterRef(member_ref), from_month__lte=month, annulled_at__isnull=True
    ).order_by("-from_month", "-id")
    return Subquery(rows.values(field)[:1])


def basis_annotations(month: datetime.date, member_ref: str = "pk") -> dict:
    """The member's category, base and voluntary amount in force in `month`, as subqueries."""
    return {
        "dues_category": _latest(member_ref, month, "category"),
        "dues_base": _latest(member_ref, month, "base_amount"),
        "dues_voluntary": _latest(member_ref, month, "voluntary_amount"),
    }


def due_expression(rules: DuesRules):
    """The amount due in SQL over the annotations of `basis_annotations` (NULL: undeclared)."""
    unit = max(1, rules["dues_rounding_unit"])
    big = BigIntegerField()

    def rated(key: str):
        return ExpressionWrapper(
            (F("dues_base") * Value(rules[key]) + Value(5000 * unit))
            / Value(10000 * unit)
            * Value(unit),
            output_field=big,
        )

    computed = Case(
        *[When(dues_category=category, then=rated(key)) for category, key in RATED.items()],
        *[When(dues_category=category, then=Value(rules[key])) for category, key in FIXED.items()],
        default=Value(0),
        output_field=big,
    )
    return Case(
        When(dues_category__isnull=True, then=Value(None, output_field=big)),
        When(dues_category=Category.EXEMPT, then=Value(0)),
        default=Greatest(computed, Coalesce(F("dues_voluntary"), Value(0), output_field=big)),
        output_field=big,
    )
