"""Sessions of a study plan: the members present against the organisation's members that day
(computed from the records), per member by code or as a number; only a base organisation below
the plan's owner; the figures by the deadline per child organisation with those not done; an
annulled session no longer counts, in the plan or in a programme's `tccsd_quan_triet`."""

import datetime

import pytest

from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.programmes import services, study, study_figures
from dangvien.programmes.models import DocumentKind, LearningReport, SessionMode, StudySession
from dangvien.programmes.targets import figures_of
from tests.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
DEADLINE = datetime.date(2024, 6, 30)


def _plan(world):
    document = study.record_document(
        None,
        kind=DocumentKind.DIRECTIVE,
        number="35-CT/TW",
        title="Về tổ chức đại hội đảng bộ các cấp",
        issued_on=datetime.date(2024, 6, 14),
        issuing_body="Bộ Chính trị",
    )
    return study.adopt_plan(None, world.upper, document, deadline=DEADLINE, number="3-KH/ĐU")


def _base_branch(world, code: str):
    return OrganizationFactory(
        code=code, name=f"Chi bộ {code}", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )


def test_a_session_counts_the_members_of_its_day(world):
    plan = _plan(world)
    MemberFactory(branch=world.branch)
    MemberFactory(  # admitted after the day: not counted
        branch=world.branch,
        admitted_on=datetime.date(2024, 6, 25),
        official_on=None,
        status="probationary",
    )
    client = world.client(Role.OFFICER)
    response = client.post(
        f"/programmes/study/{plan.pk}/",
        {"org_code": "P.U1.01", "held_on": "20/06/2024", "mode": "truc_tiep", "present": "2"},
    )
    assert response.status_code == 302
    session = StudySession.unscoped.get()
    # The base committee's members on 20/06/2024: the world's two and the one added.
    assert (session.present, session.members) == (2, 3)
    too_many = client.post(
        f"/programmes/study/{plan.pk}/",
        {"org_code": "P.U1.01", "held_on": "20/06/2024", "mode": "truc_tiep", "present": "4"},
    )
    assert too_many.status_code == 400
    assert "Số đảng viên dự (4) nhiều hơn số đảng viên của tổ chức" in too_many.content.decode()


def test_attendance_by_member_code(world):
    plan = _plan(world)
    org = world.base
    session = study.record_session(
        None,
        plan,
        org,
        study.Session(DEADLINE, SessionMode.ONLINE, attendees=(world.member.code,)),
    )
    assert (session.present, session.members) == (1, 2)
    with pytest.raises(DomainError, match=world.outside_member.code):
        study.record_session(
            None,
            plan,
            org,
            study.Session(DEADLINE, SessionMode.ONLINE, attendees=(world.outside_member.code,)),
        )


def test_only_a_base_organisation_below_the_owner(world):
    plan = _plan(world)
    for org in (world.branch, world.outside_base):
        with pytest.raises(DomainError, match="không phải tổ chức cơ sở đảng thuộc"):
            study.record_session(None, plan, org, study.Session(DEADLINE, SessionMode.ONLINE, 0))


def test_the_figures_by_the_deadline_and_the_organisations_not_done(world):
    plan = _plan(world)
    late, never = _base_branch(world, "P.U1.02"), _base_branch(world, "P.U1.03")
    MemberFactory(branch=late)
    study.record_session(None, plan, world.base, study.Session(DEADLINE, SessionMode.ONLINE, 1))
    study.record_session(
        None, plan, late, study.Session(datetime.date(2024, 7, 1), SessionMode.IN_PERSON, 1)
    )
    figures = study_figures.progress(plan)
    assert (figures.expected, figures.done, figures.percent_done) == (3, 1, 33.33)
    assert (figures.present, figures.members, figures.percent_present) == (1, 2, 50.0)
    assert sorted(figures.missing) == sorted([late.name, never.name])
    page = world.client(Role.OFFICER).get(f"/programmes/study/{plan.pk}/").content.decode()
    assert "1/3" in page and never.name in page and "Sau hạn" in page


def test_an_annulled_session_no_longer_counts(world):
    plan = _plan(world)
    programme = services.create_programme(None, world.upper, year=2024)
    services.set_target(None, programme, services.TargetInput("tccsd_quan_triet", "=", 100))
    session = study.record_session(
        None, plan, world.base, study.Session(DEADLINE, SessionMode.ONLINE, 1)
    )
    assert (figures_of(programme)[0].actual, figures_of(programme)[0].met) == (100.0, True)
    client = world.client(Role.OFFICER)
    url = f"/programmes/study/session/{session.pk}/annul/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Ghi nhầm ngày"}).status_code == 302
    assert study_figures.progress(plan).done == 0
    assert (figures_of(programme)[0].actual, figures_of(programme)[0].met) == (0.0, False)


def test_a_learning_report_is_recorded_once(world):
    plan = _plan(world)
    client = world.client(Role.SECRETARY)
    data = {"member_code": world.member.code, "submitted_on": "01/07/2024", "text": "Thu hoạch"}
    assert client.post(f"/programmes/study/{plan.pk}/report/", data).status_code == 302
    again = client.post(f"/programmes/study/{plan.pk}/report/", data)
    assert again.status_code == 400 and "Đã ghi bài thu hoạch" in again.content.decode()
    outside = {**data, "member_code": world.other_member.code}  # not the secretary's branch
    refused = client.post(f"/programmes/study/{plan.pk}/report/", outside)
    assert "Không tìm thấy đảng viên trong phạm vi quản lý." in refused.content.decode()
    assert LearningReport.unscoped.count() == 1
