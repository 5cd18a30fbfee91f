"""A refused save says so at the top of the page, with its reason, whatever the page's length,
and the page keeps what the user typed."""

from dangvien.admissions.models import AdmissionStepKind
from dangvien.assessments.models import Grade
from dangvien.core.roles import Role
from tests.admissions.workflow import new_candidate, today
from tests.assessments.workflow import base_url, decisions_post, open_round, propose
from tests.factories import PASSWORD, MemberFactory

BANNER = 'id="refused-banner"'


def test_the_cap_refusal_is_at_the_top_and_the_choices_stay(world):
    open_round(world)
    members = MemberFactory.create_batch(7, branch=world.branch)
    grades = [Grade.EXCELLENT] * 2 + [Grade.GOOD] * 5
    propose(world, {m: {"grade": Grade.GOOD} for m in members})  # proposed good, decided excellent
    post = decisions_post(dict(zip(members, grades, strict=True)))
    page = world.client(Role.OFFICER).post(base_url(world.base), post).content.decode()
    assert BANNER in page
    banner = page.split(BANNER)[1].split("</div>")[0]
    assert "Chưa lưu." in banner and "2 đảng viên xuất sắc vượt giới hạn 1" in banner
    assert page.index(BANNER) < page.index('id="decisions"')  # above the 7 rows, not below
    first = page.split(f'name="f-{members[0].pk}"')[1].split("</select>")[0]
    assert '<option value="xuat_sac" selected>' in first  # the officer's choice, not the proposal


def test_a_refused_step_of_the_admission_file_is_said_at_the_top(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    future = today().replace(year=today().year + 1)
    page = client.post(
        f"/admissions/candidates/{candidate.pk}/step/",
        {"kind": AdmissionStepKind.APPLICATION, "done_on": f"{future:%d/%m/%Y}", "version": ""},
    ).content.decode()
    assert BANNER in page
    assert page.index(BANNER) < page.index('id="step-application"')


def test_no_banner_for_a_reading_page_or_the_login(world):
    client = world.client(Role.OFFICER)
    assert BANNER not in client.get("/members/", {"age_from": "abc"}).content.decode()
    anonymous = world.client(None)
    login = anonymous.post("/login/", {"username": "canbo", "password": PASSWORD + "x"})
    assert BANNER not in login.content.decode()
