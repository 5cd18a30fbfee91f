"""Versioned rule sets: every number of a regulation lives here with the date it took effect.

A report for 2016 is computed under the rules of 2016: `RuleBook.on(date)` picks the rule set in
force on that date. The system administrator edits values in the UI; these are the defaults the
first migration loads (domain.md, domain-rules.md §2).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

# key → (Vietnamese label, default value)
RULE_KEYS: dict[str, tuple[str, int]] = {
    "admission_min_age_months": ("Tuổi tối thiểu khi xét kết nạp (tháng)", 216),
    "admission_max_age_months": ("Tuổi tối đa khi xét kết nạp nếu không có ngoại lệ (tháng)", 720),
    "probation_months": ("Thời gian dự bị (tháng)", 12),
    "awareness_certificate_valid_months": ("Hiệu lực giấy chứng nhận lớp nhận thức (tháng)", 60),
    "ceremony_deadline_working_days": ("Hạn tổ chức lễ kết nạp (ngày làm việc)", 30),
    "recognition_review_working_days": ("Hạn xét công nhận chính thức (ngày làm việc)", 30),
    "introducer_min_months_together": (
        "Người giới thiệu cùng công tác, học tập với người vào Đảng ít nhất (tháng)",
        12,
    ),
    "min_general_education_grade": (
        "Trình độ giáo dục phổ thông tối thiểu khi kết nạp (lớp, 9 = tốt nghiệp THCS)",
        9,
    ),
    "vote_share_numerator": ("Tỷ lệ tán thành tối thiểu khi biểu quyết: tử số", 2),
    "vote_share_denominator": ("Tỷ lệ tán thành tối thiểu khi biểu quyết: mẫu số", 3),
    "vote_attempts_before_upper_level": (
        "Số lần biểu quyết không đạt trước khi cấp trên quyết định",
        3,
    ),
    "probation_reminder_days": ("Nhắc trước khi hết thời gian dự bị (ngày)", 60),
    "old_card_digits": ("Số chữ số của số thẻ đảng viên mẫu cũ", 8),
    "branch_min_official_members": ("Số đảng viên chính thức tối thiểu của chi bộ", 3),
    "branch_committee_min_official_members": ("Số đảng viên chính thức để bầu chi ủy", 9),
    # Transfer of party activity (QĐ 294-QĐ/TW; HD 01-HD/TW §7; domain-rules §2.7)
    "transfer_start_working_days": (
        "Hạn bắt đầu làm thủ tục chuyển sinh hoạt đảng chính thức (ngày làm việc)",
        60,
    ),
    "transfer_present_working_days": (
        "Hạn xuất trình giấy giới thiệu sinh hoạt đảng (ngày làm việc)",
        30,
    ),
    "transfer_temporary_min_months": ("Chuyển sinh hoạt tạm thời từ (tháng)", 3),
    "transfer_temporary_max_months": ("Chuyển sinh hoạt tạm thời dưới (tháng)", 12),
    "transfer_study_max_months": ("Chuyển sinh hoạt tạm thời đi học tập trung tối đa (tháng)", 24),
    # Discipline: a complaint within one month of receiving the decision (Điều lệ Đảng; QĐ
    # 296-QĐ/TW; counted as 30 working days, domain-rules §7.3 R7.2)
    "discipline_complaint_working_days": (
        "Hạn khiếu nại quyết định kỷ luật kể từ ngày nhận quyết định (ngày làm việc)",
        30,
    ),
    # Inspection and supervision: the time a decision gives its team when it names none (the
    # regulation's limits are not confirmed, domain-briefs §3: configurable), and a member under
    # inspection not transferring (QĐ 29-QĐ/TW 2016, domain-rules §2.7; unconfirmed in QĐ 294)
    "inspection_default_working_days": (
        "Thời hạn một cuộc kiểm tra, giám sát khi quyết định không ghi (ngày làm việc)",
        30,
    ),
    # Denunciations: the handling period is unconfirmed (domain-rules §7.3: 60–90 days with one
    # extension, [U]); configurable, in working days from receipt.
    "denunciation_handling_working_days": (
        "Thời hạn giải quyết đơn tố cáo kể từ ngày nhận (ngày làm việc)",
        60,
    ),
    # Residents' letters: the time to answer is unconfirmed (domain-briefs §5); configurable.
    "petition_reply_working_days": (
        "Thời hạn trả lời đơn thư, phản ánh, kiến nghị kể từ ngày nhận (ngày làm việc)",
        30,
    ),
    # Branch life: a member who, without a good reason, takes no part in party activities
    # three months in a year is considered for striking off (Điều lệ Đảng Điều 8; domain-rules
    # §2.9, §9): the months of unexcused absence that raise the flag.
    "meeting_absence_months_flag": (
        "Số tháng trong năm vắng sinh hoạt không có lý do thì cảnh báo xem xét xóa tên "
        "(Điều lệ Đảng, Điều 8)",
        3,
    ),
    # The quality of a meeting as the branch scores it out of 100 (HD 12-HD/BTCTW 2018; the
    # bands are local practice, unconfirmed: domain-briefs §1).
    "meeting_quality_good_min_score": ("Điểm chất lượng buổi sinh hoạt từ mức này: Tốt", 85),
    "meeting_quality_fair_min_score": ("Điểm chất lượng buổi sinh hoạt từ mức này: Khá", 70),
    "meeting_quality_average_min_score": (
        "Điểm chất lượng buổi sinh hoạt từ mức này: Trung bình (thấp hơn: Kém)",
        50,
    ),
    "transfer_blocked_while_inspected": (
        "Đang bị kiểm tra (chưa kết luận) thì chưa chuyển sinh hoạt đảng (1 = có, 0 = không)",
        1,
    ),
    # Congress cycles (committees.terms.congress_dates), in months from a congress to the
    # next, by the organisation's kind, and how far it may be brought forward or delayed.
    # [C] a branch under a base committee: twice in 5 years, ±6 months (Điều lệ Đảng, Điều 21,
    # 24; domain-briefs «Corrections»); the pilot of QĐ 294-QĐ/TW (1/7/2025) makes it once in 5
    # years, which a rule set from that day may say. [U] the other levels: once in 5 years
    # (provincial, upper-level and base organisations), twice for a đảng bộ bộ phận, and the
    # same tolerance for every level.
    "congress_cycle_months_province": ("Chu kỳ đại hội đảng bộ tỉnh (tháng)", 60),
    "congress_cycle_months_upper": ("Chu kỳ đại hội đảng bộ cấp trên trực tiếp cơ sở (tháng)", 60),
    "congress_cycle_months_base": (
        "Chu kỳ đại hội đảng bộ cơ sở, chi bộ cơ sở (tháng)",
        60,
    ),
    "congress_cycle_months_partial": ("Chu kỳ đại hội đảng bộ bộ phận (tháng)", 30),
    "congress_cycle_months_sub_branch": ("Chu kỳ đại hội chi bộ trực thuộc (tháng)", 30),
    "congress_tolerance_months": (
        "Đại hội được tổ chức sớm hơn hoặc muộn hơn hạn tối đa (tháng)",
        6,
    ),
}

# -- Training (domain-briefs §12; issue 17 point 6) ------------------------------------------------
# [U] The recognition of an official member needs the certificate of the new-member class
# (lớp bồi dưỡng đảng viên mới) taken during probation: HD 12-HD/BTCTW 2022 lists it in the
# recognition file and provinces require it in practice (seed 000 "khóa I-2017"); the text is
# not confirmed, so 1 = required in every set by default, 0 where a rule set says otherwise.
# An authorised officer records an exception with its reason (training.services).
RULE_KEYS.update(
    {
        "new_member_class_required": (
            "Công nhận chính thức cần giấy chứng nhận lớp bồi dưỡng đảng viên mới",
            1,
        ),
    }
)

# -- Striking off and leaving (xóa tên, xin ra khỏi Đảng) ---------------------------------------
# Điều lệ Đảng Điều 8; QĐ 24-QĐ/TW §8.1 (kept by QĐ 294); domain-rules §2.9. [C] for a
# probationary member: the branch ≥ 2/3 of its official members, the base committee ≥ 2/3 of its
# members, the competent standing committee > 1/2 of its members. [U] for an official member the
# same shares are assumed (configurable). The self-review is requested up to 3 times, after the
# third refusal the branch proceeds [C partial]. The complaint period is unconfirmed [U: one
# month, as for discipline], in working days from the decision.
STRIKE_OFF_RULE_KEYS: dict[str, tuple[str, int]] = {}
for _who, _who_label in (("probationary", "đảng viên dự bị"), ("official", "đảng viên chính thức")):
    for _level, _level_label, _num, _den in (
        ("branch", "chi bộ (≥, trên số đảng viên chính thức)", 2, 3),
        ("base", "đảng ủy cơ sở (≥, trên số ủy viên)", 2, 3),
        ("standing", "ban thường vụ có thẩm quyền (>, trên số ủy viên)", 1, 2),
    ):
        _label = f"Xóa tên {_who_label}: tỷ lệ tán thành của {_level_label}"
        STRIKE_OFF_RULE_KEYS[f"strike_off_{_who}_{_level}_numerator"] = (f"{_label}: tử số", _num)
        STRIKE_OFF_RULE_KEYS[f"strike_off_{_who}_{_level}_denominator"] = (
            f"{_label}: mẫu số",
            _den,
        )
STRIKE_OFF_RULE_KEYS["strike_off_self_review_requests"] = (
    "Số lần yêu cầu tự kiểm điểm không được thực hiện thì chi bộ tiến hành xét xóa tên",
    3,
)
STRIKE_OFF_RULE_KEYS["strike_off_complaint_working_days"] = (
    "Hạn khiếu nại quyết định xóa tên, cho ra khỏi Đảng kể từ ngày quyết định (ngày làm việc)",
    30,
)
RULE_KEYS.update(STRIKE_OFF_RULE_KEYS)

# -- Awards and commendations (khen thưởng, awards app) -------------------------------------------
# HD 21-HD/BTCTW (18/10/2019) [C]: committees commend organisations «Trong sạch, vững mạnh tiêu
# biểu» and members «Hoàn thành xuất sắc nhiệm vụ tiêu biểu» yearly and 5 years running; the
# verification asks that no discipline was decided in the years commended (domain-briefs §10).
# [U] the thematic award for admissions work (seed 002, Quảng Nam): an organisation that admitted
# at least this share of its year's quota; provinces set their own bar.
RULE_KEYS.update(
    {
        "award_streak_years": ("Khen thưởng: số năm liền hoàn thành xuất sắc nhiệm vụ", 5),
        "award_admissions_min_percent": (
            "Khen thưởng công tác phát triển đảng viên: kết nạp đạt tối thiểu (% chỉ tiêu năm)",
            100,
        ),
    }
)

# -- Party age, re-admission and party badges (issue 17) ---------------------------------------
# Re-admission (kết nạp lại), QĐ 294-QĐ/TW §3.5.1 [C] (domain-rules §2.10, R2.13): at least 36
# months after leaving, or 60 months after the criminal record is cleared (xóa án tích) for
# someone sentenced for a less serious crime; once only in a lifetime.
RULE_KEYS.update(
    {
        "readmission_min_months_after_leaving": (
            "Kết nạp lại: ra khỏi Đảng ít nhất (tháng)",
            36,
        ),
        "readmission_min_months_after_record_cleared": (
            "Kết nạp lại: sau khi được xóa án tích ít nhất (tháng)",
            60,
        ),
        "readmission_max_times": ("Số lần được kết nạp lại tối đa trong đời", 1),
        # Party badges (Huy hiệu Đảng), HD 01-HD/TW 2021 §18 [C] (domain-rules §6, R6.1–R6.4):
        # 30 and 40 years, then every 5 years up to 90; early award for serious illness at most
        # 12 months before (30–65 years) or 24 months before (70–90 years); ceremonies on the
        # anniversaries 3/2, 19/5, 2/9, 7/11 (as MMDD: month × 100 + day).
        "badge_first_milestone_years": ("Huy hiệu Đảng: mốc đầu tiên (năm tuổi đảng)", 30),
        "badge_second_milestone_years": ("Huy hiệu Đảng: mốc thứ hai (năm tuổi đảng)", 40),
        "badge_milestone_step_years": ("Huy hiệu Đảng: từ mốc thứ hai, mỗi mốc cách (năm)", 5),
        "badge_last_milestone_years": ("Huy hiệu Đảng: mốc cao nhất (năm tuổi đảng)", 90),
        "badge_early_months_short": (
            "Huy hiệu Đảng: trao sớm khi ốm nặng tối đa (tháng), các mốc đến mốc dưới đây",
            12,
        ),
        "badge_early_short_until_years": (
            "Huy hiệu Đảng: mốc cao nhất được trao sớm theo thời hạn trên (năm)",
            65,
        ),
        "badge_early_months_long": (
            "Huy hiệu Đảng: trao sớm khi ốm nặng tối đa (tháng), các mốc cao hơn",
            24,
        ),
        "badge_ceremony_1_mmdd": ("Huy hiệu Đảng: ngày trao đợt 1 (tháng×100+ngày, 3/2)", 203),
        "badge_ceremony_2_mmdd": ("Huy hiệu Đảng: ngày trao đợt 2 (tháng×100+ngày, 19/5)", 519),
        "badge_ceremony_3_mmdd": ("Huy hiệu Đảng: ngày trao đợt 3 (tháng×100+ngày, 2/9)", 902),
        "badge_ceremony_4_mmdd": ("Huy hiệu Đảng: ngày trao đợt 4 (tháng×100+ngày, 7/11)", 1107),
    }
)

# -- The annual assessment (kiểm điểm, đánh giá, xếp loại chất lượng) ----------------------------
# Its own regulations change on their own dates (domain-rules §4.1), so its rules form a family of
# rule sets apart from the Charter's. The defaults are those of QĐ 366-QĐ/TW + HD 43-HD/BTCTW;
# ASSESSMENT_RULE_SETS below gives each earlier regulation its values. 1 = yes, 0 = no; a grade
# rank is 1 xuất sắc, 2 tốt, 3 hoàn thành, 4 không hoàn thành.
ASSESSMENT_RULE_KEYS: dict[str, tuple[str, int]] = {
    # Before QĐ 132-QĐ/TW (2018) members were graded by "tư cách đảng viên" (domain-briefs,
    # corrections: "Đủ tư cách, hoàn thành tốt nhiệm vụ"…; organisations "Trong sạch, vững
    # mạnh"…): the same four levels under other labels.
    "grade_labels_before_2018": (
        "Xếp loại ghi theo nhãn cũ trước năm 2018 (đủ tư cách…; trong sạch, vững mạnh…)",
        0,
    ),
    # QĐ 366-QĐ/TW Điều 11: a score out of 100 decides the grade, with conditions on top.
    "score_scale_in_use": ("Chấm điểm theo thang 100 điểm (QĐ 366)", 1),
    "score_excellent_min": ("Điểm tối thiểu để xếp loại hoàn thành xuất sắc nhiệm vụ", 90),
    "score_good_min": ("Điểm tối thiểu để xếp loại hoàn thành tốt nhiệm vụ", 70),
    "score_completed_min": (
        "Điểm tối thiểu để xếp loại hoàn thành nhiệm vụ (thấp hơn: không hoàn thành)",
        50,
    ),
    "excellent_exceeding_tasks_min_percent": (
        "Xuất sắc: tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu (%)",
        30,
    ),
    # QĐ 366 Điều 11: a collective graded "hoàn thành" has at most this share of tasks late.
    "completed_late_tasks_max_percent": (
        "Tập thể hoàn thành nhiệm vụ: tỷ lệ nhiệm vụ chậm tiến độ tối đa (%)",
        20,
    ),
    # QĐ 124 Điều 12 (kept by QĐ 366 + HD 43, its base unconfirmed, domain-rules §4.2): members
    # and organisations alike.
    "excellent_cap_percent_of_good": (
        "Số xuất sắc tối đa so với số hoàn thành tốt (%)",
        20,
    ),
    "excellent_cap_round_up": ("Làm tròn lên khi tính giới hạn xuất sắc (1 = có, 0 = xuống)", 0),
    # HD 21-HD/BTCTW 2019 ("một vi phạm bị xử lý kỷ luật chỉ tính một lần khi xếp loại"), kept
    # by QĐ 124: a member disciplined in the year is graded "không hoàn thành" (domain-briefs).
    "disciplined_max_grade_rank": (
        "Đảng viên bị kỷ luật trong năm: xếp loại cao nhất",
        4,
    ),
    # QĐ 132-QĐ/TW Điều 12.4, QĐ 124: an organisation whose leadership was disciplined in the
    # year, or more than this share of whose sub-units were, is graded at best the rank below.
    "org_disciplined_subunits_max_percent": (
        "Tổ chức có quá tỷ lệ này tổ chức trực thuộc bị kỷ luật trong năm (%)",
        20,
    ),
    "org_disciplined_max_grade_rank": (
        "Tổ chức bị kỷ luật hoặc quá tỷ lệ tổ chức trực thuộc bị kỷ luật: xếp loại cao nhất",
        4,
    ),
    # HD 21-HD/BTCTW 2019 mục II.6 (kept by HD 25, HD 43): a member admitted, or an organisation
    # founded, less than 6 months before is reviewed but not graded.
    "new_member_not_graded_months": ("Đảng viên kết nạp chưa đủ số tháng này: không xếp loại", 6),
    "new_org_not_graded_months": ("Tổ chức thành lập chưa đủ số tháng này: không xếp loại", 6),
    # HD 21 mục II.6: ill 3 months or more in the year → not "tốt" or above.
    "illness_capped_months": ("Nghỉ ốm trong năm từ số tháng này: giới hạn xếp loại", 3),
    "illness_max_grade_rank": ("Nghỉ ốm từ số tháng trên: xếp loại cao nhất", 3),
    # HD 21 mục II.6: maternity leave is graded on the time worked, not left ungraded.
    "maternity_not_graded": ("Nghỉ thai sản là lý do không xếp loại (1 = có, 0 = không)", 0),
    "illness_not_graded": ("Ốm đau dài ngày là lý do không xếp loại (1 = có, 0 = không)", 0),
    # QĐ 366-QĐ/TW Điều 1: reviews by term, year, quarter or when needed; the quarter's review
    # (score and grade) is recorded from its regulation on (who holds them: [U], the branch's
    # choice; domain-rules §4.1).
    "quarterly_reviews_in_use": ("Kiểm điểm, đánh giá hằng quý (1 = có, 0 = không)", 1),
    # Two years in a row "không hoàn thành" → the branch considers striking off (Điều lệ Đảng
    # Điều 8; QĐ 24 / QĐ 294 §3; domain-rules §4.3 "Consequence", R4.5).
    "not_completed_years_flag": (
        "Số năm liền không hoàn thành nhiệm vụ thì cảnh báo xem xét xóa tên",
        2,
    ),
}
RULE_KEYS.update(ASSESSMENT_RULE_KEYS)

# -- Party dues (đảng phí) -----------------------------------------------------------------------
# Their own regulations (QĐ 342-QĐ/TW 28/12/2010; QĐ 01-QĐ/TW of the Politburo, 2/2026;
# domain-rules §5, domain-briefs §11) change on their own dates: a third family. Rates are in
# basis points (100 = 1%), amounts in whole đồng, shares in percent. The defaults are QĐ 01's;
# DUES_RULE_SETS gives QĐ 342 its values. Read by dangvien.dues.
DUES_RULE_KEYS: dict[str, tuple[str, int]] = {
    # QĐ 01-QĐ/TW 2026 [C]: 1% of the salary on which compulsory social insurance was paid the
    # month before; QĐ 342 [C]: 1% of salary and allowances (cán bộ, công chức, lực lượng vũ
    # trang) or of the income from the payroll fund (enterprises).
    "dues_salary_rate_bp": ("Đảng phí theo tiền lương đóng BHXH: tỷ lệ (phần vạn, 100 = 1%)", 100),
    # QĐ 01-QĐ/TW 2026 [C]: 1% of the sickness or maternity allowance paid by social insurance;
    # QĐ 342: the same 1% of what the member receives [U].
    "dues_allowance_rate_bp": (
        "Đảng phí khi hưởng trợ cấp ốm đau, thai sản: tỷ lệ (phần vạn, 100 = 1%)",
        100,
    ),
    # QĐ 01-QĐ/TW 2026 and QĐ 342 [C]: 0.5% of the pension.
    "dues_pension_rate_bp": ("Đảng phí của đảng viên hưởng lương hưu: tỷ lệ (phần vạn)", 50),
    # QĐ 01-QĐ/TW 2026 [C]: pupils and students 5,000 đồng a month; QĐ 342's amount [U].
    "dues_student_amount": ("Đảng phí của học sinh, sinh viên (đồng/tháng)", 5000),
    # [U] Farmers, the self-employed, the unemployed…: a fixed amount in both rules, not
    # confirmed (domain-rules §5.1, §11 question 5). Configurable.
    "dues_other_amount": (
        "Đảng phí của đảng viên khác không hưởng lương (đồng/tháng; chưa đối chiếu văn bản)",
        5000,
    ),
    # [U] Rounding of a percentage: to the đồng by default; a rule set may say 1,000.
    "dues_rounding_unit": ("Làm tròn số đảng phí phải đóng đến (đồng; chưa đối chiếu văn bản)", 1),
    # QĐ 09-QĐ/TW, HD 724 [C, historical]; the 2026 split is [U] (domain-rules §5.3): a branch
    # under a commune, ward or special-zone base committee keeps 50%, other branches 30%.
    "dues_keep_branch_commune_percent": (
        "Chi bộ trực thuộc đảng bộ cơ sở xã, phường, đặc khu được giữ lại (%)",
        50,
    ),
    "dues_keep_branch_other_percent": ("Chi bộ trực thuộc khác được giữ lại (%)", 30),
    # [U] QĐ 342: base organisations keep a share of what they receive and collect (commune
    # level "most of it"); the exact numbers are not confirmed (domain-rules §5.3).
    "dues_keep_base_commune_percent": (
        "Tổ chức cơ sở đảng xã, phường, đặc khu được giữ lại (%; chưa đối chiếu văn bản)",
        90,
    ),
    "dues_keep_base_other_percent": (
        "Tổ chức cơ sở đảng khác được giữ lại (%; chưa đối chiếu văn bản)",
        50,
    ),
    # Điều lệ Đảng Điều 8; QĐ 294 §3; QĐ 01-QĐ/TW 2026 [C]: dues unpaid 3 months in a year
    # without a valid reason → the branch considers striking the member off.
    "dues_unpaid_months_flag": (
        "Số tháng trong năm không đóng đảng phí không có lý do thì cảnh báo xem xét xóa tên "
        "(Điều lệ Đảng, Điều 8)",
        3,
    ),
}
RULE_KEYS.update(DUES_RULE_KEYS)


class Family:
    """The regulations a rule set implements: a rule is read from the sets of its family."""

    CHARTER = "dieu_le"
    ASSESSMENT = "danh_gia"
    DUES = "dang_phi"
    LABELS = {
        CHARTER: "Thi hành Điều lệ Đảng",
        ASSESSMENT: "Kiểm điểm, đánh giá, xếp loại chất lượng",
        DUES: "Đảng phí",
    }


def family_of(key: str) -> str:
    if key in ASSESSMENT_RULE_KEYS:
        return Family.ASSESSMENT
    if key in DUES_RULE_KEYS:
        return Family.DUES
    return Family.CHARTER


def family_keys(family: str) -> dict[str, tuple[str, int]]:
    return {key: spec for key, spec in RULE_KEYS.items() if family_of(key) == family}


_RANKS = {1: "xuất sắc", 2: "tốt", 3: "hoàn thành", 4: "không hoàn thành"}
_YES_NO = {
    "new_member_class_required",
    "quarterly_reviews_in_use",
    "grade_labels_before_2018",
    "score_scale_in_use",
    "maternity_not_graded",
    "illness_not_graded",
}


def display_value(key: str, value) -> str:
    """A rule's value as an officer reads it: ages in years, yes or no, grades by name."""
    if not isinstance(value, int):
        return "—" if value in (None, "") else str(value)
    if key.endswith("_age_months"):
        years, months = divmod(value, 12)
        return f"{years} tuổi" + (f" {months} tháng" if months else "") + f" ({value} tháng)"
    if key == "excellent_cap_round_up":
        return "làm tròn lên" if value else "làm tròn xuống"
    if key in _YES_NO:
        return "có" if value else "không"
    if key.endswith("_rate_bp"):
        return f"{value / 100:g}%".replace(".", ",") + f" ({value} phần vạn)"
    if key.startswith("dues_") and (key.endswith("_amount") or key.endswith("_unit")):
        return f"{value:,} đồng".replace(",", ".")
    if key.endswith("_mmdd"):
        month, day = divmod(value, 100)
        return f"{day:02d}/{month:02d}"
    if key.endswith("_grade_rank"):
        return f"{_RANKS.get(value, value)} ({value})"
    if key.endswith("_percent_of_good") or key.endswith("_percent"):
        return f"{value}%"
    return str(value)


DEFAULT_RULE_SETS = [
    ("QĐ 29-QĐ/TW thi hành Điều lệ Đảng", datetime.date(2016, 7, 25)),
    ("QĐ 24-QĐ/TW thi hành Điều lệ Đảng", datetime.date(2021, 7, 30)),
    ("QĐ 232-QĐ/TW thi hành Điều lệ Đảng", datetime.date(2025, 1, 20)),
    ("QĐ 294-QĐ/TW thi hành Điều lệ Đảng", datetime.date(2025, 7, 1)),
]

# The assessment regulations (domain-rules §4.1, domain-briefs "Corrections"): name, in force
# from, note, and the values that differ from ASSESSMENT_RULE_KEYS' defaults (QĐ 366). A year is
# assessed under the set in force on its 31 December.
ASSESSMENT_RULE_SETS = [
    (
        "Trước QĐ 132-QĐ/TW: xếp loại theo tư cách đảng viên",
        datetime.date(2000, 1, 1),
        "Áp dụng cho các năm trước 2018. Văn bản hướng dẫn (HD 20?) chưa đối chiếu: giới hạn xuất "
        "sắc, kỷ luật, nghỉ ốm, thai sản lấy như sau này, cần xác nhận.",
        {
            "grade_labels_before_2018": 1,
            "score_scale_in_use": 0,
            "quarterly_reviews_in_use": 0,
            "maternity_not_graded": 1,
            "illness_not_graded": 1,
        },
    ),
    (
        "QĐ 132-QĐ/TW, HD 16-HD/BTCTW, HD 21-HD/BTCTW",
        datetime.date(2018, 3, 8),
        "QĐ 132-QĐ/TW ngày 08/3/2018; HD 16-HD/BTCTW ngày 24/9/2018; "
        "HD 21-HD/BTCTW ngày 18/10/2019.",
        {"score_scale_in_use": 0, "quarterly_reviews_in_use": 0},
    ),
    (
        "QĐ 124-QĐ/TW, HD 25-HD/BTCTW",
        datetime.date(2023, 10, 4),
        "QĐ 124-QĐ/TW ngày 04/10/2023 thay QĐ 132; giới hạn xuất sắc 20% số hoàn thành tốt "
        "(Điều 12).",
        {"score_scale_in_use": 0, "quarterly_reviews_in_use": 0},
    ),
    (
        "QĐ 366-QĐ/TW, HD 43-HD/BTCTW",
        datetime.date(2025, 8, 30),
        "QĐ 366-QĐ/TW ngày 30/8/2025 thay QĐ 124; HD 43-HD/BTCTW ngày 31/10/2025 thay HD 25. "
        "Thang 100 điểm: xuất sắc từ 90, tốt từ 70, hoàn thành từ 50 (Điều 11).",
        {},
    ),
]


# The dues regulations (domain-rules §5): name, in force from, note, and the values that differ
# from DUES_RULE_KEYS' defaults (QĐ 01-QĐ/TW 2026). A month is charged under the set in force on
# its first day.
DUES_RULE_SETS = [
    (
        "QĐ 342-QĐ/TW về chế độ đảng phí",
        datetime.date(2011, 1, 1),
        "QĐ 342-QĐ/TW ngày 28/12/2010 của Bộ Chính trị; áp dụng từ 01/01/2011 (ngày hiệu lực "
        "chưa đối chiếu văn bản). Mức cố định của học sinh, sinh viên và đảng viên khác chưa "
        "đối chiếu.",
        {"dues_student_amount": 3000, "dues_other_amount": 3000},
    ),
    (
        "QĐ 01-QĐ/TW về chế độ đảng phí (2026)",
        datetime.date(2026, 3, 1),
        "QĐ 01-QĐ/TW của Bộ Chính trị (công bố 06/02/2026): 1% tiền lương làm căn cứ đóng BHXH "
        "tháng trước, hưu trí 0,5%, học sinh, sinh viên 5.000 đồng/tháng. Ngày hiệu lực 01/3/2026 "
        "chưa đối chiếu văn bản; tỷ lệ giữ lại theo QĐ 09-QĐ/TW, HD 724, chưa đối chiếu.",
        {},
    ),
]


def default_values(family: str = Family.CHARTER) -> dict[str, int]:
    return {key: default for key, (_label, default) in family_keys(family).items()}


@dataclass(frozen=True)
class RuleBook:
    """All rule sets, loaded once (per import, per report) and asked by date."""

    sets: tuple[tuple[str, datetime.date, dict], ...]

    @classmethod
    def load(cls) -> "RuleBook":
        from dangvien.core.models import RuleSet

        rows = RuleSet.objects.order_by("effective_from").values_list(
            "family", "effective_from", "values"
        )
        return cls(tuple(rows))

    def value(self, key: str, on: datetime.date | None = None) -> int:
        """The value of `key` in the rule set of its family in force on `on` (today by
        default)."""
        on = on or timezone.localdate()
        family = family_of(key)
        own = [(day, values) for set_family, day, values in self.sets if set_family == family]
        chosen = None
        for effective_from, values in own:
            if effective_from <= on and key in values:
                chosen = values[key]
        if chosen is None:
            # Before the first rule set (old data): the earliest set's value, else the default.
            chosen = next((values[key] for _, values in own if key in values), RULE_KEYS[key][1])
        return chosen


def set_in_force(family: str, on: datetime.date):
    """The rule set of `family` in force on `on` (the earliest for older days), for the pages."""
    from dangvien.core.models import RuleSet

    sets = RuleSet.objects.filter(family=family)
    return (
        sets.filter(effective_from__lte=on).order_by("-effective_from").first()
        or sets.order_by("effective_from").first()
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the month's end (29/02 + 12 months = 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (age "counted in months", domain-rules §2.2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months
