"""Proposals built from the grades (HD 21-HD/BTCTW): the candidates excellent five years running
(members and organisations), yearly, and for admissions work; verification refuses the
disciplined and those who left; the secretary proposes for the branch, a candidate is taken off
with a reason, the officer records the decision and each one left gets its award."""

import datetime

from dangvien.admissions.models import AdmissionTarget
from dangvien.assessments.models import OrgAssessment
from dangvien.awards.models import Award, EntryStatus, Proposal, ProposalEntry
from dangvien.core import versions
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.awards.steps import YEAR, YEARS, discipline, grade_member, grade_org
from tests.factories import MemberFactory

PLAN = {
    "form": "giay_khen",
    "level": "co_so",
    "title": "Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền (2021–2025)",
    "number": "12-TTr/CB",
    "proposed_on": "05/02/2026",
}


def _candidates(client, org, basis="xuat_sac_nhieu_nam", year=YEAR):
    return client.get(f"/awards/org/{org.code}/candidates/", {"year": year, "basis": basis})


def test_streak_candidates_are_verified_then_proposed_and_decided(world):
    grade_member(world.member, YEARS)
    grade_member(world.other_member, YEARS)
    short = MemberFactory(code="DV-TRONG-3", full_name="Phạm Văn Cường", branch=world.branch)
    grade_member(short, YEARS[1:])  # four years only
    punished = MemberFactory(code="DV-TRONG-4", full_name="Đỗ Thị Dung", branch=world.branch)
    grade_member(punished, YEARS)
    discipline(punished, datetime.date(2023, 5, 4), world.base)
    gone = MemberFactory(
        code="DV-TRONG-5", full_name="Võ Văn Em", branch=world.branch, status=Status.RESIGNED
    )
    grade_member(gone, YEARS)
    grade_org(world.branch, YEARS)

    secretary = world.client(Role.SECRETARY)
    page = _candidates(secretary, world.branch).content.decode()
    assert f'id="candidate-m{world.member.pk}"' in page
    assert "Trần Thị Bình" not in page  # another branch: not the secretary's
    assert "Phạm Văn Cường" not in page
    assert "Bị kỷ luật trong các năm 2021–2025 (quyết định số 7-QĐ/ĐU)" in page
    assert "Không còn sinh hoạt đảng" in page
    assert f'value="o{world.branch.pk}"' in page  # the branch itself, five years excellent

    # A disciplined candidate cannot be proposed even if the form is forged.
    url = f"/awards/org/{world.branch.code}/candidates/?year={YEAR}&basis=xuat_sac_nhieu_nam"
    response = secretary.post(url, {**PLAN, "chosen": [f"m{punished.pk}"]})
    assert response.status_code == 400 and "Bị kỷ luật" in response.content.decode()
    response = secretary.post(url, {**PLAN, "chosen": [f"m{world.member.pk}", f"m{short.pk}"]})
    assert response.status_code == 400  # not a candidate
    assert not Proposal.unscoped.exists()

    response = secretary.post(url, {**PLAN, "chosen": [f"m{world.member.pk}"]})
    assert response.status_code == 302
    proposal = Proposal.unscoped.get()
    assert (proposal.year, proposal.streak_years, proposal.org_path) == (
        YEAR,
        5,
        world.branch.path,
    )
    entry = ProposalEntry.unscoped.get(proposal=proposal)
    assert entry.member == world.member and "2021–2025" in entry.achievement
    # Already proposed: not offered again for the same year and basis.
    assert "Đã có trong một đề nghị" in _candidates(secretary, world.branch).content.decode()

    # The secretary cannot record the decision: the competent level (an officer) does.
    decision = {
        "decision_number": "20-QĐ/ĐU",
        "decided_on": "10/03/2026",
        "deciding_body": "Đảng ủy",
    }
    token = versions.token(proposal)
    assert (
        secretary.post(
            f"/awards/proposals/{proposal.pk}/decide/", {**decision, "version": token}
        ).status_code
        == 403
    )

    officer = world.client(Role.OFFICER)
    page = officer.get(f"/awards/proposals/{proposal.pk}/decide/").content.decode()
    assert "cho 1 tổ chức, đảng viên" in page
    response = officer.post(
        f"/awards/proposals/{proposal.pk}/decide/", {**decision, "version": token}
    )
    assert response.status_code == 302
    award = Award.unscoped.get()
    assert (award.member, award.entry, award.year_from, award.year_to) == (
        world.member,
        entry,
        2021,
        2025,
    )
    assert award.decision_number == "20-QĐ/ĐU" and award.form == "giay_khen"
    proposal.refresh_from_db()
    assert proposal.status == "da_quyet_dinh"
    assert AuditEntry.unscoped.filter(action="awards.decide", target_id=proposal.pk).exists()
    own = world.client(Role.MEMBER).get(f"/members/{world.member.pk}/").content.decode()
    assert "tiêu biểu 5 năm liền (2021–2025)" in own
    # Decided: no second decision.
    token = versions.token(proposal)
    response = officer.post(
        f"/awards/proposals/{proposal.pk}/decide/", {**decision, "version": token}
    )
    assert response.status_code == 400 and Award.unscoped.count() == 1


def test_a_candidate_is_taken_off_with_a_reason_and_a_proposal_withdrawn(world):
    grade_member(world.member, [YEAR])
    grade_member(world.other_member, [YEAR])
    grade_org(world.branch, [YEAR])
    officer = world.client(Role.OFFICER)
    page = _candidates(officer, world.upper, "xuat_sac_nam").content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page and world.branch.name in page
    url = f"/awards/org/{world.upper.code}/candidates/?year={YEAR}&basis=xuat_sac_nam"
    chosen = [f"m{world.member.pk}", f"m{world.other_member.pk}"]
    assert officer.post(url, {**PLAN, "chosen": chosen}).status_code == 302
    proposal = Proposal.unscoped.get()
    _first, second = ProposalEntry.unscoped.filter(proposal=proposal).order_by("id")

    reject = f"/awards/entries/{second.pk}/reject/"
    assert officer.post(reject, {"reason": ""}).status_code == 400
    assert officer.post(reject, {"reason": "Chưa đủ tiêu biểu"}).status_code == 302
    second.refresh_from_db()
    assert (second.status, second.reject_reason) == (EntryStatus.REJECTED, "Chưa đủ tiêu biểu")
    page = officer.get(f"/awards/proposals/{proposal.pk}/").content.decode()
    assert "Không đề nghị" in page and "Chưa đủ tiêu biểu" in page

    withdraw = f"/awards/proposals/{proposal.pk}/withdraw/"
    stale = versions.token(proposal)  # read before the candidate was taken off
    assert officer.post(withdraw, {"version": stale, "reason": "Lập lại"}).status_code == 400
    proposal.refresh_from_db()
    token = versions.token(proposal)
    assert officer.post(withdraw, {"version": token, "reason": "Lập lại"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "da_rut" and proposal.withdraw_reason == "Lập lại"
    # Withdrawn: the members may be proposed again.
    assert (
        "Đã có trong một đề nghị"
        not in _candidates(officer, world.upper, "xuat_sac_nam").content.decode()
    )


def test_admissions_work_lists_organisations_reaching_their_quota(world):
    AdmissionTarget.unscoped.create(
        organization=world.branch, org_path=world.branch.path, year=YEAR, quota=1
    )
    AdmissionTarget.unscoped.create(
        organization=world.other_branch, org_path=world.other_branch.path, year=YEAR, quota=3
    )
    MemberFactory(
        code="DV-MOI-1",
        branch=world.branch,
        admitted_on=datetime.date(YEAR, 4, 2),
        official_on=datetime.date(YEAR + 1, 4, 2),
    )
    page = _candidates(
        world.client(Role.OFFICER), world.upper, "phat_trien_dang_vien"
    ).content.decode()
    assert f'id="candidate-o{world.branch.pk}"' in page and "Kết nạp 1/1 đảng viên" in page
    assert f'id="candidate-o{world.other_branch.pk}"' not in page


def test_an_organisation_formed_by_amalgamation_carries_its_predecessors_years(world):
    """Domain-briefs §10: streaks across mergers follow the successor links."""
    from dangvien.organizations.models import OrgEvent, OrgKind
    from tests.factories import OrganizationFactory

    merged_on = datetime.date(2024, 1, 1)
    new = OrganizationFactory(
        code="P.U1.09",
        name="Đảng bộ xã Hợp Nhất",
        kind=OrgKind.BASE_COMMITTEE,
        parent=world.upper,
        founded_on=merged_on,
    )
    olds = [
        OrganizationFactory(
            code=f"P.U1.0{n}",
            name=f"Đảng bộ xã Cũ {n}",
            kind=OrgKind.BASE_COMMITTEE,
            parent=world.upper,
            ended_on=merged_on,
        )
        for n in (7, 8)
    ]
    for old in olds:
        OrgEvent.unscoped.create(org=old, kind="hop_nhat", effective_on=merged_on, receiving=new)
        grade_org(old, [2021, 2022, 2023])
    grade_org(new, [2024, 2025])
    page = _candidates(world.client(Role.OFFICER), world.upper).content.decode()
    assert f'id="candidate-o{new.pk}"' in page
    assert (
        "tính cả các năm của tổ chức hợp nhất, sáp nhập vào: Đảng bộ xã Cũ 7, Đảng bộ xã Cũ 8"
        in page
    )

    # One predecessor only good in 2022: no streak.
    OrgAssessment.unscoped.filter(organization=olds[1], year=2022).update(grade="tot")
    page = _candidates(world.client(Role.OFFICER), world.upper).content.decode()
    assert f'id="candidate-o{new.pk}"' not in page
