"""Reads across several years of assessment: a member's grades over the years and members not
completed two years in a row (screening: a proposal to strike them off, domain-rules §4.3).
Organisations excellent N years in a row (the streak that earns an award): `streaks.py`.

Every list is a few SQL queries over the indexed (year, path) columns whatever the size of the
subtree; members are never loaded to be counted.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from dangvien.assessments.grading import YearRules
from dangvien.assessments.models import (
    SHORT_LABELS,
    Commitment,
    Grade,
    MemberAssessment,
    NotGraded,
)
from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization

NOT_ASSESSED = "Chưa xếp loại"


@dataclass(frozen=True)
class YearGrade:
    """A member's outcome of one year: a final grade, a reason not to grade, or nothing yet."""

    year: int
    grade: str
    not_graded: str
    branch_name: str

    @property
    def label(self) -> str:
        if self.grade:
            return Grade(self.grade).label
        if self.not_graded:
            return f"Không xếp loại: {NotGraded(self.not_graded).label}"
        return NOT_ASSESSED

    @property
    def short_label(self) -> str:
        if self.grade:
            return SHORT_LABELS[Grade(self.grade)]
        return "Không xếp loại" if self.not_graded else NOT_ASSESSED


def member_grades(member: Member) -> list[YearGrade]:
    """The member's outcome of every year with an assessment, newest first: one query.

    The caller has already reached `member` through the scope (the profile page); a grade still
    being decided (a proposal, a self-grade) is shown as not assessed yet."""
    rows = (
        MemberAssessment.unscoped.filter(member=member)
        .order_by("-year")
        .values_list("year", "grade", "not_graded", "branch__name")
    )
    return [YearGrade(*row) for row in rows]


def commitment_of(member: Member, year: int) -> Commitment | None:
    """The member's commitment of `year`, if registered."""
    return Commitment.unscoped.filter(member=member, year=year).first()


# Members not completed two years in a row


@dataclass(frozen=True)
class ScreeningCase:
    """A member graded not completed in the year and the year before."""

    assessment: MemberAssessment
    can_open_record: bool

    @property
    def member(self) -> Member:
        return self.assessment.member

    @property
    def proposed_strike_off(self) -> bool:
        """Still a member: the branch should consider striking them off."""
        return self.member.status in ACTIVE_STATUSES


def _not_completed_rows(user, org: Organization, year: int):
    """The year's «không hoàn thành» grades in `org`'s subtree that were also «không hoàn
    thành» each of the years before, as many in a row as the rule set of `year` says."""
    years = YearRules.of(year).not_completed_years_flag
    rows = visible(user, MemberAssessment).filter(
        year=year, grade=Grade.NOT_COMPLETED, branch_path__startswith=org.path
    )
    for back in range(1, years):
        previous = MemberAssessment.unscoped.filter(
            member_id=OuterRef("member_id"), year=year - back, grade=Grade.NOT_COMPLETED
        )
        rows = rows.filter(Exists(previous))
    return rows


def not_completed_twice(user, org: Organization, year: int) -> list[ScreeningCase]:
    """Members graded "not completed" in `year` in `org`'s subtree who were also "not
    completed" the years before (wherever they were then): as many years in a row as the
    assessment rule set of `year` says (`not_completed_years_flag`, 2), one query with EXISTS.

    Two consecutive years not completed lead to a proposal to strike the member off
    (Điều lệ Đảng Điều 8; QĐ 124 / HD 43; domain-rules §4.3, §2.9)."""
    rows = _not_completed_rows(user, org, year).select_related("member", "branch")
    rows = rows.order_by("branch__sort_key", "branch_id", "member__sort_key", "member_id")
    return [ScreeningCase(row, can(user, Capability.VIEW, row.member.branch_path)) for row in rows]


def not_completed_count(user, org: Organization, year: int) -> int:
    """How many members `not_completed_twice` lists, counted in the database."""
    return _not_completed_rows(user, org, year).count()


def last_completed_year(today: datetime.date) -> int:
    """The latest year whose assessment is normally over (the default of the history pages)."""
    return today.year - 1
