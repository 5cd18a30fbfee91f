"""The survey of the pool per unit: candidates, those who attended the class, those ready, those
admitted this year and this year's quota, for each unit directly below the chosen organisation."""

import datetime

from dangvien.admissions.candidates import selectors
from dangvien.admissions.candidates.services import record_awareness_class, withdraw_candidate
from dangvien.admissions.models import AdmissionStepKind, AdmissionTarget
from dangvien.admissions.procedure.services import record_admission_step
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Status
from tests.admissions.workflow import new_candidate, today
from tests.factories import MemberFactory, OrganizationFactory


def quota(org, value, year=None):
    return AdmissionTarget.unscoped.create(
        organization=org, org_path=org.path, year=year or today().year, quota=value
    )


def probationary(branch, admitted_on):
    return MemberFactory(
        branch=branch, admitted_on=admitted_on, official_on=None, status=Status.PROBATIONARY
    )


def populate(world):
    """In the branch: one candidate in the pool, one sympathiser, one with a file under way and a
    valid certificate (ready), one whose certificate has expired, one withdrawn. In the other
    branch: two members admitted this year, one last year. Quotas on both branches."""
    secretary = world.users[Role.SECRETARY]
    ids = iter(f"00120002000{n}" for n in range(10))

    def candidate(name, attended_on=None, filed=False):
        created = new_candidate(world, full_name=name, citizen_id=next(ids))
        if attended_on:
            record_awareness_class(secretary, created, attended_on=attended_on)
        if filed:
            record_admission_step(secretary, created, AdmissionStepKind.APPLICATION, on=today())
        return created

    recent = today() - datetime.timedelta(days=100)
    candidate("Quần Chúng Một")
    candidate("Quần Chúng Hai", attended_on=recent)
    candidate("Quần Chúng Ba", attended_on=recent, filed=True)
    candidate("Quần Chúng Bốn", attended_on=add_months(today(), -61), filed=True)
    withdraw_candidate(secretary, candidate("Quần Chúng Năm"), reason="Chuyển đi")
    this_year = datetime.date(today().year, 1, 1)
    for admitted_on in (this_year, this_year, this_year - datetime.timedelta(days=1)):
        probationary(world.other_branch, admitted_on)
    quota(world.branch, 4)
    quota(world.other_branch, 2)
    quota(world.other_branch, 9, year=today().year - 1)


def figures(row) -> tuple:
    return (row.code, row.candidates, row.attended, row.ready, row.admitted, row.quota)


def test_survey_per_branch_of_a_base_committee(world):
    populate(world)
    response = world.client(Role.OFFICER).get("/admissions/survey/", {"org": world.base.code})
    survey = response.context["survey"]
    assert [figures(row) for row in survey.rows] == [
        (world.branch.code, 4, 3, 1, 0, 4),
        (world.other_branch.code, 0, 0, 0, 2, 2),
    ]
    # The base committee has no quota of its own: the sum of its branches'.
    assert figures(survey.total) == (world.base.code, 4, 3, 1, 2, 6)
    assert survey.rows[1].percent_of_quota == 100.0
    page = response.content.decode()
    assert "Sẵn sàng xét kết nạp: đang hoàn thiện hồ sơ" in page
    assert "giấy chứng nhận lớp nhận thức về Đảng còn hiệu lực (60 tháng)" in page
    assert f'<a href="?org={world.branch.code}">{world.branch.name}</a>' in page


def test_the_default_is_the_top_of_the_users_scope(world):
    populate(world)
    officer = world.client(Role.OFFICER).get("/admissions/survey/")
    survey = officer.context["survey"]
    assert survey.org == world.upper
    assert [figures(row) for row in survey.rows] == [(world.base.code, 4, 3, 1, 2, 6)]
    secretary = world.client(Role.SECRETARY).get("/admissions/survey/")
    assert figures(secretary.context["survey"].total) == (world.branch.code, 4, 3, 1, 0, 4)
    assert "Không có đơn vị trực thuộc." in secretary.content.decode()


def test_an_organisation_outside_the_scope_is_not_shown(world):
    response = world.client(Role.OFFICER).get(
        "/admissions/survey/", {"org": world.outside_base.code}
    )
    assert "Không tìm thấy tổ chức có mã này trong phạm vi của bạn." in response.content.decode()
    assert "survey" not in response.context
    assert world.client(Role.MEMBER).get("/admissions/survey/").status_code == 403


def test_the_survey_is_counted_by_a_few_grouped_queries(world, django_assert_max_num_queries):
    populate(world)
    for index in range(6):
        branch = OrganizationFactory(
            code=f"P.U1.01.{index + 10}",
            name=f"Chi bộ Lớp {index}",
            kind="chi_bo_truc_thuoc",
            parent=world.base,
        )
        probationary(branch, datetime.date(today().year, 1, 1))
    user = world.users[Role.OFFICER]
    with django_assert_max_num_queries(6):
        survey = selectors.survey(user, world.base)
    assert len(survey.rows) == 8
    assert survey.total.admitted == 8
