"""The 12 months of probation run from the admission ceremony, not from the decision (Điều lệ
Đảng, Điều 5.1; domain-rules R2.7): the review, the recognition and the official date follow the
ceremony; a record without a ceremony date (imported) counts from the decision."""

import datetime

import pytest

from dangvien.admissions.models import AdmissionStepKind
from dangvien.admissions.probation.services import record_recognition_step
from dangvien.admissions.procedure.services import (
    admit_candidate,
    record_admission_step,
    record_ceremony,
)
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Status
from tests.admissions.probation_steps import complete_review, decide, probationary, text
from tests.admissions.workflow import complete_file, new_candidate, seat_voters, today

Kind = AdmissionStepKind
DAY = datetime.timedelta(days=1)


def admitted_with_ceremony(world, decided: datetime.date, ceremony: datetime.date) -> Member:
    """A candidate taken through the file, the votes, the decision and the ceremony."""
    candidate = complete_file(world, new_candidate(world), on=decided - 20 * DAY)
    seat_voters(world.branch, 6, decided - 10 * DAY)
    secretary, officer = world.users[Role.SECRETARY], world.users[Role.OFFICER]
    record_admission_step(
        secretary, candidate, Kind.BRANCH_VOTE, on=decided - 10 * DAY, votes_for=5, votes_total=6
    )
    record_admission_step(
        officer, candidate, Kind.COMMITTEE_VOTE, on=decided - 5 * DAY, votes_for=7, votes_total=9
    )
    member = admit_candidate(
        officer, candidate, code="KN-LE-01", decision=Decision(decided, "15-QĐ/ĐU", "Đảng ủy")
    )
    record_ceremony(secretary, candidate, on=ceremony)
    return Member.unscoped.get(pk=member.pk)


def test_the_probation_runs_from_the_ceremony(world):
    decided = add_months(today(), -13)
    ceremony = decided + 20 * DAY  # within 30 working days of the decision
    member = admitted_with_ceremony(world, decided, ceremony)
    assert member.ceremony_on == ceremony
    end = add_months(ceremony, 12)
    page = world.client(Role.OFFICER).get(f"/admissions/probation/{member.pk}/").content.decode()
    assert f"Hết thời gian dự bị</dt><dd>{text(end)}" in page
    assert f"Ngày lễ kết nạp</dt><dd>{text(ceremony)}" in page

    # Twelve months after the decision but before twelve after the ceremony: not yet.
    with_decision = add_months(decided, 12) + DAY
    assert with_decision < end
    complete_review(world, member, end)
    refused = decide(world.client(Role.OFFICER), member, with_decision).content.decode()
    assert f"sớm nhất được công nhận chính thức từ {text(end)}" in refused
    assert f"được kết nạp tại lễ ngày {text(ceremony)}" in refused
    decide(world.client(Role.OFFICER), member, end, number="31-QĐ/ĐU")
    member.refresh_from_db()
    assert (member.status, member.official_on) == (Status.OFFICIAL, end)


def test_a_vote_before_twelve_months_after_the_ceremony_is_refused(world):
    decided = add_months(today(), -12) - 5 * DAY
    ceremony = decided + 15 * DAY  # so the probation ends in 10 days
    member = admitted_with_ceremony(world, decided, ceremony)
    end = text(add_months(ceremony, 12))
    with pytest.raises(DomainError, match=rf"Chưa hết thời gian dự bị \(đến {end}\)"):
        record_recognition_step(
            world.users[Role.SECRETARY],
            member,
            "branch_vote",
            on=today(),
            votes_for=5,
            votes_total=6,
        )


def test_an_imported_record_without_a_ceremony_counts_from_the_decision(world):
    member = probationary(world, add_months(today(), -13))
    assert member.ceremony_on is None
    page = world.client(Role.OFFICER).get(f"/admissions/probation/{member.pk}/").content.decode()
    end = add_months(member.admitted_on, 12)
    assert f"Hết thời gian dự bị</dt><dd>{text(end)}" in page
    assert "tạm tính từ ngày quyết định kết nạp" in page


def test_the_probation_list_counts_from_the_ceremony(world):
    decided = add_months(today(), -12) - 5 * DAY
    member = admitted_with_ceremony(world, decided, decided + 15 * DAY)
    client = world.client(Role.OFFICER)
    review = client.get("/admissions/probation/", {"show": "review"}).content.decode()
    assert member.full_name not in review  # 12 months after the decision, not the ceremony
    due = client.get("/admissions/probation/", {"show": "due"}).content.decode()
    assert member.full_name in due  # ends in 10 days


def test_a_ceremony_entered_after_the_recognition_is_refused(world):
    """The official date was counted already: a ceremony entered late does not move the
    probation under a member who is official."""
    decided = add_months(today(), -14)
    candidate = complete_file(world, new_candidate(world), on=decided - 20 * DAY)
    seat_voters(world.branch, 6, decided - 10 * DAY)
    secretary, officer = world.users[Role.SECRETARY], world.users[Role.OFFICER]
    record_admission_step(
        secretary, candidate, Kind.BRANCH_VOTE, on=decided - 10 * DAY, votes_for=5, votes_total=6
    )
    record_admission_step(
        officer, candidate, Kind.COMMITTEE_VOTE, on=decided - 5 * DAY, votes_for=7, votes_total=9
    )
    member = admit_candidate(
        officer, candidate, code="KN-LE-02", decision=Decision(decided, "16-QĐ/ĐU", "Đảng ủy")
    )
    Member.unscoped.filter(pk=member.pk).update(status=Status.OFFICIAL)
    with pytest.raises(DomainError, match="không còn là đảng viên dự bị"):
        record_ceremony(secretary, candidate, on=decided + 10 * DAY)
    assert Member.unscoped.get(pk=member.pk).ceremony_on is None
