"""The figures of the admissions report (reports/admissions.py), each one grouped query on the
tree as it stood at the period's end.

The members admitted in the period counted by every key the report shows at once (the direct
child holding the admitting branch, qualification, ethnicity, gender, age band at admission,
official by a day), and the quotas of the period by their organisation's path then, with the
target they give an organisation (`target_at`, also read by the quotas page and the assessments).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    Greatest,
    Least,
)
from django.db.models.lookups import LessThan

from dangvien.admissions.models import AdmissionTarget
from dangvien.members.models import Member
from dangvien.organizations import dated
from dangvien.organizations.models import Organization
from dangvien.reports.admitted import ADMITTING_PATH, state_as_it_stood
from dangvien.reports.membership import child_of
from dangvien.reports.structure import AGE_BANDS, UNKNOWN, catalogue_order


def _age_at_admission():
    """Age in whole years on the admission day. PostgreSQL's age() in one call; elsewhere the
    difference of the years, less one when the birthday had not yet come that year."""
    if connection.vendor == "postgresql":
        return Func(
            F("admitted_on"),
            F("birth_date"),
            template="date_part('year', age(%(expressions)s))::integer",
            output_field=IntegerField(),
        )

    def month_day(field: str):
        return ExtractMonth(field) * 100 + ExtractDay(field)

    before_birthday = Case(
        When(LessThan(month_day("admitted_on"), month_day("birth_date")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear("admitted_on") - ExtractYear("birth_date") - before_birthday


# The age bands of the structure report are ten years wide from the second on (≤30, 31-40, …,
# 61-70, >70), so the band is arithmetic on the age, which the database then computes once a row
# (a CASE over the bands would repeat the age expression in every branch).
BAND_WIDTH = 10
BAND_OFFSET = AGE_BANDS[0][2] - BAND_WIDTH + 1
assert all(
    low == BAND_OFFSET + BAND_WIDTH * index for index, (_l, low, _h) in enumerate(AGE_BANDS) if low
), "AGE_BANDS are no longer ten-year bands: _age_band must change with them"


def _age_band():
    """The index in AGE_BANDS of the age at admission (integer division truncates toward zero
    on both databases; below the first band it is clamped to 0, above the last to the last)."""
    shifted = ExpressionWrapper(
        (_age_at_admission() - Value(BAND_OFFSET)) / Value(BAND_WIDTH),
        output_field=IntegerField(),
    )
    return Least(Greatest(shifted, Value(0)), Value(len(AGE_BANDS) - 1))


@dataclass(frozen=True)
class AdmittedFigures:
    """The admitted of the period counted by every key the report shows at once: rows of
    (child id, qualification, ethnicity, gender, age band, official) with their number."""

    rows: list[dict]

    def count(self, **key) -> int:
        return sum(row["n"] for row in self.rows if all(row[k] == v for k, v in key.items()))

    def totals(self) -> dict[str, int]:
        return {"admitted": self.count(), "official": self.count(official=1)}

    def by(self, field: str, known: list[str]) -> dict[str, int]:
        """Counts by the stored value of `field` (empty → "Chưa rõ"), catalogue values first,
        then the others by count, "Chưa rõ" last (as the structure report orders them)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            label = row[field] or UNKNOWN
            counts[label] = counts.get(label, 0) + row["n"]
        return catalogue_order(counts, known)

    def by_child(self) -> dict[int, int]:
        """Admissions per direct child's id (those of the reported branch itself left out)."""
        counts: dict[int, int] = {}
        for row in self.rows:
            if row["child"]:
                counts[int(row["child"])] = counts.get(int(row["child"]), 0) + row["n"]
        return counts


def admitted_figures(
    org: Organization, admitted: QuerySet[Member], official_by: datetime.date
) -> AdmittedFigures:
    """One grouped query over the join of `admitted_as_it_stood` (the join is the costly part, so
    it is made once): by the child of `org` holding the admitting branch, qualification,
    ethnicity, gender, age band at admission and whether recognised as official by
    `official_by`. A few thousand rows for a province's term, summed in Python."""
    official = Case(
        When(official_on__lte=official_by, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = (
        admitted.values(
            "qualification",
            "ethnicity",
            "gender",
            child=child_of(ADMITTING_PATH, org),
            band=_age_band(),
            official=official,
        )
        .order_by()
        .annotate(n=Count("pk"))
    )
    with _planned_for_many(org.path):
        return AdmittedFigures(list(rows))


# The plan of the grouped count by the depth of the reported subtree ("/" the whole Party 0, a
# province 1; see _planned_for_many): grouped by hashing from this depth up, joined by hashing
# from this one. Hash joins read every admission of the period in the country: for the whole
# Party the right plan (6m, term: 6.8 s instead of 11.9 under load 6–7), for Hà Nội, a tenth
# of it, not (3.8–4.2 s against 1.1–1.6 s along its paths).
HASH_AGGREGATE_DEPTH = 1
HASH_JOIN_DEPTH = 0


def _plan_for(path: str) -> dict[str, str]:
    """The planner settings of the grouped count of the subtree at `path` (none below a
    province: the nested loops along the indexed paths are the right plan there)."""
    depth = path.count("/") - 1
    settings = {}
    if depth <= HASH_AGGREGATE_DEPTH:
        settings["enable_sort"] = "off"
    if depth <= HASH_JOIN_DEPTH:
        settings["enable_nestloop"] = "off"
    return settings


@contextmanager
def _planned_for_many(path: str) -> Iterator[None]:
    """On PostgreSQL, for the whole Party or a province, the grouped count planned with a hash
    aggregate (and for the whole Party hash joins, `_plan_for`). The planner multiplies the
    selectivities of the join's two conditions, the member (`placement.member_id = member.id`)
    and the admission day (`placement.start = member.admitted_on`), which always hold
    together: it expects 1 row where a province's term has 69,987 (300k), so it probes the
    organisation table once a row and sorts them all to group them (345 ms of a 415 ms
    report). No statistics describe a correlation across two tables, so the plan is set for
    this statement only: SET LOCAL in the transaction (one statement; a report read outside
    one ends it at once, inside one the settings are put back after)."""
    settings = _plan_for(path) if connection.vendor == "postgresql" else {}
    if not settings:
        yield
        return
    nested = connection.in_atomic_block
    names = list(settings)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                ["current_setting(%s)"] * len(names) + ["set_config(%s, %s, true)"] * len(names)
            ),
            [*names, *(value for name in names for value in (name, settings[name]))],
        )
        before = cursor.fetchone()[: len(names)]
        yield
        if nested:  # a failure rolls the whole transaction and its settings back
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                [value for name, old in zip(names, before, strict=True) for value in (name, old)],
            )


def period_quotas(
    org: Organization,
    year_from: int,
    year_to: int,
    start: datetime.date,
    day: datetime.date,
    stretches: dict[str, int] | None = None,
) -> dict[str, int]:
    """The quotas for exactly this year (or this term) set in `org`'s subtree as it stood on
    `day` (`org.path` is its path then), by their organisation's path then (`stood_in`; today's
    copy `org_path` while nothing reshaped the tree after `start`). A year's report reads year
    quotas only, a term's report term quotas only. `stretches`, when given, is filled with the
    stretch targets (chỉ tiêu phấn đấu) of those that have one."""
    if year_from == year_to:
        period = {"year": year_from}
    else:
        period = {"term_start": year_from, "term_end": year_to}
    rows = AdmissionTarget.unscoped.filter(**period)
    if not dated.reshaped_since(start):  # the organisations `stood_in` picks, by today's row
        rows = rows.filter(
            Q(organization__founded_on__isnull=True) | Q(organization__founded_on__lte=day),
            Q(organization__ended_on__isnull=True) | Q(organization__ended_on__gt=start),
        ).annotate(placed_path=F("org_path"))
    else:
        rows = rows.annotate(at=state_as_it_stood("organization", start, day)).annotate(
            placed_path=F("at__path")
        )
    rows = rows.filter(placed_path__startswith=org.path)
    quotas = {}
    for path, quota, stretch in rows.values_list("placed_path", "quota", "stretch_quota"):
        quotas[path] = quota
        if stretch is not None and stretches is not None:  # by the same paths
            stretches[path] = stretch
    return quotas


def _counted(path: str, quotas: dict[str, int]) -> list[str]:
    """The paths of the quotas that make the quota at `path`: its own, or else those set
    highest below it (a quota counts for an ancestor when no quota sits between them)."""
    if path in quotas:
        return [path]
    counted: list[str] = []
    for below in sorted(p for p in quotas if p.startswith(path)):
        if counted and below.startswith(counted[-1]):
            continue  # a descendant of a quota already counted
        counted.append(below)
    return counted


def target_at(path: str, quotas: dict[str, int]) -> int | None:
    """The quota of the organisation at `path`: its own, or else the sum of the quotas set
    highest below it; None when there is none in the subtree."""
    counted = _counted(path, quotas)
    return sum(quotas[p] for p in counted) if counted else None


def stretch_target_at(path: str, quotas: dict[str, int], stretches: dict[str, int]) -> int | None:
    """The stretch target (chỉ tiêu phấn đấu) beside `target_at`: of the same quotas, each one's
    stretch target, or its quota where it has none; None when none of them has one."""
    counted = _counted(path, quotas)
    if not any(p in stretches for p in counted):
        return None
    return sum(stretches.get(p, quotas[p]) for p in counted)
