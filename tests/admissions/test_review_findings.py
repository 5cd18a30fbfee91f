"""Ways around the admission and probation procedures that a review found, each closed."""

import datetime

import pytest

from dangvien.admissions.candidates.services import (
    move_candidate,
    record_awareness_class,
    update_candidate,
    withdraw_candidate,
)
from dangvien.admissions.cards.services import issue_card
from dangvien.admissions.models import AdmissionStepKind, Candidate
from dangvien.admissions.probation.services import not_recognise, recognise, record_recognition_step
from dangvien.admissions.procedure.services import admit_candidate, record_admission_step
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members import services as member_services
from dangvien.members.models import Member, Status
from dangvien.organizations import services as org_services
from dangvien.organizations.models import OrgKind
from tests.admissions.workflow import complete_file, new_candidate, seat_voters, today, years_ago
from tests.factories import MemberFactory, OrganizationFactory

Kind = AdmissionStepKind


def vote(world, candidate, kind=Kind.BRANCH_VOTE, on=None, votes=(9, 10), role=Role.SECRETARY):
    if kind == Kind.BRANCH_VOTE:
        seat_voters(candidate.organization, votes[1], on or today())
    return record_admission_step(
        world.users[role],
        candidate,
        kind,
        on=on or today(),
        votes_for=votes[0],
        votes_total=votes[1],
    )


def voted(world, **values) -> Candidate:
    candidate = complete_file(world, new_candidate(world, **values))
    vote(world, candidate)
    vote(world, candidate, Kind.COMMITTEE_VOTE, votes=(7, 9), role=Role.OFFICER)
    return candidate


def admit(world, candidate, code="KN-0001"):
    return admit_candidate(
        world.users[Role.OFFICER],
        candidate,
        code=code,
        decision=Decision(today(), "15-QĐ/ĐU", "Đảng ủy phường Hòa Bình"),
    )


def probationary(world, months: int, branch=None) -> Member:
    admitted_on = add_months(today(), -months)
    return MemberFactory(
        branch=branch or world.branch,
        admitted_on=admitted_on,
        official_on=None,
        status=Status.PROBATIONARY,
    )


def test_editing_the_record_cannot_make_a_probationary_member_official(world):
    member = probationary(world, 13)
    with pytest.raises(DomainError, match="qua các bước xét công nhận"):
        member_services.update_member(
            world.users[Role.SECRETARY], member, {"official_on": add_months(member.admitted_on, 12)}
        )
    with pytest.raises(DomainError, match="chỉ cấp cho đảng viên chính thức"):
        member_services.update_member(
            world.users[Role.OFFICER], member, {"card_number": "12345678"}
        )
    assert Member.unscoped.get(pk=member.pk).status == Status.PROBATIONARY


def test_a_card_with_a_history_is_changed_only_on_the_card_page(world):
    officer = world.users[Role.OFFICER]
    issue_card(officer, world.member, number="11112222", series="old", issued_on=today())
    with pytest.raises(DomainError, match="trang «Thẻ đảng viên»"):
        member_services.update_member(officer, world.member, {"card_number": "99998888"})


def test_a_page_loaded_before_the_withdrawal_cannot_admit(world):
    candidate = voted(world)
    stale = Candidate.unscoped.get(pk=candidate.pk)
    withdraw_candidate(world.users[Role.SECRETARY], candidate, reason="Chuyển công tác")
    with pytest.raises(DomainError, match="đã khép lại"):
        admit(world, stale)
    with pytest.raises(DomainError, match="đã khép lại"):
        vote(world, stale, Kind.COMMITTEE_VOTE, role=Role.OFFICER)
    assert not Member.unscoped.filter(code="KN-0001").exists()


def test_admitting_twice_is_refused_not_a_crash(world):
    candidate = voted(world)
    stale = Candidate.unscoped.get(pk=candidate.pk)
    admit(world, candidate)
    with pytest.raises(DomainError, match="đã khép lại"):
        admit(world, stale, code="KN-0002")


def test_what_the_branch_checked_stays_fixed_after_its_vote(world):
    candidate = complete_file(world, new_candidate(world))
    vote(world, candidate)
    secretary = world.users[Role.SECRETARY]
    with pytest.raises(DomainError, match="không sửa giấy chứng nhận"):
        record_awareness_class(secretary, candidate, attended_on=today())
    with pytest.raises(DomainError, match="không sửa họ tên, ngày sinh"):
        update_candidate(secretary, candidate, {"birth_date": years_ago(17)})
    update_candidate(secretary, candidate, {"phone": "0912345678"})


def test_a_passed_committee_vote_stands(world):
    candidate = voted(world)
    with pytest.raises(DomainError, match="đã được ghi ngày"):
        vote(world, candidate, Kind.COMMITTEE_VOTE, votes=(1, 9), role=Role.OFFICER)


def branch_vote_as_typed(world, candidate, votes_for: int, votes_total: int):
    return record_admission_step(
        world.users[Role.SECRETARY],
        candidate,
        Kind.BRANCH_VOTE,
        on=today(),
        votes_for=votes_for,
        votes_total=votes_total,
    )


def test_the_vote_total_cannot_be_below_the_branchs_official_members(world):
    candidate = complete_file(world, new_candidate(world))
    # The branch has the member of the world and the two introducers: 3 official members.
    with pytest.raises(DomainError, match=r"ít hơn số đảng viên chính thức .* \(3\)"):
        branch_vote_as_typed(world, candidate, 2, 2)


def test_the_vote_total_cannot_be_above_the_branchs_official_members(world):
    """50 voters typed for a branch of 34 (issue 12): the total is a typing mistake."""
    candidate = complete_file(world, new_candidate(world))
    seat_voters(world.branch, 34, today())
    with pytest.raises(DomainError, match=r"\(50\) nhiều hơn số đảng viên chính thức .* \(34\)"):
        branch_vote_as_typed(world, candidate, 40, 50)
    assert branch_vote_as_typed(world, candidate, 30, 34).outcome == "done"


def test_a_member_who_left_since_still_counts_on_the_day_of_the_vote(world):
    """The bounds are the branch's official members on the day of the vote, not today's: a
    vote entered late keeps the figures of its meeting."""
    meeting = today() - datetime.timedelta(days=20)
    candidate = complete_file(world, new_candidate(world), on=meeting - datetime.timedelta(days=5))
    seat_voters(world.branch, 5, meeting)
    gone = Member.unscoped.filter(branch=world.branch, status=Status.OFFICIAL).last()
    left = today() - datetime.timedelta(days=10)
    Member.unscoped.filter(pk=gone.pk).update(status=Status.REMOVED, left_on=left)
    gone.placements.update(end=left)
    step = record_admission_step(
        world.users[Role.SECRETARY],
        candidate,
        Kind.BRANCH_VOTE,
        on=meeting,
        votes_for=5,
        votes_total=5,
    )
    assert step.outcome == "done"


def test_over_60_at_the_decision_but_not_at_the_branch_review_is_admitted(world):
    birth = add_months(today(), -720) + datetime.timedelta(days=20)  # 60 in 20 days
    candidate = complete_file(
        world, new_candidate(world, birth_date=birth), on=today() - datetime.timedelta(days=40)
    )
    vote(world, candidate, on=today() - datetime.timedelta(days=35))
    vote(
        world,
        candidate,
        Kind.COMMITTEE_VOTE,
        on=today() - datetime.timedelta(days=30),
        votes=(7, 9),
        role=Role.OFFICER,
    )
    member = admit_candidate(
        world.users[Role.OFFICER],
        candidate,
        code="KN-0060",
        decision=Decision(today(), "16-QĐ/ĐU", "Đảng ủy phường Hòa Bình"),
    )
    assert Member.unscoped.get(pk=member.pk).status == Status.PROBATIONARY


def test_the_same_person_without_a_citizen_id_is_not_entered_twice(world):
    new_candidate(world, citizen_id="")
    with pytest.raises(DomainError, match="cùng họ tên và ngày sinh"):
        new_candidate(world, citizen_id="", full_name="PHẠM THỊ QUẦN CHÚNG")
    new_candidate(world, citizen_id="001200099999")  # a namesake told apart by the ID


def test_a_branch_with_open_candidates_is_not_dissolved_until_they_move(world):
    candidate = new_candidate(world)
    lone = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Sử", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    officer = world.users[Role.OFFICER]
    moved = move_candidate(officer, candidate, lone)
    assert (moved.organization, moved.org_path) == (lone, lone.path)
    with pytest.raises(DomainError, match="còn 1 quần chúng trong nguồn kết nạp"):
        org_services.dissolve_organization(
            officer, lone, Decision(today(), "9-QĐ/ĐU", "Đảng ủy", "Sáp nhập")
        )
    move_candidate(officer, moved, world.branch)
    org_services.dissolve_organization(
        officer, lone, Decision(today(), "9-QĐ/ĐU", "Đảng ủy", "Sáp nhập")
    )


def test_a_committee_vote_has_no_place_in_a_base_branchs_review(world):
    base_branch = OrganizationFactory(
        code="P.U1.05", name="Chi bộ Trạm Y tế", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    member = probationary(world, 13, branch=base_branch)
    with pytest.raises(DomainError, match="là chi bộ cơ sở"):
        record_recognition_step(
            world.users[Role.OFFICER],
            member,
            "committee_vote",
            on=today(),
            votes_for=5,
            votes_total=5,
        )


def test_review_dates_go_forward(world):
    member = probationary(world, 14)
    secretary, officer = world.users[Role.SECRETARY], world.users[Role.OFFICER]
    seat_voters(member.branch, 5, today() - datetime.timedelta(days=5))
    record_recognition_step(secretary, member, "self_review", on=today())
    with pytest.raises(DomainError, match="Chi bộ biểu quyết trước ngày"):
        record_recognition_step(
            secretary,
            member,
            "branch_vote",
            on=today() - datetime.timedelta(days=5),
            votes_for=5,
            votes_total=5,
        )
    for kind in ("introducer_opinion", "mass_org_comment"):
        record_recognition_step(secretary, member, kind, on=today() - datetime.timedelta(days=10))
    record_recognition_step(
        secretary, member, "branch_vote", on=today(), votes_for=5, votes_total=5
    )
    with pytest.raises(DomainError, match="Đảng ủy cơ sở xét trước ngày chi bộ biểu quyết"):
        record_recognition_step(
            officer,
            member,
            "committee_vote",
            on=today() - datetime.timedelta(days=1),
            votes_for=7,
            votes_total=9,
        )
    record_recognition_step(
        officer, member, "committee_vote", on=today(), votes_for=7, votes_total=9
    )
    with pytest.raises(DomainError, match="Quyết định ký trước ngày"):
        recognise(
            officer, member, Decision(today() - datetime.timedelta(days=2), "1-QĐ", "Đảng ủy")
        )


def test_after_three_failed_votes_the_upper_level_may_strike_off_and_not_before_the_end(world):
    member = probationary(world, 13)
    secretary, officer = world.users[Role.SECRETARY], world.users[Role.OFFICER]
    early = probationary(world, 6)
    with pytest.raises(DomainError, match="Chưa hết thời gian dự bị"):
        not_recognise(officer, early, Decision(today(), "2-QĐ", "Đảng ủy"))
    seat_voters(member.branch, 6, today() - datetime.timedelta(days=2))
    for days_before in (2, 1, 0):  # three meetings on three days
        on = today() - datetime.timedelta(days=days_before)
        record_recognition_step(secretary, member, "branch_vote", on=on, votes_for=1, votes_total=6)
    decision = Decision(today(), "3-QĐ", "Đảng ủy cấp trên", "Ba lần biểu quyết không đạt")
    struck = not_recognise(officer, member, decision)
    assert struck.status == Status.REMOVED
    assert struck.events.filter(kind="removed").get().decision_body == "Đảng ủy cấp trên"


def test_the_page_moves_a_candidate_within_the_users_scope(world):
    candidate = new_candidate(world)
    url = f"/admissions/candidates/{candidate.pk}/move/"
    refused = world.client(Role.SECRETARY).post(url, {"branch_code": world.other_branch.code})
    assert refused.status_code == 400
    assert "Không tìm thấy tổ chức có mã này trong phạm vi quản lý của bạn." in (
        refused.content.decode()
    )
    officer = world.client(Role.OFFICER)
    moved = officer.post(url, {"branch_code": world.other_branch.code})
    assert moved.status_code == 302
    candidate.refresh_from_db()
    assert candidate.organization == world.other_branch
    page = officer.get(f"/admissions/candidates/{candidate.pk}/")
    assert f"Đã chuyển {candidate.full_name} sang {world.other_branch.name}." in (
        page.content.decode()
    )
