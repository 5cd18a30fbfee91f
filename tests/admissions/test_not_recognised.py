"""The non-recognition path: the branch votes to strike the probationary member off, the
competent committee decides; the record and its history stay (Điều lệ Đảng, Điều 5;
domain-rules §2.4, §2.9)."""

import datetime

from dangvien.admissions.models import RecognitionStep
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, MemberEvent, Status
from tests.admissions.probation_steps import (
    decide,
    fresh,
    months_ago,
    probationary,
    record_step,
    today,
)


def test_non_recognition_strikes_the_member_off_and_keeps_the_history(world):
    member = probationary(world, months_ago(13), full_name="Cao Văn Không Đạt")
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    record_step(secretary, member, "self_review", today())
    page = record_step(
        secretary, member, "strike_off_vote", today(), votes_for=5, votes_total=6
    ).content.decode()
    assert "Đã ghi: Nghị quyết chi bộ đề nghị không công nhận, xóa tên." in page

    page = decide(
        officer,
        member,
        today(),
        path="strike-off",
        number="77-QĐ/ĐU",
        reason="Vi phạm tư cách đảng viên trong thời gian dự bị",
    ).content.decode()
    assert "Đã ghi quyết định không công nhận chính thức, xóa tên Cao Văn Không Đạt" in page

    member = fresh(member)
    assert member.status == Status.REMOVED and member.left_on == today()
    assert member.official_on is None
    kinds = set(RecognitionStep.objects.filter(member=member).values_list("kind", flat=True))
    assert kinds == {"self_review", "strike_off_vote", "strike_off"}
    event = MemberEvent.objects.get(member=member, kind=EventKind.REMOVED)
    assert event.decision_number == "77-QĐ/ĐU"
    assert "Vi phạm tư cách đảng viên" in event.reason
    assert AuditEntry.unscoped.filter(
        target_id=member.pk, action="probation.not_recognised"
    ).exists()
    # The record stays readable, with the decision; the procedure offers no more forms.
    detail = officer.get(f"/members/{member.pk}/").content.decode()
    assert "Xóa tên" in detail and "77-QĐ/ĐU" in detail
    procedure = officer.get(f"/admissions/probation/{member.pk}/").content.decode()
    assert "Quyết định xóa tên đảng viên dự bị" in procedure and "Đã xóa tên" in procedure
    assert 'id="strike-off-form"' not in procedure and 'id="recognise-form"' not in procedure


def test_striking_off_needs_the_branch_vote(world):
    member = probationary(world, months_ago(13))
    page = decide(world.client(Role.OFFICER), member, today(), path="strike-off").content.decode()
    assert "Chưa có nghị quyết chi bộ đề nghị không công nhận" in page
    assert fresh(member).status == Status.PROBATIONARY


def test_three_failed_strike_off_votes_let_the_upper_level_decide(world):
    member = probationary(world, months_ago(13))
    secretary = world.client(Role.SECRETARY)
    for days_before in (2, 1, 0):  # three meetings, on three days
        on = today() - datetime.timedelta(days=days_before)
        page = record_step(
            secretary, member, "strike_off_vote", on, votes_for=2, votes_total=6
        ).content.decode()
    assert "Đã 3 lần biểu quyết không đạt 2/3" in page
    reason = "Chi bộ ba lần biểu quyết không đạt; đảng ủy cấp trên quyết định"
    decide(
        world.client(Role.OFFICER), member, today(), "strike-off", number="80-QĐ/ĐU", reason=reason
    )
    assert fresh(member).status == Status.REMOVED


def test_only_the_committee_decides_the_striking_off(world):
    member = probationary(world, months_ago(13))
    record_step(
        world.client(Role.SECRETARY),
        member,
        "strike_off_vote",
        today(),
        votes_for=6,
        votes_total=6,
    )
    for role in (Role.SECRETARY, Role.INSPECTOR):
        response = decide(world.client(role), member, today(), path="strike-off")
        assert response.status_code == 403
    outside = probationary(world, months_ago(13), branch=world.outside_branch)
    response = decide(world.client(Role.OFFICER), outside, today(), path="strike-off")
    assert response.status_code == 404
    assert fresh(member).status == Status.PROBATIONARY
    assert fresh(outside).status == Status.PROBATIONARY
