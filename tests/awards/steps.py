"""Shared steps of the award tests: grades of past years and a discipline decision written as
the assessment and discipline apps keep them."""

import datetime

from dangvien.assessments.models import MemberAssessment, OrgAssessment
from dangvien.discipline.models import Discipline

YEAR = 2025  # the last year considered: five years 2021–2025, all in the past on every clock
YEARS = range(YEAR - 4, YEAR + 1)


def grade_member(member, years, grade="xuat_sac"):
    for year in years:
        MemberAssessment.unscoped.create(
            member=member,
            branch=member.branch,
            branch_path=member.branch_path,
            year=year,
            grade=grade,
        )


def grade_org(org, years, grade="xuat_sac"):
    for year in years:
        OrgAssessment.unscoped.create(organization=org, org_path=org.path, year=year, grade=grade)


def discipline(member, decided_on: datetime.date, deciding_org):
    return Discipline.unscoped.create(
        member=member,
        unit=member.branch,
        subject_path=member.branch_path,
        form="khien_trach",
        decision_number="7-QĐ/ĐU",
        decided_on=decided_on,
        deciding_org=deciding_org,
        complaint_until=decided_on + datetime.timedelta(days=30),
    )


AWARD_POST = {
    "form": "bang_khen",
    "level": "tinh",
    "title": "Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền (2021–2025)",
    "year_from": "2021",
    "year_to": "2025",
    "decision_number": "150-QĐ/TU",
    "decided_on": "10/03/2026",
    "deciding_body": "Ban Thường vụ Tỉnh ủy",
    "reason": "Năm năm liền hoàn thành xuất sắc nhiệm vụ",
}
