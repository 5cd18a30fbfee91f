"""The rules a member's grade of a year must satisfy, read from the assessment rule set in force
on 31 December of that year (core.rules.ASSESSMENT_RULE_SETS): QĐ 132 + HD 21 from 2018, QĐ 124
+ HD 25 from late 2023, QĐ 366 + HD 43 from 30/8/2025 (domain-rules §4).

Each check returns "" or the reason the grade is refused, in the officer's words; the services
(`services.propose_grades`, `decide_grades`, `correct_grade`) and the import call them.
"""

import datetime
from dataclasses import dataclass

from dangvien.assessments.models import GRADES, RANK, SHORT_LABELS, Grade, NotGraded
from dangvien.core.rules import Family, RuleBook, add_months, set_in_force


@dataclass(frozen=True)
class YearRules:
    """The assessment rules of one year."""

    year: int
    labels_before_2018: bool
    scoring: bool
    excellent_min: int
    good_min: int
    completed_min: int
    exceeding_min_percent: int
    late_max_percent: int
    disciplined_max_rank: int
    new_member_months: int
    new_org_months: int
    illness_months: int
    illness_max_rank: int
    maternity_not_graded: bool
    illness_not_graded: bool
    not_completed_years_flag: int
    quarterly: bool

    @classmethod
    def of(cls, year: int, book: RuleBook | None = None) -> "YearRules":
        book = book or RuleBook.load()
        day = datetime.date(year, 12, 31)

        def value(key: str) -> int:
            return book.value(key, day)

        return cls(
            year=year,
            labels_before_2018=bool(value("grade_labels_before_2018")),
            scoring=bool(value("score_scale_in_use")),
            excellent_min=value("score_excellent_min"),
            good_min=value("score_good_min"),
            completed_min=value("score_completed_min"),
            exceeding_min_percent=value("excellent_exceeding_tasks_min_percent"),
            late_max_percent=value("completed_late_tasks_max_percent"),
            disciplined_max_rank=value("disciplined_max_grade_rank"),
            new_member_months=value("new_member_not_graded_months"),
            new_org_months=value("new_org_not_graded_months"),
            illness_months=value("illness_capped_months"),
            illness_max_rank=value("illness_max_grade_rank"),
            maternity_not_graded=bool(value("maternity_not_graded")),
            illness_not_graded=bool(value("illness_not_graded")),
            not_completed_years_flag=value("not_completed_years_flag"),
            quarterly=bool(value("quarterly_reviews_in_use")),
        )

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def regulation(self) -> str:
        """The name of the assessment rule set the year is graded under."""
        found = set_in_force(Family.ASSESSMENT, self.year_end)
        return found.name if found else ""

    @property
    def illness_max_label(self) -> str:
        return _label(self.illness_max_rank)


@dataclass(frozen=True)
class Facts:
    """What the branch records with a grade: the score out of 100 and the conditions QĐ 366
    Điều 11 puts on top of it, and the months of sick leave (HD 21 mục II.6). None = not given."""

    score: int | None = None
    on_time: bool | None = None  # every task done on time, with quality
    exceeding_percent: int | None = None  # share of tasks exceeding requirements
    remedied: bool | None = None  # every shortcoming noted earlier remedied
    sick_months: int | None = None

    @classmethod
    def of(cls, assessment) -> "Facts":
        if assessment is None:
            return cls()
        return cls(
            assessment.score,
            assessment.tasks_on_time,
            assessment.exceeding_percent,
            assessment.shortcomings_remedied,
            assessment.sick_months,
        )


def _label(rank: int) -> str:
    return SHORT_LABELS[GRADES[rank - 1]]


def score_ceiling(rules: YearRules, facts: Facts) -> Grade:
    """The best grade a score allows with its conditions (QĐ 366 Điều 11): ≥ 90 with every
    task on time, ≥ 30% exceeding requirements and every earlier shortcoming remedied →
    excellent; ≥ 70 with every task on time → good; ≥ 50 → completed; below → not completed.
    A condition not given is not held against the member (an imported file carries only the
    score)."""
    on_time = facts.on_time is not False
    if (
        facts.score >= rules.excellent_min
        and on_time
        and (
            facts.exceeding_percent is None
            or facts.exceeding_percent >= rules.exceeding_min_percent
        )
        and facts.remedied is not False
    ):
        return Grade.EXCELLENT
    if facts.score >= rules.good_min and on_time:
        return Grade.GOOD
    if facts.score >= rules.completed_min:
        return Grade.COMPLETED
    return Grade.NOT_COMPLETED


def score_error(rules: YearRules, grade: str, facts: Facts) -> str:
    """A grade above what the score and its conditions allow (QĐ 366 Điều 11); a score given in
    a year graded without one."""
    if facts.score is None:
        return ""
    if not rules.scoring:
        return (
            f"Năm {rules.year} chưa chấm điểm theo thang 100 (QĐ 366-QĐ/TW áp dụng từ năm 2025): "
            "bỏ điểm."
        )
    if facts.score > 100:
        return "Điểm phải từ 0 đến 100."
    if not grade:
        return ""
    ceiling = score_ceiling(rules, facts)
    if RANK[Grade(grade)] >= RANK[ceiling]:
        return ""
    why = [f"{facts.score} điểm"]
    if facts.score >= rules.good_min and facts.on_time is False:
        why.append("chưa hoàn thành 100% nhiệm vụ đúng hạn")
    if facts.score >= rules.excellent_min:
        if facts.exceeding_percent is not None and (
            facts.exceeding_percent < rules.exceeding_min_percent
        ):
            why.append(
                f"{facts.exceeding_percent}% nhiệm vụ vượt yêu cầu "
                f"(cần từ {rules.exceeding_min_percent}%)"
            )
        if facts.remedied is False:
            why.append("chưa khắc phục hết hạn chế đã chỉ ra")
    return (
        f"{', '.join(why).capitalize()}: chỉ được xếp loại từ «{SHORT_LABELS[ceiling]}» trở "
        f"xuống (QĐ 366-QĐ/TW Điều 11: xuất sắc từ {rules.excellent_min}, tốt từ "
        f"{rules.good_min}, hoàn thành từ {rules.completed_min} điểm)."
    )


def org_score_ceiling(
    rules: YearRules, score: int, late: int | None, exceeding: int | None
) -> Grade:
    """The best grade a collective's score allows with its conditions (QĐ 366 Điều 11): ≥ 90
    with every task on time and ≥ 30% exceeding requirements → excellent; ≥ 70 with every task
    on time → good; ≥ 50 with at most 20% of tasks late → completed. A share not given is not
    held against the organisation."""
    on_time = not late
    if (
        score >= rules.excellent_min
        and on_time
        and (exceeding is None or exceeding >= rules.exceeding_min_percent)
    ):
        return Grade.EXCELLENT
    if score >= rules.good_min and on_time:
        return Grade.GOOD
    if score >= rules.completed_min and (late is None or late <= rules.late_max_percent):
        return Grade.COMPLETED
    return Grade.NOT_COMPLETED


def org_score_error(
    rules: YearRules, grade: str, score: int | None, late: int | None, exceeding: int | None
) -> str:
    """A collective's grade above what its score and conditions allow (QĐ 366 Điều 11)."""
    for share, label in ((late, "chậm tiến độ"), (exceeding, "vượt yêu cầu")):
        if share is not None and not 0 <= share <= 100:
            return f"Tỷ lệ nhiệm vụ {label} từ 0 đến 100%."
    if score is None:
        return ""
    if not rules.scoring:
        return (
            f"Năm {rules.year} chưa chấm điểm theo thang 100 (QĐ 366-QĐ/TW áp dụng từ năm 2025): "
            "bỏ điểm."
        )
    if score > 100:
        return "Điểm phải từ 0 đến 100."
    if not grade:
        return ""
    ceiling = org_score_ceiling(rules, score, late, exceeding)
    if RANK[Grade(grade)] >= RANK[ceiling]:
        return ""
    why = [f"{score} điểm"]
    if late:
        why.append(f"{late}% nhiệm vụ chậm tiến độ")
    if exceeding is not None and exceeding < rules.exceeding_min_percent:
        why.append(f"{exceeding}% nhiệm vụ vượt yêu cầu")
    return (
        f"{', '.join(why).capitalize()}: chỉ được xếp loại từ «{SHORT_LABELS[ceiling]}» trở "
        f"xuống (QĐ 366-QĐ/TW Điều 11: tập thể xuất sắc từ {rules.excellent_min} điểm và từ "
        f"{rules.exceeding_min_percent}% nhiệm vụ vượt yêu cầu, tốt từ {rules.good_min} điểm "
        f"với 100% nhiệm vụ đúng hạn, hoàn thành từ {rules.completed_min} điểm với không quá "
        f"{rules.late_max_percent}% nhiệm vụ chậm)."
    )


def reason_error(rules: YearRules, reason: str) -> str:
    """Maternity and illness are no reasons not to grade since HD 21-HD/BTCTW (2019) mục II.6:
    maternity is graded on the time worked, illness of 3 months or more caps the grade."""
    if reason == NotGraded.MATERNITY and not rules.maternity_not_graded:
        return (
            f"Năm {rules.year}, nghỉ thai sản không phải lý do không xếp loại: xếp loại theo kết "
            "quả thời gian làm việc thực tế (HD 21-HD/BTCTW mục II.6)."
        )
    if reason == NotGraded.ILLNESS and not rules.illness_not_graded:
        return (
            f"Năm {rules.year}, nghỉ ốm không phải lý do không xếp loại: ghi số tháng nghỉ ốm, "
            f"từ {rules.illness_months} tháng xếp loại cao nhất «{_label(rules.illness_max_rank)}» "
            "(HD 21-HD/BTCTW mục II.6); ốm đau lâu dài thì xét miễn sinh hoạt."
        )
    return ""


def is_new_member(rules: YearRules, admitted_on: datetime.date) -> bool:
    """Admitted less than the rule's months (6) before the year's end (HD 21 mục II.6)."""
    return add_months(admitted_on, rules.new_member_months) > rules.year_end


def new_member_error(rules: YearRules, admitted_on: datetime.date, grade: str, reason: str) -> str:
    """A member admitted less than 6 months before is reviewed but not graded; the reason "new
    member" for one admitted earlier is refused."""
    new = is_new_member(rules, admitted_on)
    if new and grade:
        return (
            f"Kết nạp ngày {admitted_on:%d/%m/%Y}, chưa đủ {rules.new_member_months} tháng đến "
            f"31/12/{rules.year}: chỉ kiểm điểm, không xếp loại, chọn "
            f"«{NotGraded.NEW_MEMBER.label}» (HD 21-HD/BTCTW mục II.6)."
        )
    if not new and reason == NotGraded.NEW_MEMBER:
        return (
            f"Kết nạp ngày {admitted_on:%d/%m/%Y}, đã đủ {rules.new_member_months} tháng trong năm "
            f"{rules.year}: phải xếp loại."
        )
    return ""


def illness_error(rules: YearRules, grade: str, sick_months: int | None) -> str:
    """Sick leave of the rule's months (3) or more in the year caps the grade (HD 21 II.6)."""
    if not grade or sick_months is None or sick_months < rules.illness_months:
        return ""
    if RANK[Grade(grade)] >= rules.illness_max_rank:
        return ""
    return (
        f"Nghỉ ốm {sick_months} tháng trong năm (từ {rules.illness_months} tháng): chỉ được xếp "
        f"loại từ «{_label(rules.illness_max_rank)}» trở xuống (HD 21-HD/BTCTW mục II.6)."
    )


def exempt_error(rules: YearRules, exempt_since: datetime.date | None, grade: str) -> str:
    """A member exempted from work and party activity (Điều lệ Đảng Điều 8; QĐ 24 §7.1) during
    the year is not graded."""
    if not grade or exempt_since is None or exempt_since > rules.year_end:
        return ""
    return (
        f"Được miễn công tác và sinh hoạt đảng từ {exempt_since:%d/%m/%Y}: không xếp loại, "
        f"chọn «{NotGraded.EXEMPT.label}»."
    )


def discipline_error(rules: YearRules, grade: str, disciplined: bool) -> str:
    """A member disciplined in the year is graded at most the rule set's grade: "không hoàn
    thành" since HD 21-HD/BTCTW (2019), kept by QĐ 124 (domain-briefs, corrections)."""
    if not grade or not disciplined or RANK[Grade(grade)] >= rules.disciplined_max_rank:
        return ""
    if rules.disciplined_max_rank == len(GRADES):
        return (
            "Đảng viên bị kỷ luật trong năm xếp loại «Không hoàn thành» (HD 21-HD/BTCTW: một "
            "vi phạm bị xử lý kỷ luật chỉ tính một lần khi xếp loại)."
        )
    return (
        "Đảng viên bị kỷ luật trong năm chỉ được xếp loại từ "
        f"«{_label(rules.disciplined_max_rank)}» trở xuống."
    )


def range_error(facts: Facts) -> str:
    """The figures a screen or another caller may send out of their range (the forms bound
    them too, the service owns the rule)."""
    if facts.sick_months is not None and not 0 <= facts.sick_months <= 12:
        return "Số tháng nghỉ ốm trong năm từ 0 đến 12."
    if facts.exceeding_percent is not None and not 0 <= facts.exceeding_percent <= 100:
        return "Tỷ lệ nhiệm vụ vượt yêu cầu từ 0 đến 100%."
    return ""


def member_error(
    rules: YearRules,
    member,
    grade: str,
    reason: str,
    facts: Facts,
) -> str:
    """The first rule of the year (other than discipline and suspension, checked by the
    services with their records) a member's grade or reason breaks; "" when none."""
    return (
        range_error(facts)
        or reason_error(rules, reason)
        or new_member_error(rules, member.admitted_on, grade, reason)
        or exempt_error(rules, member.exempt_since, grade)
        or illness_error(rules, grade, facts.sick_months)
        or score_error(rules, grade, facts)
    )
