"""Records of 2024 below the inside upper committee (P.U1) of the test world, whose computed
indicators the tests know: graded members and base organisations, admissions in and out of
the year, base organisations by sector and establishment date, a study plan with sessions."""

import datetime

from dangvien.assessments.models import OrgAssessment
from dangvien.members.models import Status
from dangvien.organizations.models import OrgKind, Sector
from dangvien.programmes.models import (
    DocumentKind,
    SessionMode,
    StudyDocument,
    StudyPlan,
    StudySession,
)
from tests.factories import MemberFactory, OrganizationFactory
from tests.reports.worlds import grade

YEAR = 2024


def private_base(world, code: str, founded_on: datetime.date, sector=Sector.DOANH_NGHIEP_TU_NHAN):
    return OrganizationFactory(
        code=code,
        name=f"Chi bộ Công ty {code}",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        sector=sector,
        founded_on=founded_on,
    )


def admitted(branch, day: datetime.date):
    return MemberFactory(
        branch=branch, admitted_on=day, official_on=None, status=Status.PROBATIONARY
    )


def build_2024(world) -> dict:
    """Expected for P.U1, 2024: members 2 of 3 good (66.67), base organisations 1 of 2 good
    (50.0), 2 admitted, 1 new private base organisation, study 1 of 2 base organisations."""
    new = private_base(world, "P.U1.DN1", datetime.date(YEAR, 3, 1))
    private_base(world, "P.U1.DN0", datetime.date(YEAR - 1, 3, 1))  # the year before
    private_base(world, "P.U1.NN1", datetime.date(YEAR, 4, 1), Sector.DOANH_NGHIEP_NHA_NUOC)
    OrganizationFactory(
        code="P.X.DN1",
        name="Chi bộ Công ty ngoài",
        kind=OrgKind.BASE_BRANCH,
        parent=world.outside_upper,
        sector=Sector.DOANH_NGHIEP_TU_NHAN,
        founded_on=datetime.date(YEAR, 5, 1),
    )
    grade(world.member, YEAR, "xuat_sac")
    grade(world.other_member, YEAR, "tot")
    third = MemberFactory(branch=world.branch)
    grade(third, YEAR, "hoan_thanh")
    grade(world.outside_member, YEAR, "tot")
    grade(world.member, YEAR - 1, "khong_hoan_thanh")
    for org, value in ((world.base, "tot"), (new, "hoan_thanh"), (world.outside_base, "tot")):
        OrgAssessment.unscoped.create(organization=org, org_path=org.path, year=YEAR, grade=value)
    admitted(world.branch, datetime.date(YEAR, 5, 1))
    admitted(new, datetime.date(YEAR, 12, 31))
    admitted(world.branch, datetime.date(YEAR - 1, 12, 31))
    admitted(world.outside_branch, datetime.date(YEAR, 5, 1))
    document = StudyDocument.objects.create(
        kind=DocumentKind.RESOLUTION,
        number="21-NQ/TW",
        title="Về tăng cường củng cố, xây dựng tổ chức cơ sở đảng",
        issued_on=datetime.date(2022, 6, 16),
        issuing_body="Ban Chấp hành Trung ương",
    )
    plan = StudyPlan.unscoped.create(
        document=document,
        owner=world.upper,
        owner_path=world.upper.path,
        number="05-KH/ĐU",
        deadline=datetime.date(YEAR, 6, 30),
    )
    # Expected on 30/06: the base committee, DN1, DN0 and NN1 (four); two held it in time.
    for org, day in (
        (world.base, datetime.date(YEAR, 6, 1)),
        (new, datetime.date(YEAR, 6, 30)),
        (world.outside_base, datetime.date(YEAR, 6, 1)),
    ):
        StudySession.unscoped.create(
            plan=plan,
            organization=org,
            org_path=org.path,
            held_on=day,
            mode=SessionMode.IN_PERSON,
            present=1,
            members=1,
        )
    late = world.upper.children.get(code="P.U1.DN0")
    StudySession.unscoped.create(
        plan=plan,
        organization=late,
        org_path=late.path,
        held_on=datetime.date(YEAR, 7, 2),
        mode=SessionMode.ONLINE,
        present=0,
        members=0,
    )
    return {"new": new, "plan": plan}


EXPECTED = {
    "dang_vien_tot_tro_len": (66.67, {"count": 2, "of": 3, "year": YEAR}),
    "tccsd_tot_tro_len": (50.0, {"count": 1, "of": 2, "year": YEAR}),
    "ket_nap": (2, {"count": 2}),
    "tccsd_moi_dn_tu_nhan": (1, {"count": 1}),
    "tccsd_quan_triet": (50.0, {"count": 2, "of": 4}),
}
