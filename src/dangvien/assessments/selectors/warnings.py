"""What the round's page asks the officer to look at before grades are final (issue 16): grades
without the score their year is graded by, members not completed years in a row, working
members whose residence branch's yearly comment has not arrived (QĐ 213-QĐ/TW, HD 33-HD/BTCTW).
Each figure is one count over the indexed paths."""

from dataclasses import dataclass

from django.urls import reverse

from dangvien.assessments.grading import YearRules
from dangvien.assessments.history import not_completed_count
from dangvien.assessments.models import MemberAssessment
from dangvien.core.scope import visible
from dangvien.organizations.models import Organization
from dangvien.residence.selectors import missing_comments


@dataclass(frozen=True)
class RoundWarning:
    key: str
    count: int
    text: str
    url: str = ""


def round_warnings(user, year: int, org: Organization) -> list[RoundWarning]:
    """The warnings of `org`'s subtree in `year`, those with a count only."""
    rules = YearRules.of(year)
    warnings = []
    if rules.scoring:  # QĐ 366-QĐ/TW Điều 11: the grade rests on the score
        unscored = (
            visible(user, MemberAssessment)
            .filter(year=year, branch_path__startswith=org.path, score__isnull=True)
            .exclude(grade="")
            .count()
        )
        warnings.append(
            RoundWarning(
                "unscored",
                unscored,
                "đảng viên đã xếp loại nhưng chưa có điểm theo thang 100 (QĐ 366-QĐ/TW)",
            )
        )
    twice = not_completed_count(user, org, year)
    warnings.append(
        RoundWarning(
            "screening",
            twice,
            f"đảng viên {rules.not_completed_years_flag} năm liền không hoàn thành nhiệm vụ: "
            "xem xét đưa ra khỏi Đảng",
            f"{reverse('assessments:screening')}?org={org.code}&year={year}",
        )
    )
    # QĐ 213-QĐ/TW, HD 33-HD/BTCTW: the residence branch's comment is an input of the grade.
    missing = missing_comments(org.path, year).count()
    warnings.append(
        RoundWarning(
            "residence",
            missing,
            "đảng viên đang công tác chưa có nhận xét của chi bộ nơi cư trú năm "
            f"{year} (QĐ 213-QĐ/TW)",
            f"{reverse('residence:org', args=[org.code])}?year={year}",
        )
    )
    return [warning for warning in warnings if warning.count]
