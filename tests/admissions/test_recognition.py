"""The recognition procedure at the end of probation: its steps cannot be skipped, failed votes
are counted, and the official date is the end of the 12 months (domain-rules §2.4)."""

import datetime

from dangvien.admissions.models import RecognitionStep, StepOutcome
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import EventKind, MemberEvent, Status
from tests.admissions.probation_steps import (
    complete_review,
    decide,
    fresh,
    months_ago,
    probationary,
    record_step,
    today,
)
from tests.training.worlds import certify


def test_recognition_before_twelve_months_is_refused(world):
    admitted = today() - datetime.timedelta(days=200)
    member = probationary(world, admitted, full_name="Lý Thị Mới")
    page = decide(world.client(Role.OFFICER), member, today()).content.decode()
    due = add_months(admitted, 12)
    assert (
        f"Chưa đủ 12 tháng dự bị: Lý Thị Mới vào Đảng ngày {admitted:%d/%m/%Y}, sớm nhất được "
        f"công nhận chính thức từ {due:%d/%m/%Y}."
    ) in page
    assert fresh(member).status == Status.PROBATIONARY


def test_branch_cannot_vote_before_probation_ends(world):
    admitted = today() - datetime.timedelta(days=300)
    member = probationary(world, admitted)
    page = record_step(
        world.client(Role.SECRETARY), member, "branch_vote", today(), votes_for=6, votes_total=6
    ).content.decode()
    assert "Chưa hết thời gian dự bị" in page
    assert not RecognitionStep.objects.filter(member=member).exists()


def test_missing_steps_block_the_decision(world):
    member = probationary(world, months_ago(13))
    secretary = world.client(Role.SECRETARY)
    record_step(secretary, member, "self_review", today())
    page = world.client(Role.OFFICER).get(f"/admissions/probation/{member.pk}/").content.decode()
    assert 'id="missing-steps"' in page
    page = decide(world.client(Role.OFFICER), member, today()).content.decode()
    assert (
        "Chưa đủ các bước xét công nhận: thiếu Nhận xét của đảng viên được phân công giúp đỡ; "
        "Nhận xét của đoàn thể và chi ủy nơi cư trú; "
        "Nghị quyết chi bộ đề nghị công nhận chính thức; Nghị quyết đảng ủy cơ sở."
    ) in page
    assert fresh(member).status == Status.PROBATIONARY


def test_secretary_records_branch_steps_but_not_the_committee_vote_or_decision(world):
    member = probationary(world, months_ago(13))
    secretary = world.client(Role.SECRETARY)
    response = record_step(secretary, member, "self_review", today(), document_number="TKĐ-1")
    assert response.status_code == 200
    assert RecognitionStep.objects.get(member=member, kind="self_review").document_number == "TKĐ-1"
    response = secretary.post(
        f"/admissions/probation/{member.pk}/step/",
        {"kind": "committee_vote", "committee_vote-done_on": today().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 403
    assert decide(secretary, member, today()).status_code == 403
    inspector = world.client(Role.INSPECTOR)
    assert record_step(inspector, member, "introducer_opinion", today()).status_code == 403
    assert RecognitionStep.objects.filter(member=member).count() == 1


ONE_DAY = datetime.timedelta(days=1)


def test_failed_votes_are_counted_and_the_third_lets_the_upper_level_decide(world):
    member = probationary(world, months_ago(13))
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    day = today() - datetime.timedelta(days=2)  # each vote at its own meeting: day, +1, +2
    record_step(secretary, member, "self_review", day)
    record_step(secretary, member, "introducer_opinion", day)
    record_step(secretary, member, "mass_org_comment", day)

    page = record_step(
        secretary, member, "branch_vote", day, votes_for=3, votes_total=6
    ).content.decode()
    assert "biểu quyết lần 1 chưa đạt 2/3 (3/6 tán thành), kết quả được ghi là không đạt" in page
    assert "Lần 1 chưa đạt 2/3" in page
    vote = RecognitionStep.objects.get(member=member, kind="branch_vote")
    assert (vote.outcome, vote.attempts) == (StepOutcome.FAILED, 1)
    # The committee cannot vote on a branch proposal that failed, nor can the decision pass.
    page = record_step(
        officer, member, "committee_vote", day, votes_for=9, votes_total=9
    ).content.decode()
    assert "Chi bộ chưa có nghị quyết đề nghị công nhận chính thức." in page
    assert "thiếu Nghị quyết chi bộ đề nghị công nhận chính thức" in (
        decide(officer, member, day).content.decode()
    )

    record_step(secretary, member, "branch_vote", day + ONE_DAY, votes_for=3, votes_total=6)
    page = record_step(
        secretary, member, "branch_vote", today(), votes_for=1, votes_total=6
    ).content.decode()
    assert "Đã 3 lần biểu quyết không đạt 2/3: báo cáo cấp trên xem xét, quyết định." in page
    assert "Cấp trên quyết định sau 3 lần không đạt" in page
    vote.refresh_from_db()
    assert (vote.outcome, vote.attempts) == (StepOutcome.FAILED, 3)

    record_step(officer, member, "committee_vote", today(), votes_for=8, votes_total=9)
    certify(world, member)
    page = decide(officer, member, today(), number="30-QĐ/ĐU").content.decode()
    assert "là đảng viên chính thức từ" in page
    assert fresh(member).status == Status.OFFICIAL


def test_official_date_is_admission_plus_twelve_months_even_when_decided_late(world):
    member = probationary(world, datetime.date(2023, 3, 15))
    complete_review(world, member, datetime.date(2024, 5, 10))
    page = decide(
        world.client(Role.OFFICER), member, datetime.date(2024, 5, 20), number="45-QĐ/ĐU"
    ).content.decode()
    assert "chính thức từ 15/03/2024" in page
    member = fresh(member)
    assert member.status == Status.OFFICIAL
    assert member.official_on == datetime.date(2024, 3, 15)
    event = MemberEvent.objects.get(member=member, kind=EventKind.RECOGNISED)
    assert (event.on, event.decision_number) == (datetime.date(2024, 3, 15), "45-QĐ/ĐU")
    decision = RecognitionStep.objects.get(member=member, kind="decision")
    assert decision.done_on == datetime.date(2024, 5, 20)
    # The procedure is closed: no more forms, the decision is shown.
    page = world.client(Role.OFFICER).get(f"/admissions/probation/{member.pk}/").content.decode()
    assert "Đã công nhận chính thức" in page and "45-QĐ/ĐU" in page
    assert 'id="recognise-form"' not in page


def test_member_page_leads_to_the_procedure_instead_of_a_direct_recognition(world):
    member = probationary(world, months_ago(13))
    client = world.client(Role.OFFICER)
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert f'href="/admissions/probation/{member.pk}/"' in page
    assert f'href="/admissions/cards/{member.pk}/"' in page
    assert f"/members/{member.pk}/recognise/" not in page
    response = client.post(
        f"/members/{member.pk}/recognise/", {"effective_on": today().strftime("%d/%m/%Y")}
    )
    assert response.status_code == 404
    assert fresh(member).status == Status.PROBATIONARY


def test_a_passed_vote_cannot_be_recorded_twice(world):
    member = probationary(world, months_ago(13))
    secretary = world.client(Role.SECRETARY)
    record_step(secretary, member, "branch_vote", today(), votes_for=5, votes_total=6)
    page = record_step(
        secretary, member, "branch_vote", today(), votes_for=6, votes_total=6
    ).content.decode()
    assert "Nghị quyết chi bộ đề nghị công nhận chính thức đã được ghi ngày" in page
    assert RecognitionStep.objects.get(member=member, kind="branch_vote").votes_for == 5
