"""Grading screens opened by two people at once (the branch's proposals, the base committee's
decision, the correction, the grades of organisations): the second save over a row the first
changed is refused with that change named, and nothing of that screen is saved."""

from django.test import Client
from django.urls import reverse

from dangvien.assessments import services
from dangvien.assessments.models import Grade, OrgAssessment
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.assessments.workflow import assessment_of, base_url, branch_url, open_round, this_year
from tests.factories import MemberFactory

REASON = "Kết luận kiểm tra số 05-KL/UBKT"


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def screen(client, url) -> dict:
    """What the page posts back untouched: every row's values and the version it shows."""
    form = client.get(url).context["form"]
    data = {"row": sorted({name.split("-")[1] for name in form.fields if "-" in name})}
    for name in form.fields:
        value = form[name].value()
        if value not in (False, None):
            data[name] = "on" if value is True else value
    return data


def test_branch_proposals_opened_together(world):
    open_round(world)
    second_member = MemberFactory(full_name="Hồ Thị Ánh", branch=world.branch)
    url = branch_url(world.branch)
    first, second = signed_in(world, Role.SECRETARY), signed_in(world, Role.OFFICER)
    first_screen, second_screen = screen(first, url), screen(second, url)
    assert f"v-{world.member.pk}" in first_screen

    mine = {**first_screen, f"g-{world.member.pk}": Grade.GOOD}
    assert first.post(url, mine).status_code == 302
    theirs = {**second_screen, f"g-{second_member.pk}": Grade.EXCELLENT}
    response = second.post(url, theirs)
    page = response.content.decode()
    assert response.status_code == 400  # refused
    assert f"Đánh giá của {world.member} đã được" in page and "sau khi bạn mở trang" in page
    assert f"Chi bộ đề xuất năm {this_year()}: — → Tốt" in page
    assert assessment_of(world.member).proposed_grade == Grade.GOOD
    assert assessment_of(second_member) is None  # nothing of the refused screen was saved
    assert AuditEntry.unscoped.filter(action="assessment.propose").count() == 1

    again = {**screen(second, url), f"g-{second_member.pk}": Grade.EXCELLENT}
    assert second.post(url, again).status_code == 302  # a reopened screen saves
    assert assessment_of(world.member).proposed_grade == Grade.GOOD
    assert assessment_of(second_member).proposed_grade == Grade.EXCELLENT


def test_base_decisions_opened_together(world):
    open_round(world)
    url = base_url(world.base)
    first, second = signed_in(world, Role.OFFICER), signed_in(world, Role.ADMIN)
    first_screen, second_screen = screen(first, url), screen(second, url)
    key = f"f-{world.member.pk}"
    assert first.post(url, {**first_screen, key: Grade.GOOD}).status_code == 302
    response = second.post(url, {**second_screen, key: Grade.COMPLETED})
    page = response.content.decode()
    assert f"Xếp loại năm {this_year()}: — → Tốt" in page
    assert assessment_of(world.member).grade == Grade.GOOD
    assert AuditEntry.unscoped.filter(action="assessment.decide").count() == 1

    refused = response.context["form"]  # saving again, knowingly, applies the typed value
    again = {
        **second_screen,
        key: Grade.COMPLETED,
        f"v-{world.member.pk}": refused[f"v-{world.member.pk}"].value(),
    }
    assert second.post(url, again).status_code == 302
    assert assessment_of(world.member).grade == Grade.COMPLETED


def test_corrections_opened_together(world):
    round_ = open_round(world)
    officer = world.users[Role.OFFICER]
    services.decide_grades(officer, world.base, this_year(), {world.member.pk: {"grade": "tot"}})
    services.close_round(officer, round_, reason="Hết thời hạn đánh giá")
    url = reverse("assessments:correct", args=[assessment_of(world.member).pk])
    first, second = signed_in(world, Role.OFFICER), signed_in(world, Role.ADMIN)
    first_form, second_form = screen(first, url), screen(second, url)
    first_form.update(outcome=Grade.COMPLETED, reason=REASON)
    assert first.post(url, first_form).status_code == 302
    second_form.update(outcome=Grade.EXCELLENT, reason=REASON)
    page = second.post(url, second_form).content.decode()
    assert f"Xếp loại năm {this_year()}: Tốt → Hoàn thành" in page
    assert assessment_of(world.member).grade == Grade.COMPLETED
    assert AuditEntry.unscoped.filter(action="assessment.correct").count() == 1


def test_organisation_grades_opened_together(world):
    url = reverse("assessments:orgs", args=[world.base.code, this_year()])
    first, second = signed_in(world, Role.OFFICER), signed_in(world, Role.ADMIN)
    first_screen, second_screen = screen(first, url), screen(second, url)
    key = f"o-{world.branch.pk}"
    assert first.post(url, {**first_screen, key: Grade.GOOD}).status_code == 302
    response = second.post(url, {**second_screen, key: Grade.EXCELLENT})
    assert f"Xếp loại năm {this_year()}: — → Tốt" in response.content.decode()
    stored = OrgAssessment.unscoped.get(organization=world.branch, year=this_year())
    assert stored.grade == Grade.GOOD
    assert AuditEntry.unscoped.filter(action="assessment.org_grade").count() == 1
