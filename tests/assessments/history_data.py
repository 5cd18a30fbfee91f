"""Past grades written straight into the tables (as an import of paper records would), for the
multi-year pages' tests."""

from dangvien.assessments.models import MemberAssessment, OrgAssessment


def grade_member(member, year: int, grade: str = "", *, branch=None, not_graded: str = ""):
    branch = branch or member.branch
    return MemberAssessment.unscoped.create(
        member=member,
        year=year,
        branch=branch,
        branch_path=branch.path,
        grade=grade,
        not_graded=not_graded,
        imported=True,
    )


def grade_org(org, years, grade: str = "xuat_sac") -> None:
    for year in years:
        OrgAssessment.unscoped.create(
            organization=org, org_path=org.path, year=year, grade=grade, imported=True
        )
