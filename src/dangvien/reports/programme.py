"""The action programme report (báo cáo thực hiện chương trình hành động) of an organisation
for a year or a term: each target of its programme of exactly that period with its actual value
and met / not met (programmes/targets.py), and the reviews recorded, their figures as frozen.

The tree is read as it stood at the period's end (or today for a period not over); an
organisation that did not exist then has no report (DomainError saying when it was established
or ended). An organisation without a programme of that period has a report with no target."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dangvien.organizations import dated
from dangvien.organizations.models import Organization, kind_label
from dangvien.programmes.indicators import Period
from dangvien.programmes.models import ActionProgramme, ProgrammeReview
from dangvien.programmes.services import find_programme
from dangvien.programmes.targets import TargetFigures, figures_of
from dangvien.reports.admissions import report_period
from dangvien.reports.membership import as_it_stood


@dataclass(frozen=True)
class ReviewSummary:
    kind_label: str
    year: int
    reviewed_on: datetime.date
    note: str
    figures: list  # ReviewFigure rows, as frozen (and corrected)

    @property
    def met(self) -> int:
        return sum(1 for figure in self.figures if figure.met)


@dataclass(frozen=True)
class ProgrammeReport:
    org_code: str
    org_name: str
    org_kind: str
    year_from: int
    year_to: int
    as_of: datetime.date  # the day the tree and the records were read
    programme: ActionProgramme | None
    targets: list[TargetFigures]
    reviews: list[ReviewSummary]

    @property
    def org_kind_label(self) -> str:
        return kind_label(self.org_kind)

    @property
    def period_label(self) -> str:
        if self.year_from == self.year_to:
            return f"năm {self.year_from}"
        return f"nhiệm kỳ {self.year_from}-{self.year_to}"

    @property
    def met(self) -> int:
        return sum(1 for row in self.targets if row.met)

    @property
    def not_met(self) -> int:
        return sum(1 for row in self.targets if row.met is False)

    @property
    def unknown(self) -> int:
        return sum(1 for row in self.targets if row.met is None)


def programme_report(org: Organization, year_from: int, year_to: int) -> ProgrammeReport:
    """The programme of `org` for the year `year_from` (= `year_to`) or the term, measured."""
    today = timezone.localdate()
    end = report_period(year_from, year_to, today)[1]
    period = Period.of(year_from, year_to)
    with dated.one_reading():
        stood = as_it_stood(org, end)
    term = None if year_from == year_to else (year_from, year_to)
    programme = find_programme(org, year_from if term is None else None, term)
    targets = figures_of(programme) if programme is not None else []
    return ProgrammeReport(
        org_code=stood.code,
        org_name=stood.name,
        org_kind=stood.kind,
        year_from=year_from,
        year_to=year_to,
        as_of=period.day,
        programme=programme,
        targets=targets,
        reviews=_reviews(programme) if programme is not None else [],
    )


def _reviews(programme: ActionProgramme) -> list[ReviewSummary]:
    reviews = ProgrammeReview.unscoped.filter(programme=programme).prefetch_related("figures")
    return [
        ReviewSummary(
            kind_label=review.get_kind_display(),
            year=review.year,
            reviewed_on=review.reviewed_on,
            note=review.note,
            figures=list(review.figures.all()),
        )
        for review in reviews.order_by("reviewed_on", "id")
    ]
