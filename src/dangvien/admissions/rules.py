"""The admission and probation rules (Điều lệ Đảng, Điều 1, 4, 5; QĐ 294; HD 12-HD/BTCTW), as pure
functions of the rule set in force: each returns the Vietnamese reason it refuses, or None.

Values (ages, months, vote shares) come from `core.rules.RuleBook` on the date of the step.
"""

import datetime
import re

from dangvien.core.rules import RuleBook, add_months, months_between

GRADE = re.compile(r"^\s*(\d{1,2})\s*(?:/\s*(\d{1,2}))?\s*$")
# The old 10-year general education (hệ 10 năm, the North until the 1981 reform merged it into
# the 12-year system): primary 1-4, lower secondary 5-7, upper secondary 8-10. Its grades read
# as the 12-year grade completing the same level: "4/10" primary (5/12), "7/10" lower
# secondary (9/12), "10/10" upper secondary (12/12); grades in between by their place in the
# level (domain-briefs.md "Corrections to what exists": "x/10" is lower-secondary complete at
# x ≥ 7, "x/12" at x ≥ 9).
_TEN_YEAR_AS_TWELVE = {1: 1, 2: 2, 3: 3, 4: 5, 5: 6, 6: 7, 7: 9, 8: 10, 9: 11, 10: 12}


def age_problem(
    birth: datetime.date, on: datetime.date, rules: RuleBook
) -> tuple[str, bool] | None:
    """Age at the branch's review, counted in months: 18 to 60 (Điều lệ Đảng, Điều 1; QĐ 294 §1).
    Returns (reason, can_be_excepted): over 60 needs the provincial standing committee's consent."""
    age = months_between(birth, on)
    minimum = rules.value("admission_min_age_months", on)
    maximum = rules.value("admission_max_age_months", on)
    if age < minimum:
        return (
            f"Người vào Đảng phải đủ {minimum // 12} tuổi (tính theo tháng) khi chi bộ xét kết "
            f"nạp; ngày sinh {birth:%d/%m/%Y}, đến {on:%d/%m/%Y} mới {age // 12} tuổi "
            f"{age % 12} tháng.",
            False,
        )
    if age > maximum:
        return (
            f"Người vào Đảng trên {maximum // 12} tuổi ({age // 12} tuổi {age % 12} tháng) cần "
            "văn bản đồng ý của ban thường vụ tỉnh ủy: ghi nhận ngoại lệ kèm số văn bản.",
            True,
        )
    return None


def education_problem(general_education: str, on: datetime.date, rules: RuleBook) -> str | None:
    """At least lower-secondary school ("9/12", or "7/10" in the old 10-year system), unless an
    exception is recorded (QĐ 294 §3.1; `min_general_education_grade` counts 12-year grades)."""
    minimum = rules.value("min_general_education_grade", on)
    grade = twelve_year_grade(general_education)
    if grade is None and not (general_education or "").strip():
        return "Chưa ghi trình độ giáo dục phổ thông (ví dụ 12/12 hoặc 7/10) của người vào Đảng."
    if grade is None:
        return (
            f"Chưa ghi rõ trình độ giáo dục phổ thông «{general_education.strip()}» của người "
            "vào Đảng: ghi lớp/hệ, ví dụ 12/12 (hệ 12 năm) hoặc 7/10 (hệ 10 năm)."
        )
    if grade < minimum:
        ten = min((x for x, y in _TEN_YEAR_AS_TWELVE.items() if y >= minimum), default=None)
        old_system = f" (hệ 10 năm: lớp {ten}/10)" if ten else ""
        return (
            f"Trình độ giáo dục phổ thông {general_education.strip()} thấp hơn lớp {minimum}/12"
            f"{old_system}: cần ghi nhận ngoại lệ kèm căn cứ (vùng cao, vùng sâu, vùng đồng bào "
            "dân tộc thiểu số...)."
        )
    return None


def twelve_year_grade(general_education: str) -> int | None:
    """The grade of a schooling text in the 12-year system: "9/12" → 9, "7/10" → 9 (the old
    10-year system, `_TEN_YEAR_AS_TWELVE`), "9" → 9; None when unreadable (no grade, a grade
    above its system's last, a system other than 10 or 12 years)."""
    match = GRADE.match(general_education or "")
    if match is None:
        return None
    grade, years = int(match[1]), int(match[2] or 12)
    if years not in (10, 12) or not 1 <= grade <= years:
        return None
    return _TEN_YEAR_AS_TWELVE[grade] if years == 10 else grade


def certificate_problem(
    attended_on: datetime.date | None, on: datetime.date, rules: RuleBook
) -> str | None:
    """The awareness-class certificate exists and is no older than its validity (60 months)."""
    if attended_on is None:
        return "Người vào Đảng chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng."
    valid = rules.value("awareness_certificate_valid_months", on)
    if attended_on > on:
        return "Giấy chứng nhận lớp nhận thức được cấp sau ngày chi bộ xét."
    if add_months(attended_on, valid) < on:
        return (
            f"Giấy chứng nhận lớp nhận thức cấp ngày {attended_on:%d/%m/%Y} đã quá {valid} tháng "
            f"khi chi bộ xét ({on:%d/%m/%Y}): người vào Đảng phải học lại."
        )
    return None


def introducer_problem(
    *,
    name: str,
    status_on_letter: str,
    official_on: datetime.date | None,
    together_since: datetime.date,
    letter_on: datetime.date,
    rules: RuleBook,
) -> str | None:
    """An introducer is an official member on the date of the letter and has worked, studied or
    lived beside the applicant for at least 12 months (Điều lệ Đảng, Điều 4; QĐ 294 §3.3)."""
    if status_on_letter != "official" or official_on is None or official_on > letter_on:
        return (
            f"{name} chưa là đảng viên chính thức vào ngày {letter_on:%d/%m/%Y}: người giới "
            "thiệu phải là đảng viên chính thức."
        )
    months = rules.value("introducer_min_months_together", letter_on)
    if add_months(together_since, months) > letter_on:
        return (
            f"{name} mới cùng công tác với người vào Đảng từ {together_since:%d/%m/%Y}: người "
            f"giới thiệu phải cùng công tác, học tập hoặc cư trú ít nhất {months} tháng."
        )
    return None


def vote_passes(votes_for: int, votes_total: int, on: datetime.date, rules: RuleBook) -> bool:
    """At least two thirds of those entitled to vote agree (Điều lệ Đảng, Điều 4 and 5)."""
    numerator = rules.value("vote_share_numerator", on)
    denominator = rules.value("vote_share_denominator", on)
    return votes_for * denominator >= votes_total * numerator


def vote_share_label(on: datetime.date, rules: RuleBook) -> str:
    return f"{rules.value('vote_share_numerator', on)}/{rules.value('vote_share_denominator', on)}"
