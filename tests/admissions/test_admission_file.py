"""The admission file as a checklist: documents recorded step by step, the branch vote refused
while something is missing or a rule is broken, votes short of two thirds kept as failed, and
the base committee's vote recorded by the committee only."""

import datetime
import re

from dangvien.admissions.candidates import services
from dangvien.admissions.models import AdmissionStep, AdmissionStepKind, Stage, StepOutcome
from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.roles import Role
from tests.admissions.workflow import (
    complete_file,
    new_candidate,
    seat_voters,
    today,
    years_ago,
)
from tests.factories import MemberFactory, OrganizationFactory

Kind = AdmissionStepKind


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def shown_version(client, candidate, kind) -> str:
    """The version the step's form on the candidate's page carries ("" when none is offered)."""
    page = client.get(f"/admissions/candidates/{candidate.pk}/").content.decode()
    found = re.search(rf'name="version" value="([^"]*)" id="id_{kind}_version"', page)
    return found[1] if found else ""


def step(client, candidate, kind, **values):
    values.setdefault("version", shown_version(client, candidate, kind))
    return client.post(
        f"/admissions/candidates/{candidate.pk}/step/",
        {"kind": kind, "done_on": d(values.pop("on", today())), **values},
    )


def vote(client, candidate, kind=Kind.BRANCH_VOTE, votes_for=9, votes_total=10, **values):
    if kind == Kind.BRANCH_VOTE:
        seat_voters(candidate.organization, votes_total, values.get("on", today()))
    return step(client, candidate, kind, votes_for=votes_for, votes_total=votes_total, **values)


def row(page: str, kind: str) -> str:
    """The checklist row of one step, as the user reads it (tags stripped)."""
    html = page.split(f'id="step-{kind}"')[1].split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def detail(client, candidate) -> str:
    return client.get(f"/admissions/candidates/{candidate.pk}/").content.decode()


def test_the_checklist_lists_every_step_in_order(world):
    candidate = new_candidate(world)
    page = detail(world.client(Role.SECRETARY), candidate)
    positions = [page.index(f'id="step-{kind}"') for kind in Kind.values]
    assert positions == sorted(positions)
    assert "chưa có" in row(page, Kind.APPLICATION)
    assert "(nếu có)" in row(page, Kind.YOUTH_UNION)
    assert "Còn thiếu trước khi chi bộ xét:" in page


def test_a_document_is_recorded_with_its_date_and_number(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    on = today() - datetime.timedelta(days=3)
    response = step(client, candidate, Kind.APPLICATION, on=on, document_number="01/ĐXVĐ")
    assert response.status_code == 302
    recorded = AdmissionStep.objects.get(candidate=candidate)
    assert (recorded.kind, recorded.done_on, recorded.document_number) == (
        Kind.APPLICATION,
        on,
        "01/ĐXVĐ",
    )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.FILE
    page = detail(client, candidate)
    assert "Đã ghi nhận: Đơn xin vào Đảng (mẫu 1-KNĐ)." in page
    assert f"Đã có ngày {d(on)} Số 01/ĐXVĐ" in row(page, Kind.APPLICATION)
    future = step(client, candidate, Kind.PERSONAL_HISTORY, on=today() + datetime.timedelta(1))
    assert "Ngày của văn bản không thể ở tương lai." in future.content.decode()


def test_the_branch_vote_is_refused_while_documents_are_missing(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    services.record_awareness_class(
        world.users[Role.SECRETARY], candidate, attended_on=today() - datetime.timedelta(days=9)
    )
    step(client, candidate, Kind.APPLICATION)
    response = vote(client, candidate)
    assert response.status_code == 400
    message = (
        "Chưa đủ hồ sơ để chi bộ xét: thiếu Lý lịch của người xin vào Đảng (mẫu 2-KNĐ); "
        "Văn bản thẩm tra lý lịch; Nhận xét của đoàn thể nơi công tác (mẫu 5-KNĐ); "
        "Nhận xét của chi ủy nơi cư trú (mẫu 5-KNĐ); Giấy giới thiệu của 2 đảng viên chính "
        "thức (mẫu 3-KNĐ), mới có 0."
    )
    assert message in response.content.decode()
    assert not AdmissionStep.objects.filter(kind=Kind.BRANCH_VOTE).exists()


def test_under_18_at_the_branch_vote_is_refused(world):
    birth = years_ago(18) + datetime.timedelta(days=40)
    candidate = complete_file(world, new_candidate(world, birth_date=birth))
    response = vote(world.client(Role.SECRETARY), candidate)
    assert "Người vào Đảng phải đủ 18 tuổi (tính theo tháng) khi chi bộ xét kết nạp" in (
        response.content.decode()
    )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.FILE


def test_over_60_needs_the_exception_and_its_document(world):
    candidate = complete_file(world, new_candidate(world, birth_date=years_ago(61)))
    client = world.client(Role.SECRETARY)
    refused = vote(client, candidate).content.decode()
    assert "cần văn bản đồng ý của ban thường vụ tỉnh ủy" in refused
    assert "Ghi số văn bản đồng ý của ban thường vụ tỉnh ủy." in refused
    without_consent = vote(client, candidate, exception_reason="Sức khỏe tốt").content.decode()
    assert "Ghi số văn bản đồng ý của ban thường vụ tỉnh ủy." in without_consent
    assert not AdmissionStep.objects.filter(kind=Kind.BRANCH_VOTE).exists()
    response = vote(
        client,
        candidate,
        exception_reason="Nơi công tác chưa có đảng viên; sức khỏe tốt",
        exception_document="120-CV/TU",
    )
    assert response.status_code == 302
    exception = RuleException.unscoped.get(rule_key="admission_max_age_months")
    assert (exception.target_id, exception.decision_number) == (candidate.pk, "120-CV/TU")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_RESOLVED


def test_a_vote_short_of_two_thirds_is_kept_with_a_warning(world):
    candidate = complete_file(world, new_candidate(world))
    client = world.client(Role.SECRETARY)
    yesterday = today() - datetime.timedelta(days=1)
    response = vote(client, candidate, votes_for=5, votes_total=10, on=yesterday)
    assert response.status_code == 302
    page = detail(client, candidate)
    assert (
        "Biểu quyết chưa đạt 2/3: 5/10 tán thành. Đã ghi lần biểu quyết thứ 1; "
        "Phạm Thị Quần Chúng chưa được đề nghị." in page
    )
    assert "Chưa đạt tỷ lệ biểu quyết" in row(page, Kind.BRANCH_VOTE)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.FILE
    vote(client, candidate, votes_for=8, votes_total=10)
    branch_vote = AdmissionStep.objects.get(kind=Kind.BRANCH_VOTE)
    assert (branch_vote.outcome, branch_vote.attempts) == (StepOutcome.DONE, 2)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_RESOLVED
    assert "8/10 tán thành · lần 2" in row(detail(client, candidate), Kind.BRANCH_VOTE)


def test_the_base_committee_votes_not_the_branch(world):
    candidate = complete_file(world, new_candidate(world))
    secretary = world.client(Role.SECRETARY)
    vote(secretary, candidate)
    page = detail(secretary, candidate)
    assert 'name="kind" value="committee_vote"' not in page
    assert vote(secretary, candidate, Kind.COMMITTEE_VOTE, 7, 9).status_code == 403
    officer = world.client(Role.OFFICER)
    assert 'name="kind" value="committee_vote"' in detail(officer, candidate)
    response = vote(officer, candidate, Kind.COMMITTEE_VOTE, 7, 9, document_number="12-NQ/ĐU")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.COMMITTEE_RESOLVED
    # Once the branch has voted, the documents are closed.
    late = step(secretary, candidate, Kind.RESIDENCE_COMMENT)
    assert "Chi bộ đã biểu quyết: hồ sơ không sửa được nữa." in late.content.decode()


def test_a_base_branch_has_no_committee_vote(world):
    base_branch = OrganizationFactory(
        code="P.U1.02", name="Chi bộ Trạm Y tế", kind="chi_bo_co_so", parent=world.upper
    )
    MemberFactory(branch=base_branch)
    candidate = services.create_candidate(
        world.users[Role.OFFICER],
        organization=base_branch,
        values={"full_name": "Hà Văn Cơ Sở", "gender": "Nam", "birth_date": years_ago(30)},
        selected_on=today(),
    )
    page = detail(world.client(Role.OFFICER), candidate)
    assert "Không áp dụng (chi bộ cơ sở)" in row(page, Kind.COMMITTEE_VOTE)


def test_a_mistyped_vote_is_corrected_without_counting_as_another_attempt(world):
    """The secretary typed 5 for 8: the correction, with its reason, replaces the figures of
    that attempt, which stays the first; the three-failure rule counts meetings, not typing."""
    yesterday = today() - datetime.timedelta(days=1)
    candidate = complete_file(world, new_candidate(world), on=yesterday)
    client = world.client(Role.SECRETARY)
    assert vote(client, candidate, votes_for=5, votes_total=10, on=yesterday).status_code == 302
    again = vote(client, candidate, votes_for=8, votes_total=10, on=yesterday)
    assert again.status_code == 400
    assert "hãy ghi lý do sửa để sửa chính lần đó" in again.content.decode()

    reason = "Ghi nhầm số tán thành: biên bản ghi 8/10."
    fixed = vote(
        client, candidate, votes_for=8, votes_total=10, on=yesterday, correction_reason=reason
    )
    assert fixed.status_code == 302
    branch_vote = AdmissionStep.objects.get(kind=Kind.BRANCH_VOTE)
    assert (branch_vote.outcome, branch_vote.attempts, branch_vote.votes_for) == (
        StepOutcome.DONE,
        1,
        8,
    )
    entry = AuditEntry.unscoped.filter(action="candidate.step").order_by("id").last()
    assert entry.reason == reason
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_RESOLVED


def test_a_correction_needs_a_vote_to_correct(world):
    candidate = complete_file(world, new_candidate(world))
    response = vote(world.client(Role.SECRETARY), candidate, correction_reason="Nhầm")
    assert "Chưa có lần biểu quyết nào để sửa." in response.content.decode()
    assert not AdmissionStep.objects.filter(kind=Kind.BRANCH_VOTE).exists()
