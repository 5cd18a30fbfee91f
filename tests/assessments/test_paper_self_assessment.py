"""A member without an account hands the branch a self-assessment on paper: the secretary
records it, so the branch can reach every member; a grade proposed before any self-assessment is
saved with a warning naming who has none."""

import datetime

from django.urls import reverse
from django.utils import timezone

from dangvien.assessments.models import Grade, MemberAssessment
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.assessments.workflow import (
    assessment_of,
    branch_url,
    client_of,
    member_with_account,
    open_round,
    proposals_post,
    save_my_page,
    this_year,
)
from tests.factories import MemberFactory


def paper_url(member, branch=None, year=None) -> str:
    branch = branch or member.branch
    return reverse("assessments:paper-self", args=[branch.code, year or this_year(), member.pk])


def version_on(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["form"]["version"].value()


def record(client, member, **values):
    data = {
        "self_grade": Grade.GOOD,
        "received_on": f"{timezone.localdate():%d/%m/%Y}",
        "note": "",
        "version": version_on(client, paper_url(member)),
        **values,
    }
    return client.post(paper_url(member), data)


def test_the_secretary_records_a_paper_self_assessment(world):
    open_round(world)
    member = MemberFactory(full_name="Lò Văn Páo", branch=world.branch)  # no account
    client = world.client(Role.SECRETARY)
    page = client.get(branch_url(world.branch)).content.decode()
    row = page.split(f'id="row-{member.pk}"')[1].split("</tr>")[0]
    assert "Chưa tự kiểm điểm" in row and f'href="{paper_url(member)}"' in row

    response = record(client, member, note="Bản giấy 3 trang, lưu tại chi bộ.")
    assert response.status_code == 302
    assessment = assessment_of(member)
    assert assessment.self_grade == Grade.GOOD
    assert assessment.self_paper_on == timezone.localdate()
    assert assessment.self_recorded_by == world.users[Role.SECRETARY]
    assert assessment.self_submitted_at is not None  # counted as self-assessed
    entry = AuditEntry.unscoped.get(action="assessment.self_paper")
    assert entry.target_id == member.pk and entry.effective_on == timezone.localdate()

    page = client.get(branch_url(world.branch)).content.decode()
    assert "Đã ghi nhận bản tự kiểm điểm giấy năm" in page
    row = page.split(f'id="row-{member.pk}"')[1].split("</tr>")[0]
    received = f"Bản giấy, nhận {timezone.localdate():%d/%m/%Y}"
    assert received in row and "Chưa tự kiểm điểm" not in row


def test_what_the_member_sent_online_is_not_overwritten(world):
    open_round(world)
    member = member_with_account(world.branch, "dangvien_tu_nop")
    own = client_of(member.user)
    data = {"action": "self", "self_grade": Grade.EXCELLENT, "self_assessment": "Tự viết."}
    assert save_my_page(own, data).status_code == 302
    client = world.client(Role.SECRETARY)
    response = record(client, member)
    assert "đã tự nộp bản tự kiểm điểm trên hệ thống" in response.content.decode()
    assert assessment_of(member).self_grade == Grade.EXCELLENT


def test_a_paper_dated_in_the_future_or_another_branch_is_refused(world):
    open_round(world)
    member = MemberFactory(branch=world.branch)
    client = world.client(Role.SECRETARY)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = record(client, member, received_on=f"{tomorrow:%d/%m/%Y}")
    assert "Ngày nhận không thể ở tương lai." in response.content.decode()
    assert assessment_of(member) is None or assessment_of(member).self_grade == ""
    other = MemberFactory(branch=world.other_branch)
    assert client.get(paper_url(other, branch=world.branch)).status_code == 404
    assert world.client(Role.INSPECTOR).get(paper_url(member)).status_code == 403


def test_a_grade_proposed_without_a_self_assessment_is_saved_with_a_warning(world):
    open_round(world)
    members = MemberFactory.create_batch(2, branch=world.branch)
    client = world.client(Role.SECRETARY)
    record(client, members[0])
    rows = {m: {"grade": Grade.GOOD} for m in members}
    response = client.post(branch_url(world.branch), proposals_post(rows), follow=True)
    page = response.content.decode()
    assert "Đã lưu đề xuất xếp loại của 2 đảng viên." in page
    assert f"1 đảng viên được đề xuất khi chưa có bản tự kiểm điểm: {members[1].full_name}." in page
    assert MemberAssessment.unscoped.filter(proposed_grade=Grade.GOOD).count() == 2
