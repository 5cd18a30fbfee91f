"""Reviews of an action programme (sơ kết 6 tháng, tổng kết năm, tổng kết nhiệm kỳ): each
target's actual and met frozen as of the review's day, never recomputed; a figure corrected only
with a reason, the old value kept in the history."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.validation import require_reason
from dangvien.programmes.models import ActionProgramme, ProgrammeReview, ReviewFigure, ReviewKind
from dangvien.programmes.services import amount, clean_text, locked, may_write, parse_value
from dangvien.programmes.targets import figures_of, is_met


def review_refusal(programme: ActionProgramme, kind: str, year: int, day: datetime.date) -> str:
    """Why a review of `kind` about `year` on `day` cannot be recorded ("" when it can)."""
    if kind not in ReviewKind.values:
        return "Chọn sơ kết 6 tháng, tổng kết năm hoặc tổng kết nhiệm kỳ."
    if not programme.first_year <= year <= programme.last_year:
        return f"Năm {year} ngoài kỳ của chương trình ({programme.period_label})."
    if kind == ReviewKind.TERM_END and programme.year is not None:
        return "Tổng kết nhiệm kỳ chỉ dành cho chương trình của nhiệm kỳ."
    if day is None or day > timezone.localdate():
        return "Ngày sơ kết, tổng kết không được ở tương lai."
    if day < datetime.date(year, 1, 1):
        return f"Ngày sơ kết, tổng kết trước năm {year}."
    if kind != ReviewKind.TERM_END and day.year > year + 1:
        return f"Sơ kết, tổng kết năm {year} được ghi chậm nhất trong năm {year + 1}."
    return ""


def review_cut(kind: str, year: int, day: datetime.date) -> datetime.date:
    """The last day a review's figures count: its own day, and for the review of a year no
    later than that year's end (a year-end review held in January counts the year only)."""
    if kind == ReviewKind.TERM_END:
        return day
    return min(day, datetime.date(year, 12, 31))


@transaction.atomic
def record_review(
    actor,
    programme: ActionProgramme,
    *,
    kind: str,
    year: int,
    reviewed_on: datetime.date,
    note: str = "",
) -> ProgrammeReview:
    """A review: every target's actual and met as of `reviewed_on` frozen (the computed ones
    measured up to that day, the hand-tracked ones as last recorded by then). Once recorded it
    is not recomputed; a figure is corrected only with a reason (`correct_figure`)."""
    may_write(actor, programme.owner_path)
    programme = locked(ActionProgramme, programme)
    if problem := review_refusal(programme, kind, year, reviewed_on):
        raise DomainError(problem, field="reviewed_on" if "Ngày" in problem else "kind")
    note = clean_text(note, field="note", label="Nhận xét", multiline=True)
    try:
        with transaction.atomic():
            review = ProgrammeReview.unscoped.create(
                programme=programme,
                kind=kind,
                year=year,
                reviewed_on=reviewed_on,
                note=note,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        raise DomainError(
            f"Đã có {ReviewKind(kind).label.lower()} năm {year} của chương trình này.", field="kind"
        ) from None
    rows = figures_of(programme, cut=review_cut(kind, year, reviewed_on))
    ReviewFigure.unscoped.bulk_create(
        ReviewFigure(
            review=review,
            target_id=row.target_id,
            label=row.label,
            comparator=row.comparator,
            value=row.value,
            actual=None if row.actual is None else Decimal(str(row.actual)),
            met=row.met,
        )
        for row in rows
    )
    audit.record(
        actor,
        "programme_review.record",
        programme,
        org_path=programme.owner_path,
        changes={"review": [None, str(review)]},
        effective_on=reviewed_on,
    )
    return review


@transaction.atomic
def correct_figure(
    actor,
    figure: ReviewFigure,
    *,
    actual,
    reason: str,
    expected_version: str | None = None,
) -> ReviewFigure:
    """A review's figure corrected (a result found wrong after the review): the reason kept,
    the old value in the history, met compared again."""
    review = figure.review
    may_write(actor, review.programme.owner_path)
    figure = locked(ReviewFigure, figure)
    versions.check(figure, expected_version, actions="programme_review.correct", label=figure.label)
    reason = require_reason(reason, "Ghi lý do đính chính.")
    new = None if actual in (None, "") else parse_value(actual)
    old = figure.actual
    figure.actual = new
    figure.met = is_met(new, figure.comparator, figure.value)
    figure.corrected_reason = reason
    figure.save(update_fields=["actual", "met", "corrected_reason"])
    versions.bump(figure)
    audit.record(
        actor,
        "programme_review.correct",
        figure,
        org_path=review.programme.owner_path,
        changes={"actual": [amount(old), amount(new)]},
        reason=reason,
    )
    return figure
