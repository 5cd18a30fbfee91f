"""Rules every member record must satisfy, whoever writes it (form, import, API).

Values (ages, probation length) come from the rule set in force on the relevant date.
"""

import datetime
import re
from typing import NamedTuple

from dangvien.core.rules import RuleBook, add_months, months_between

CITIZEN_ID = re.compile(r"^[0-9]{12}\Z")  # ASCII digits: \d takes "０" or "٣" too


class RecordProblem(NamedTuple):
    """A problem of a record: `rule_key` names the rule of the rule set it breaks, when an
    officer may record an exception to it (a legacy record, a consent: `core.RuleException`)."""

    field: str
    message: str
    is_error: bool
    rule_key: str = ""


def check_record(data: dict, rules: RuleBook, today: datetime.date) -> list[RecordProblem]:
    """Problems of a record; warnings need an exception, errors with a `rule_key` too.

    Checks: no date in the future, admission at 18 or older (counted in months, rule set of the
    admission date; Điều lệ Đảng, Điều 1 and QĐ 294 §1), official date not before the end of the
    probation (its length in the rule set of the admission date; Điều lệ Đảng, Điều 5), a
    12-digit citizen ID. Every rule is read on the record's own date, never today's: a legacy
    record is held to the rules it was made under.
    """
    found: list[RecordProblem] = []
    birth, admitted, official = (
        data.get("birth_date"),
        data.get("admitted_on"),
        data.get("official_on"),
    )
    for field, value, label in (
        ("birth_date", birth, "Ngày sinh"),
        ("admitted_on", admitted, "Ngày vào Đảng"),
        ("official_on", official, "Ngày chính thức"),
    ):
        if value and value > today:
            found.append(RecordProblem(field, f"{label} không thể ở tương lai.", True))
    if birth and admitted:
        age = months_between(birth, admitted)
        minimum = rules.value("admission_min_age_months", admitted)
        maximum = rules.value("admission_max_age_months", admitted)
        if age < minimum:
            found.append(
                RecordProblem(
                    "admitted_on",
                    f"vào Đảng khi chưa đủ {minimum // 12} tuổi (ngày sinh {birth:%d/%m/%Y}).",
                    True,
                    "admission_min_age_months",
                )
            )
        elif age > maximum:
            found.append(
                RecordProblem(
                    "admitted_on",
                    f"vào Đảng khi trên {maximum // 12} tuổi: cần văn bản đồng ý của "
                    "ban thường vụ tỉnh ủy (ghi nhận ngoại lệ).",
                    False,
                    "admission_max_age_months",
                )
            )
    if admitted and official:
        probation = rules.value("probation_months", admitted)
        if official < admitted:
            found.append(RecordProblem("official_on", "ngày chính thức trước ngày vào Đảng.", True))
        elif official < add_months(admitted, probation):
            found.append(
                RecordProblem(
                    "official_on",
                    f"ngày chính thức trước khi hết {probation} tháng dự bị "
                    f"(sớm nhất {add_months(admitted, probation):%d/%m/%Y}).",
                    True,
                    "probation_months",
                )
            )
    citizen_id = data.get("citizen_id")
    if citizen_id and not CITIZEN_ID.match(citizen_id):
        found.append(RecordProblem("citizen_id", "số CCCD phải gồm đúng 12 chữ số.", True))
    return found
