"""The test world with a history: members who joined, left or moved around the end of 2024, and
organisations founded or dissolved around it, so that "at the end of 2024" and "today" differ."""

import datetime

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Gender, Status
from dangvien.members.services import end_membership, transfer_member
from dangvien.organizations.models import OrgKind
from tests.conftest import World
from tests.factories import MemberFactory, OrganizationFactory

END_2024 = datetime.date(2024, 12, 31)


def add_history(world: World) -> dict:
    """Members and organisations around 31/12/2024 in the officer's subtree P.U1 (see the
    expected figures in test_report_structure_command.py)."""
    admin = world.users[Role.ADMIN]
    for code, founded, ended in (
        ("P.U1.01.03", datetime.date(2025, 3, 1), None),
        ("P.U1.01.04", datetime.date(2000, 1, 1), datetime.date(2024, 6, 30)),
        ("P.U1.01.05", None, datetime.date(2025, 6, 30)),
    ):
        OrganizationFactory(
            code=code,
            name=f"Chi bộ {code}",
            kind=OrgKind.SUB_BRANCH,
            parent=world.base,
            founded_on=founded,
            ended_on=ended,
        )
    people = {
        # 30 on 31/12/2024, probationary, Tày, no religion recorded
        "young": MemberFactory(
            branch=world.branch,
            gender=Gender.FEMALE,
            birth_date=datetime.date(1994, 12, 31),
            admitted_on=datetime.date(2024, 3, 1),
            official_on=None,
            status=Status.PROBATIONARY,
            ethnicity="Tày",
            religion="",
            qualification="Thạc sĩ",
            political_theory="Sơ cấp",
        ),
        # 31 on 31/12/2024; official only from 10/01/2025
        "recognised_2025": MemberFactory(
            branch=world.other_branch,
            birth_date=datetime.date(1993, 12, 31),
            admitted_on=datetime.date(2023, 6, 1),
            official_on=datetime.date(2025, 1, 10),
            religion="Phật giáo",
            qualification="Cao đẳng",
            political_theory="Trung cấp",
        ),
        # 70 on 31/12/2024, no qualification recorded
        "seventy": MemberFactory(
            branch=world.branch,
            birth_date=datetime.date(1954, 1, 1),
            admitted_on=datetime.date(1980, 1, 1),
            official_on=datetime.date(1981, 1, 1),
            qualification="",
            political_theory="Cao cấp",
        ),
        # 71 on 31/12/2024, died in 2025: counted at the end of 2024, not today
        "died_2025": MemberFactory(
            branch=world.branch,
            gender=Gender.FEMALE,
            birth_date=datetime.date(1953, 12, 31),
            admitted_on=datetime.date(1975, 5, 1),
            official_on=datetime.date(1976, 5, 1),
            religion="Công giáo",
            political_theory="Cử nhân",
        ),
        # resigned on 31/12/2024: no longer counted on that day
        "resigned_2024": MemberFactory(
            branch=world.other_branch, birth_date=datetime.date(1960, 6, 1)
        ),
        # admitted in 2025: counted today only
        "admitted_2025": MemberFactory(
            branch=world.branch,
            gender=Gender.FEMALE,
            birth_date=datetime.date(1990, 1, 1),
            admitted_on=datetime.date(2025, 1, 5),
            official_on=None,
            status=Status.PROBATIONARY,
        ),
        # outside at the end of 2024, moved into P.U1 on 01/02/2025
        "moved_in": MemberFactory(
            branch=world.outside_branch,
            gender=Gender.FEMALE,
            birth_date=datetime.date(1970, 1, 1),
        ),
        # in P.U1 at the end of 2024 (44 years old), moved out on 01/02/2025
        "moved_out": MemberFactory(
            branch=world.branch,
            birth_date=datetime.date(1980, 5, 5),
            qualification="Tiến sĩ",
            political_theory="Cao cấp",
        ),
    }
    died = Decision(datetime.date(2025, 3, 1), reason="Từ trần")
    end_membership(admin, people["died_2025"], Status.DECEASED, died)
    end_membership(
        admin, people["resigned_2024"], Status.RESIGNED, Decision(END_2024, reason="Đơn")
    )
    moved = Decision(datetime.date(2025, 2, 1))
    transfer_member(admin, people["moved_in"], world.other_branch, moved)
    transfer_member(admin, people["moved_out"], world.outside_branch, moved)
    return people


def grade(member, year: int, grade: str = "", not_graded: str = "", branch=None, note: str = ""):
    """A final grade (or a reason for none) of `member` for `year`, in `branch` (by default
    the member's branch today)."""
    from dangvien.assessments.models import MemberAssessment

    branch = branch or member.branch
    return MemberAssessment.unscoped.create(
        member=member,
        year=year,
        branch=branch,
        branch_path=branch.path,
        grade=grade,
        not_graded=not_graded,
        not_graded_note=note,
    )


def add_grades(world: World) -> dict:
    """The history of add_history() with the grades of 2023 and 2024 (expected figures in
    test_report_quality_command.py)."""
    from dangvien.assessments.models import OrgAssessment

    people = add_history(world)
    grade(world.member, 2024, "xuat_sac")
    grade(world.other_member, 2024, "tot")
    grade(people["recognised_2025"], 2024, "tot")
    grade(people["seventy"], 2024, "tot")
    grade(people["died_2025"], 2024, "hoan_thanh")
    grade(people["moved_out"], 2024, "khong_hoan_thanh", branch=world.branch)
    grade(people["young"], 2024, not_graded="new_member")
    grade(people["moved_in"], 2024, "tot", branch=world.outside_branch)
    grade(world.outside_member, 2024, "xuat_sac")
    grade(world.member, 2023, "tot")
    grade(world.other_member, 2023, "tot")
    grade(world.outside_member, 2023, not_graded="other", note="Chưa xếp loại")
    for org, value in (
        (world.base, "tot"),
        (world.branch, "xuat_sac"),
        (world.outside_base, "xuat_sac"),
    ):
        OrgAssessment.unscoped.create(organization=org, org_path=org.path, year=2024, grade=value)
    return people
