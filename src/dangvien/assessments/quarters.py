"""Quarterly reviews (kiểm điểm, đánh giá hằng quý): QĐ 366-QĐ/TW Điều 1 reviews collectives
and individuals by term, year, quarter or when needed. From the assessment rule set that says so
(`quarterly_reviews_in_use`, QĐ 366 on), a branch records each member's review of a quarter once
the quarter has begun: the grade (the four grades), the score out of 100 when given (a grade the
score does not allow is refused, QĐ 366 Điều 11) and a comment. Who is reviewed quarterly is the
branch's choice [U]: rows left empty are not recorded. The year's screen shows the quarters."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dangvien.assessments.grading import Facts, YearRules, score_error
from dangvien.assessments.models import SHORT_LABELS, Grade, QuarterReview
from dangvien.assessments.services import RowErrors, _audit_many, _stale_rows
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require, visible
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization

ACTIONS = "quarter."


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * (quarter - 1) + 1, 1)


def check_quarter(year: int, quarter: int) -> YearRules:
    """The year's rules, when its quarter may be reviewed: the rule set holds quarterly
    reviews, and the quarter has begun."""
    if not 1 <= quarter <= 4:
        raise DomainError("Quý từ 1 đến 4.")
    rules = YearRules.of(year)
    if not rules.quarterly:
        raise DomainError(
            f"Năm {year} đánh giá theo {rules.regulation}: chưa có đánh giá hằng quý "
            "(QĐ 366-QĐ/TW, từ năm 2025)."
        )
    if quarter_start(year, quarter) > timezone.localdate():
        raise DomainError(f"Quý {quarter}/{year} chưa bắt đầu.")
    return rules


@dataclass
class QuarterRow:
    """A member on the quarter's screen, with the review of the quarter and the year's others."""

    member: Member
    review: QuarterReview | None
    others: dict[int, QuarterReview]  # quarter → review, the year's other quarters


def quarter_rows(user, branch: Organization, year: int, quarter: int) -> list[QuarterRow]:
    """Every active member of the branch, in name order, with their reviews of the year: two
    queries."""
    members = list(
        visible(user, Member, Capability.MANAGE_MEMBERS)
        .filter(branch=branch, status__in=ACTIVE_STATUSES)
        .order_by("sort_key", "id")
    )
    reviews: dict[int, dict[int, QuarterReview]] = {}
    for review in QuarterReview.unscoped.filter(year=year, member_id__in=[m.pk for m in members]):
        reviews.setdefault(review.member_id, {})[review.quarter] = review
    rows = []
    for member in members:
        year_reviews = reviews.get(member.pk, {})
        others = {q: r for q, r in year_reviews.items() if q != quarter}
        rows.append(QuarterRow(member, year_reviews.get(quarter), others))
    return rows


def year_quarters(member_ids, year: int) -> dict[int, dict[int, QuarterReview]]:
    """member id → quarter → review of `year`: one query (the year's grading screen)."""
    found: dict[int, dict[int, QuarterReview]] = {}
    for review in QuarterReview.unscoped.filter(year=year, member_id__in=list(member_ids)):
        found.setdefault(review.member_id, {})[review.quarter] = review
    return found


def _label(review: QuarterReview | None) -> str | None:
    return SHORT_LABELS[Grade(review.grade)] if review is not None and review.grade else None


@transaction.atomic
def record_quarter(
    actor, branch: Organization, year: int, quarter: int, rows: dict[int, dict]
) -> list[QuarterReview]:
    """The branch's reviews of a quarter, many members at once: every row is checked first,
    one refused row saves nothing (RowErrors lists them all). `rows` maps member id →
    {"grade", "score", "comment", "version"}."""
    require(actor, Capability.MANAGE_MEMBERS, branch.path)
    rules = check_quarter(year, quarter)
    members = {
        m.pk: m
        for m in Member.unscoped.filter(
            pk__in=list(rows), branch=branch, status__in=ACTIVE_STATUSES
        )
    }
    if set(rows) - set(members):
        raise DomainError(
            "Có người trong danh sách không thuộc chi bộ này hoặc không còn là đảng viên."
        )
    existing = {
        r.member_id: r
        for r in QuarterReview.unscoped.filter(
            year=year, quarter=quarter, member_id__in=list(members)
        )
    }
    stale = _stale_rows(QuarterReview, existing, members, rows, actions=ACTIONS)
    if stale.errors:
        raise stale
    errors = {}
    for member_id, row in rows.items():
        grade, score = row.get("grade", ""), row.get("score")
        if grade and grade not in Grade.values:
            message = "Xếp loại không hợp lệ."
        elif not grade:
            message = "Chọn xếp loại của quý (một đánh giá đã ghi không bỏ trống được)."
        else:
            message = score_error(rules, grade, Facts(score=score))
        if message:
            errors[member_id] = f"{members[member_id].full_name}: {message}"
    if errors:
        raise RowErrors(errors)
    now_user = actor if getattr(actor, "is_authenticated", False) else None
    created, updated, changed = [], [], []
    for member_id, row in rows.items():
        member, review = members[member_id], existing.get(member_id)
        old = _label(review)
        old_score = review.score if review is not None else None
        old_comment = review.comment if review is not None else ""
        if review is None:
            review = QuarterReview(
                member=member,
                year=year,
                quarter=quarter,
                branch=branch,
                branch_path=branch.path,
            )
            created.append(review)
        else:
            review.version = F("version") + 1
            updated.append(review)
        review.grade, review.score = row["grade"], row.get("score")
        review.comment = row.get("comment", "").strip()
        review.recorded_by, review.recorded_at = now_user, timezone.now()
        changes = {}
        if old != SHORT_LABELS[Grade(review.grade)]:
            changes[f"quarter_{quarter}_{year}"] = [old, SHORT_LABELS[Grade(review.grade)]]
        if old_score != review.score:
            changes[f"quarter_{quarter}_score_{year}"] = [old_score, review.score]
        if old_comment != review.comment:
            changes[f"quarter_{quarter}_comment_{year}"] = [old_comment, review.comment]
        if changes:
            changed.append((member, changes))
    QuarterReview.unscoped.bulk_create(created)
    QuarterReview.unscoped.bulk_update(
        updated, ["grade", "score", "comment", "recorded_by", "recorded_at", "version"]
    )
    _audit_many(actor, "quarter.record", changed)
    return [*created, *updated]
