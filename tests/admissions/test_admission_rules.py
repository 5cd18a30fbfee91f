"""Each admission rule refused with its Vietnamese reason, through the services the pages call."""

import datetime

import pytest

from dangvien.admissions.candidates.services import record_awareness_class
from dangvien.admissions.introducers.services import assign_introducer, record_introduction
from dangvien.admissions.models import AdmissionStepKind, Stage, StepOutcome
from dangvien.admissions.probation.services import recognise, record_recognition_step
from dangvien.admissions.procedure.services import (
    admit_candidate,
    failed_vote_message,
    record_admission_step,
    record_ceremony,
)
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import RuleException
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Status
from tests.admissions.workflow import (
    complete_file,
    new_candidate,
    seat_voters,
    today,
    years_ago,
)
from tests.factories import MemberFactory

VOTE = AdmissionStepKind.BRANCH_VOTE


def branch_vote(world, candidate, **extra):
    on = extra.pop("on", today())
    seat_voters(candidate.organization, extra.get("votes_total", 10), on)
    return record_admission_step(
        world.users[Role.SECRETARY],
        candidate,
        VOTE,
        on=on,
        votes_for=extra.pop("votes_for", 9),
        votes_total=extra.pop("votes_total", 10),
        **extra,
    )


def committee_vote(world, candidate):
    return record_admission_step(
        world.users[Role.OFFICER],
        candidate,
        AdmissionStepKind.COMMITTEE_VOTE,
        on=today(),
        votes_for=7,
        votes_total=9,
    )


def admit(world, candidate, code="KN-0001", on=None):
    return admit_candidate(
        world.users[Role.OFFICER],
        candidate,
        code=code,
        decision=Decision(on or today(), "15-QĐ/ĐU", "Đảng ủy phường Hòa Bình"),
    )


def test_under_18_at_the_branch_vote_is_refused(world):
    candidate = complete_file(
        world, new_candidate(world, birth_date=years_ago(18) + datetime.timedelta(days=40))
    )
    with pytest.raises(DomainError, match="phải đủ 18 tuổi"):
        branch_vote(world, candidate)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.FILE
    assert not candidate.steps.filter(kind=VOTE).exists()


def test_exactly_18_years_in_months_may_be_considered(world):
    candidate = complete_file(world, new_candidate(world, birth_date=years_ago(18)))
    assert branch_vote(world, candidate).outcome == StepOutcome.DONE


def test_over_60_needs_a_recorded_exception_with_the_consent(world):
    candidate = complete_file(world, new_candidate(world, birth_date=years_ago(61)))
    with pytest.raises(DomainError, match="ban thường vụ tỉnh ủy"):
        branch_vote(world, candidate)
    branch_vote(
        world,
        candidate,
        exception_reason="Cơ sở chưa có đảng viên, sức khỏe tốt",
        exception_document="120-CV/TU",
    )
    exception = RuleException.unscoped.get(rule_key="admission_max_age_months")
    assert exception.decision_number == "120-CV/TU"
    assert exception.target_id == candidate.pk


def test_low_schooling_needs_an_exception(world):
    candidate = complete_file(world, new_candidate(world, general_education="7/12"))
    with pytest.raises(DomainError, match="thấp hơn lớp 9"):
        branch_vote(world, candidate)


@pytest.mark.parametrize("schooling", ["6/10", "8/12"])
def test_schooling_just_below_lower_secondary_needs_an_exception(world, schooling):
    candidate = complete_file(world, new_candidate(world, general_education=schooling))
    with pytest.raises(DomainError, match=r"thấp hơn lớp 9/12 \(hệ 10 năm: lớp 7/10\)"):
        branch_vote(world, candidate)
    branch_vote(world, candidate, exception_reason="Xã vùng cao", exception_document="5-CV/TU")
    exception = RuleException.unscoped.get(rule_key="min_general_education_grade")
    assert exception.target_id == candidate.pk and schooling in exception.reason


@pytest.mark.parametrize("schooling", ["7/10", "9/12"])
def test_lower_secondary_complete_in_either_system_needs_no_exception(world, schooling):
    """ "7/10" of the old 10-year system is lower secondary complete, as "9/12" is."""
    candidate = complete_file(world, new_candidate(world, general_education=schooling))
    assert branch_vote(world, candidate).outcome == StepOutcome.DONE
    assert not RuleException.unscoped.exists()


def test_missing_documents_block_the_vote_and_are_listed(world):
    candidate = new_candidate(world)
    record_awareness_class(
        world.users[Role.SECRETARY], candidate, attended_on=today() - datetime.timedelta(days=9)
    )
    with pytest.raises(DomainError) as refused:
        branch_vote(world, candidate)
    assert "Đơn xin vào Đảng (mẫu 1-KNĐ)" in refused.value.message
    assert "Giấy giới thiệu của 2 đảng viên chính thức" in refused.value.message


def test_awareness_certificate_older_than_60_months_is_refused(world):
    candidate = complete_file(world, new_candidate(world))
    record_awareness_class(
        world.users[Role.SECRETARY], candidate, attended_on=add_months(today(), -61)
    )
    with pytest.raises(DomainError, match="đã quá 60 tháng"):
        branch_vote(world, candidate)


def test_a_probationary_member_cannot_be_assigned_as_introducer(world):
    candidate = new_candidate(world)
    probationary = MemberFactory(
        branch=world.branch,
        full_name="Đỗ Dự Bị",
        admitted_on=today() - datetime.timedelta(days=100),
        official_on=None,
        status=Status.PROBATIONARY,
    )
    with pytest.raises(DomainError, match="chỉ đảng viên chính thức được phân công"):
        assign_introducer(
            world.users[Role.SECRETARY],
            candidate,
            probationary,
            assigned_on=today(),
            together_since=years_ago(2),
        )


def test_an_introducer_beside_the_applicant_under_12_months_cannot_write_the_letter(world):
    candidate = new_candidate(world)
    introducer = assign_introducer(
        world.users[Role.SECRETARY],
        candidate,
        MemberFactory(branch=world.branch),
        assigned_on=today() - datetime.timedelta(days=30),
        together_since=today() - datetime.timedelta(days=200),
    )
    with pytest.raises(DomainError, match="ít nhất 12 tháng"):
        record_introduction(world.users[Role.SECRETARY], introducer, on=today())


def test_a_vote_short_of_two_thirds_is_kept_as_failed_and_counted(world):
    candidate = complete_file(world, new_candidate(world))
    yesterday = today() - datetime.timedelta(days=1)
    step = branch_vote(world, candidate, votes_for=6, votes_total=10, on=yesterday)
    assert step.outcome == StepOutcome.FAILED
    assert "chưa đạt 2/3" in failed_vote_message(candidate.full_name, step)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.FILE
    again = branch_vote(world, candidate, votes_for=7, votes_total=10)
    assert (again.outcome, again.attempts) == (StepOutcome.DONE, 2)


def test_two_thirds_exactly_passes(world):
    candidate = complete_file(world, new_candidate(world))
    assert branch_vote(world, candidate, votes_for=6, votes_total=9).outcome == StepOutcome.DONE


def test_the_committee_records_its_vote_and_the_decision_not_the_branch(world):
    candidate = complete_file(world, new_candidate(world))
    branch_vote(world, candidate)
    with pytest.raises(ScopeDenied):
        record_admission_step(
            world.users[Role.SECRETARY],
            candidate,
            AdmissionStepKind.COMMITTEE_VOTE,
            on=today(),
            votes_for=7,
            votes_total=9,
        )
    with pytest.raises(DomainError, match="Chưa có nghị quyết đảng ủy cơ sở"):
        admit(world, candidate)


def test_admission_creates_the_member_from_the_candidate(world):
    candidate = complete_file(world, new_candidate(world))
    branch_vote(world, candidate)
    committee_vote(world, candidate)
    member = admit(world, candidate)
    member = Member.unscoped.get(pk=member.pk)
    assert (member.full_name, member.gender, member.ethnicity, member.citizen_id) == (
        "Phạm Thị Quần Chúng",
        "Nữ",
        "Tày",
        "001200012345",
    )
    assert member.admitted_on == today()
    assert member.status == Status.PROBATIONARY
    assert member.branch == world.branch
    admitted_event = member.events.get(kind="admitted")
    assert admitted_event.decision_number == "15-QĐ/ĐU"
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.member) == (Stage.ADMITTED, member)


def test_a_late_ceremony_needs_the_upper_committees_approval(world):
    candidate = complete_file(world, new_candidate(world), on=today() - datetime.timedelta(days=90))
    secretary = world.users[Role.SECRETARY]
    branch_vote(
        world, candidate, on=today() - datetime.timedelta(days=80), votes_for=5, votes_total=5
    )
    record_admission_step(
        world.users[Role.OFFICER],
        candidate,
        AdmissionStepKind.COMMITTEE_VOTE,
        on=today() - datetime.timedelta(days=75),
        votes_for=5,
        votes_total=5,
    )
    admit(world, candidate, on=today() - datetime.timedelta(days=70))
    with pytest.raises(DomainError, match="quá 30 ngày làm việc"):
        record_ceremony(secretary, candidate, on=today())
    record_ceremony(
        secretary,
        candidate,
        on=today(),
        exception_reason="Đảng viên đi công tác dài ngày",
        exception_document="33-CV/ĐU",
    )
    assert RuleException.unscoped.filter(rule_key="ceremony_deadline_working_days").exists()


def test_recognition_before_12_months_is_refused(world):
    candidate = complete_file(world, new_candidate(world))
    branch_vote(world, candidate)
    committee_vote(world, candidate)
    member = admit(world, candidate)
    with pytest.raises(DomainError, match="Chưa đủ 12 tháng dự bị"):
        recognise(world.users[Role.OFFICER], member, Decision(today(), "20-QĐ/ĐU", "Đảng ủy"))
    with pytest.raises(DomainError, match="Chưa hết thời gian dự bị"):
        record_recognition_step(
            world.users[Role.SECRETARY],
            member,
            "branch_vote",
            on=today(),
            votes_for=9,
            votes_total=10,
        )
