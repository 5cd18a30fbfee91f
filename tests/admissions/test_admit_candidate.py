"""The admission decision and the ceremony: only the committee (MANAGE_ORGS) decides, the member
record is created from the candidate's own data, and a ceremony later than 30 working days after
the decision needs the upper committee's approval."""

import datetime

from dangvien.admissions.models import AdmissionStepKind, Candidate, Stage
from dangvien.admissions.procedure import selectors, services
from dangvien.core.models import RuleException
from dangvien.core.roles import Role
from dangvien.core.workdays import deadline
from dangvien.members.models import EventKind, Member, Status
from tests.admissions.workflow import complete_file, new_candidate, seat_voters, today

Kind = AdmissionStepKind


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def voted(world, on: datetime.date | None = None) -> Candidate:
    """A candidate with the branch's and the base committee's votes on `on` (default today)."""
    on = on or today()
    candidate = complete_file(world, new_candidate(world), on=on)
    seat_voters(world.branch, 10, on)
    services.record_admission_step(
        world.users[Role.SECRETARY], candidate, Kind.BRANCH_VOTE, on=on, votes_for=9, votes_total=10
    )
    services.record_admission_step(
        world.users[Role.OFFICER], candidate, Kind.COMMITTEE_VOTE, on=on, votes_for=7, votes_total=9
    )
    candidate.refresh_from_db()
    return candidate


def admit(client, candidate, code="KN-2026-0001", on=None):
    return client.post(
        f"/admissions/candidates/{candidate.pk}/admit/",
        {
            "code": code,
            "decision_number": "15-QĐ/ĐU",
            "effective_on": d(on or today()),
            "decision_body": "Đảng ủy Trường Tiểu học Hòa Bình",
        },
    )


def detail(client, candidate) -> str:
    return client.get(f"/admissions/candidates/{candidate.pk}/").content.decode()


def admit_page(client, candidate) -> str:
    """The decision's confirmation page, with the suggested member code."""
    response = client.get(f"/admissions/candidates/{candidate.pk}/admit/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_secretary_cannot_admit(world):
    candidate = voted(world)
    client = world.client(Role.SECRETARY)
    assert "Quyết định kết nạp</h2>" not in detail(client, candidate)
    assert client.get(f"/admissions/candidates/{candidate.pk}/admit/").status_code == 403
    assert admit(client, candidate).status_code == 403
    assert not Member.unscoped.filter(code="KN-2026-0001").exists()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.COMMITTEE_RESOLVED


def test_the_officer_admits_and_the_member_record_is_created_from_the_candidate(world):
    candidate = voted(world)
    client = world.client(Role.OFFICER)
    page = detail(client, candidate)
    assert f'href="/admissions/candidates/{candidate.pk}/admit/"' in page
    page = admit_page(client, candidate)
    # The page says what the decision changes before it is confirmed.
    assert "Hồ sơ đảng viên dự bị của Phạm Thị Quần Chúng được tạo từ thông tin quần chúng" in page
    assert "12 tháng dự bị tính từ ngày lễ kết nạp" in page
    suggested = selectors.suggested_member_code(world.users[Role.OFFICER], candidate)
    assert f'value="{suggested}"' in page
    assert not Member.unscoped.filter(code=suggested).exists()
    decided_on = today()
    response = admit(client, candidate, code=suggested, on=decided_on)
    assert response.status_code == 302
    member = Member.unscoped.get(code=suggested)
    assert (
        member.full_name,
        member.gender,
        member.birth_date,
        member.ethnicity,
        member.citizen_id,
        member.workplace,
    ) == (
        candidate.full_name,
        "Nữ",
        candidate.birth_date,
        "Tày",
        "001200012345",
        "Trường Tiểu học Hòa Bình",
    )
    assert (member.admitted_on, member.status, member.branch) == (
        decided_on,
        Status.PROBATIONARY,
        world.branch,
    )
    event = member.events.get(kind=EventKind.ADMITTED)
    assert (event.decision_number, event.decision_body) == (
        "15-QĐ/ĐU",
        "Đảng ủy Trường Tiểu học Hòa Bình",
    )
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.member) == (Stage.ADMITTED, member)
    page = detail(client, candidate)
    assert f"Đã kết nạp {member.full_name}: hồ sơ đảng viên {suggested} đã được tạo." in page
    assert f'href="/members/{member.pk}/"' in page
    record = client.get(f"/members/{member.pk}/").content.decode()
    assert member.full_name in record
    assert f'href="/admissions/candidates/{candidate.pk}/">Hồ sơ kết nạp</a>' in record


def test_no_decision_before_the_base_committee_has_voted(world):
    candidate = complete_file(world, new_candidate(world))
    seat_voters(world.branch, 10, today())
    services.record_admission_step(
        world.users[Role.SECRETARY],
        candidate,
        Kind.BRANCH_VOTE,
        on=today(),
        votes_for=9,
        votes_total=10,
    )
    response = admit(world.client(Role.OFFICER), candidate)
    assert response.status_code == 400
    assert "Chưa có nghị quyết đảng ủy cơ sở (mẫu 8-KNĐ)." in response.content.decode()
    assert not Member.unscoped.filter(code="KN-2026-0001").exists()


def test_a_member_code_already_in_use_is_refused(world):
    candidate = voted(world)
    response = admit(world.client(Role.OFFICER), candidate, code=world.other_member.code)
    assert f"Mã đảng viên {world.other_member.code} đã thuộc về một đảng viên khác." in (
        response.content.decode()
    )
    candidate.refresh_from_db()
    assert candidate.stage == Stage.COMMITTEE_RESOLVED


def test_the_ceremony_within_30_working_days(world):
    candidate = voted(world)
    client = world.client(Role.OFFICER)
    admit(client, candidate)
    secretary = world.client(Role.SECRETARY)
    page = detail(secretary, candidate)
    assert f"Hạn tổ chức lễ kết nạp: {d(deadline(today(), 30))}" in page
    response = secretary.post(
        f"/admissions/candidates/{candidate.pk}/ceremony/", {"done_on": d(today())}
    )
    assert response.status_code == 302
    assert candidate.steps.filter(kind=Kind.CEREMONY, done_on=today()).exists()
    assert not RuleException.unscoped.filter(rule_key="ceremony_deadline_working_days").exists()
    assert "Đã ghi nhận lễ kết nạp." in detail(secretary, candidate)


def test_a_late_ceremony_needs_the_upper_committees_approval(world):
    candidate = voted(world, on=today() - datetime.timedelta(days=80))
    decided_on = today() - datetime.timedelta(days=70)
    admit(world.client(Role.OFFICER), candidate, on=decided_on)
    secretary = world.client(Role.SECRETARY)
    url = f"/admissions/candidates/{candidate.pk}/ceremony/"
    refused = secretary.post(url, {"done_on": d(today())})
    assert refused.status_code == 400
    last_day = deadline(decided_on, 30)
    assert (
        f"Lễ kết nạp quá 30 ngày làm việc kể từ quyết định (hạn {d(last_day)}) cần cấp ủy cấp "
        "trên đồng ý. Hãy ghi lý do và văn bản cho phép ngoại lệ."
    ) in refused.content.decode()
    assert not candidate.steps.filter(kind=Kind.CEREMONY).exists()
    response = secretary.post(
        url,
        {
            "done_on": d(today()),
            "exception_reason": "Quần chúng đi công tác dài ngày",
            "exception_document": "33-CV/ĐU",
        },
    )
    assert response.status_code == 302
    exception = RuleException.unscoped.get(rule_key="ceremony_deadline_working_days")
    assert exception.decision_number == "33-CV/ĐU"
    assert candidate.steps.filter(kind=Kind.CEREMONY, done_on=today()).exists()
