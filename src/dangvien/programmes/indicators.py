"""The computed indicators of an action programme (formats.md, `programme`), measured over the
owner's subtree for the programme's period, in the tree as it stood at the period's end (or on
the day of a review, or today while the period is not over: the `cut`).

- `dang_vien_tot_tro_len`, `tccsd_tot_tro_len`: the share of members (of base organisations)
  graded `tot` or `xuat_sac` among those graded, the figures of the quality report
  (reports/quality.py: `member_grades`, `base_organization_grades`) of one year: the year of a
  yearly programme; for a term, the last year of the term (up to the cut) with any such grade
  in the subtree, since the grades of a year are the term's latest known standing and a term's
  years are not added up (a member is graded once a year). No grade in any year: null.
- `ket_nap`: members admitted from 01/01 of the first year to 31/12 of the last (or the cut),
  counted as the admissions report counts them (reports/admitted.py, `admitted_as_it_stood`).
- `tccsd_moi_dn_tu_nhan`: base organisations below the owner at the cut (those ended within the
  period included, where they last stood) whose `Ngày thành lập` falls in the period and whose
  sector then was `doanh_nghiep_tu_nhan`.
- `tccsd_quan_triet`: of the base organisations below the owner at the cut that a study plan
  with its deadline in the period expected (the base organisations below the plan's owner on
  the deadline), the share that held a session of every such plan by its deadline (a session
  not annulled). No plan expecting any: null.

A review (reviews.py) measures up to its day: admissions, establishments and sessions by their
own dates; grades carry only their year, so a review counts the grades of the years up to its
day's year as recorded when the review is made (a 6-month review made before the year's grading
shows the previous year's share for a term, none for a yearly programme).

Each is an aggregate over indexed organisation paths: no member row is loaded into Python."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from dangvien.core.paths import ancestor_paths
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import BASE_KINDS, Organization, OrgState, Sector
from dangvien.programmes.models import Indicator, StudyPlan, StudySession
from dangvien.reports.admitted import admitted_as_it_stood
from dangvien.reports.membership import as_it_stood
from dangvien.reports.periods import year_end
from dangvien.reports.quality import GradeCounts, base_organization_grades, member_grades
from dangvien.reports.render import percent

GOOD_GRADES = ("xuat_sac", "tot")


@dataclass(frozen=True)
class Measure:
    """An indicator's actual value, with what it was computed from: the counted and, for a
    share, the whole (`of`); `year` the year of the grades a share of graded ones used."""

    value: float | int | None
    count: int
    of: int | None = None
    year: int | None = None

    def as_json(self) -> dict:
        basis = {"count": self.count}
        if self.of is not None:
            basis["of"] = self.of
        if self.year is not None:
            basis["year"] = self.year
        return basis


@dataclass(frozen=True)
class Period:
    """The first and last day of a programme's period counted, and the day the tree is read."""

    first_year: int
    last_year: int
    start: datetime.date
    end: datetime.date  # 31/12 of the last year, or the cut when earlier

    @classmethod
    def of(cls, first_year: int, last_year: int, cut: datetime.date | None = None) -> "Period":
        end = datetime.date(last_year, 12, 31)
        if cut is not None:
            end = min(end, cut)
        return cls(first_year, last_year, datetime.date(first_year, 1, 1), end)

    @property
    def day(self) -> datetime.date:
        """The day the tree is read on: the end, or today for a period not yet over."""
        return min(self.end, timezone.localdate())


def measure(org: Organization, period: Period, indicators) -> dict[str, Measure]:
    """Each of `indicators` (slugs) measured over `org`'s subtree for `period`. DomainError
    when `org` did not exist at the period's end (saying when it was established or ended)."""
    with dated.one_reading():
        stood = as_it_stood(org, period.end)
        return {slug: MEASURES[slug](org, stood, period) for slug in indicators}


def _good_share(grades_of, org: Organization, period: Period) -> Measure:
    """The share graded good or better of the last year of the period with grades."""
    today = timezone.localdate()
    last = min(period.last_year, period.end.year, today.year)  # a year begun, at most
    for year in range(last, period.first_year - 1, -1):
        stood = dated.as_of(org, min(year_end(year, today), today))
        if stood is None:
            continue
        counts: GradeCounts = grades_of(stood, year)
        if counts.assessed:
            good = sum(counts.grades[grade] for grade in GOOD_GRADES)
            return Measure(percent(good, counts.assessed), good, counts.assessed, year)
    return Measure(None, 0, 0)


def _members_good(org, stood, period) -> Measure:
    return _good_share(member_grades, org, period)


def _base_good(org, stood, period) -> Measure:
    return _good_share(base_organization_grades, org, period)


def _admitted(org, stood, period) -> Measure:
    count = admitted_as_it_stood(stood.path, period.start, period.end, period.day).count()
    return Measure(count, count)


def _bases_then(stood: Organization, period: Period):
    """The states of the base organisations below `stood` at the period's end, those ended
    within the period where they last stood (`dated.stood_in`)."""
    return OrgState.unscoped.filter(
        dated.stood_in(period.start, period.day),
        path__startswith=stood.path,
        kind__in=BASE_KINDS,
    )


def _new_private(org, stood, period) -> Measure:
    count = (
        _bases_then(stood, period)
        .filter(
            sector=Sector.DOANH_NGHIEP_TU_NHAN,
            org__founded_on__gte=period.start,
            org__founded_on__lte=period.end,
        )
        .count()
    )
    return Measure(count, count)


def plans_of_period(org: Organization, period: Period):
    """The study plans (not annulled) with their deadline in the period, of `org`, of the
    organisations above it and of those below it."""
    above = ancestor_paths(org.path)
    return StudyPlan.unscoped.filter(
        Q(owner_path__startswith=org.path) | Q(owner_path__in=above),
        annulled_at__isnull=True,
        deadline__gte=period.start,
        deadline__lte=period.end,
    )


def expected_bases(plan: StudyPlan) -> set[int]:
    """The base organisations a plan expects: those below its owner on its deadline."""
    owner = OrgState.unscoped.filter(holding_on(plan.deadline), org_id=plan.owner_id).first()
    if owner is None:
        return set()
    return set(
        OrgState.unscoped.filter(
            holding_on(plan.deadline), path__startswith=owner.path, kind__in=BASE_KINDS
        ).values_list("org_id", flat=True)
    )


def held_by_deadline(plan: StudyPlan) -> set[int]:
    """The organisations that held a session of `plan` (not annulled) by its deadline."""
    return set(
        StudySession.unscoped.filter(
            plan=plan, annulled_at__isnull=True, held_on__lte=plan.deadline
        ).values_list("organization_id", flat=True)
    )


def _studied(org, stood, period) -> Measure:
    """One query: the base organisations at the period's end, each with whether a plan of the
    period expected it (its state on the plan's deadline below the owner's state then) and
    whether one such plan saw no session of it by the deadline."""
    plans = plans_of_period(org, period).annotate(
        owner_then=Subquery(
            OrgState.unscoped.filter(holding_on(OuterRef("deadline")), org_id=OuterRef("owner_id"))
            .order_by()
            .values("path")[:1]
        )
    )
    expecting = plans.filter(
        Exists(
            OrgState.unscoped.filter(
                holding_on(OuterRef("deadline")),
                org_id=OuterRef(OuterRef("org_id")),
                kind__in=BASE_KINDS,
                path__startswith=OuterRef("owner_then"),
            )
        )
    )
    held = StudySession.unscoped.filter(
        plan=OuterRef("pk"),
        organization_id=OuterRef(OuterRef("org_id")),
        annulled_at__isnull=True,
        held_on__lte=OuterRef("deadline"),
    )
    counts = (
        _bases_then(stood, period)
        .alias(expected=Exists(expecting), missed=Exists(expecting.exclude(Exists(held))))
        .filter(expected=True)
        .aggregate(of=Count("pk"), done=Count("pk", filter=Q(missed=False)))
    )
    return Measure(percent(counts["done"], counts["of"]), counts["done"], counts["of"])


MEASURES = {
    Indicator.MEMBERS_GOOD: _members_good,
    Indicator.BASE_GOOD: _base_good,
    Indicator.ADMITTED: _admitted,
    Indicator.NEW_PRIVATE: _new_private,
    Indicator.STUDIED: _studied,
}
