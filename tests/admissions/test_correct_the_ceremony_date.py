"""The admission ceremony's date, the day the 12 months of probation run from (Điều lệ Đảng,
Điều 5.1), is recorded on the probation review for an imported member who has none, and
corrected there with a reason: the probation's end moves with it. Once the member is official
it no longer changes (issue 12, gap 5)."""

import datetime

import pytest

from dangvien.admissions.models import AdmissionStep, AdmissionStepKind
from dangvien.admissions.probation.services import correct_ceremony
from dangvien.admissions.procedure.services import (
    admit_candidate,
    record_admission_step,
    record_ceremony,
)
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Status
from tests.admissions.probation_steps import fresh, probationary, record_step, text, today
from tests.admissions.test_probation_from_ceremony import admitted_with_ceremony
from tests.admissions.workflow import complete_file, new_candidate, seat_voters

DAY = datetime.timedelta(days=1)


def review(member) -> str:
    return f"/admissions/probation/{member.pk}/"


def version(client, member) -> str:
    return client.get(review(member)).context["ceremony_form"]["version"].value()


def send(client, member, on: datetime.date, reason: str = "", token: str | None = None):
    data = {
        "ceremony-ceremony_on": text(on),
        "ceremony-reason": reason,
        "ceremony-version": version(client, member) if token is None else token,
    }
    return client.post(f"{review(member)}ceremony/", data, follow=True)


def end_shown(page: str) -> str:
    return page.split("Hết thời gian dự bị</dt><dd>")[1][:10]


def test_an_imported_member_gets_a_ceremony_date_and_the_probation_counts_from_it(world):
    admitted = add_months(today(), -13)
    member = probationary(world, admitted, full_name="Đinh Văn Nhập")
    client = world.client(Role.SECRETARY)
    page = client.get(review(member)).content.decode()
    assert 'id="ceremony-form"' in page and "Ghi ngày lễ kết nạp" in page
    assert end_shown(page) == text(add_months(admitted, 12))

    ceremony = admitted + 40 * DAY
    done = send(client, member, ceremony).content.decode()
    end = add_months(ceremony, 12)
    assert f"Đã ghi ngày lễ kết nạp {text(ceremony)}: thời gian dự bị hết ngày {text(end)}." in done
    assert fresh(member).ceremony_on == ceremony
    assert end_shown(done) == text(end)
    entry = AuditEntry.unscoped.get(action="member.update", target_id=member.pk)
    assert entry.changes == {"ceremony_on": [None, text(ceremony)]}
    assert "Ngày lễ kết nạp" in done.split('id="review-history"')[1]
    # The list of probationary members counts from the ceremony too.
    row = client.get("/admissions/probation/").content.decode().split("Đinh Văn Nhập")[1]
    assert text(end) in row.split("</tr>")[0]


def test_a_correction_needs_a_reason_and_moves_the_end(world):
    admitted = add_months(today(), -13)
    member = probationary(world, admitted, ceremony_on=admitted + 10 * DAY)
    client = world.client(Role.OFFICER)
    page = client.get(review(member)).content.decode()
    assert "Sửa ngày lễ kết nạp (có lý do)" in page

    corrected = admitted + 20 * DAY
    response = send(client, member, corrected)
    assert response.status_code == 400
    refused = response.content.decode()
    banner = refused.split('id="refused-banner"')[1].split("</div>")[0]
    assert "Chưa lưu." in banner and "Lý do sửa, căn cứ" in banner
    assert f'value="{text(corrected)}"' in refused  # the date typed stays
    assert fresh(member).ceremony_on == admitted + 10 * DAY

    reason = "Biên bản lễ kết nạp ghi ngày khác với hồ sơ"
    done = send(client, member, corrected, reason).content.decode()
    assert f"(trước đây {text(admitted + 10 * DAY)})" in done
    assert fresh(member).ceremony_on == corrected
    assert end_shown(done) == text(add_months(corrected, 12))
    entry = AuditEntry.unscoped.get(action="member.update", target_id=member.pk)
    assert entry.reason == reason
    assert entry.changes == {"ceremony_on": [text(admitted + 10 * DAY), text(corrected)]}
    assert reason in done.split('id="review-history"')[1]


def test_a_stale_page_or_an_impossible_date_is_refused(world):
    admitted = add_months(today(), -13)
    member = probationary(world, admitted)
    client = world.client(Role.OFFICER)
    old = version(client, member)
    send(world.client(Role.SECRETARY), member, admitted + 5 * DAY)
    stale = send(client, member, admitted + 9 * DAY, "Sửa lại", token=old)
    assert stale.status_code == 400 and "sau khi bạn mở trang" in stale.content.decode()
    for day, message in (
        (today() + DAY, "Ngày lễ kết nạp không thể ở tương lai."),
        (admitted - DAY, f"Lễ kết nạp trước ngày vào Đảng ({text(admitted)})."),
        (admitted + 5 * DAY, f"Ngày lễ kết nạp đã là {text(admitted + 5 * DAY)}."),
    ):
        response = send(client, member, day, "Sửa lại")
        assert response.status_code == 400 and message in response.content.decode()
    assert fresh(member).ceremony_on == admitted + 5 * DAY


def test_a_correction_that_puts_a_recorded_vote_before_the_end_is_refused(world):
    admitted = add_months(today(), -14)
    member = probationary(world, admitted)
    secretary = world.client(Role.SECRETARY)
    voted_on = add_months(admitted, 12) + 5 * DAY
    record_step(secretary, member, "self_review", voted_on)
    record_step(secretary, member, "branch_vote", voted_on, votes_for=5, votes_total=6)
    response = send(secretary, member, admitted + 30 * DAY, "Theo biên bản")
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Nghị quyết chi bộ đề nghị công nhận chính thức ngày {text(voted_on)}" in page
    assert "chi bộ chỉ xét công nhận chính thức sau khi hết 12 tháng dự bị" in page
    assert fresh(member).ceremony_on is None
    assert not AuditEntry.unscoped.filter(action="member.update", target_id=member.pk).exists()


def test_once_official_the_ceremony_no_longer_changes_and_the_page_says_why(world):
    admitted = add_months(today(), -26)
    member = probationary(world, admitted, ceremony_on=admitted + 10 * DAY)
    client = world.client(Role.OFFICER)
    token = version(client, member)
    official = add_months(admitted + 10 * DAY, 12)
    type(member).unscoped.filter(pk=member.pk).update(status=Status.OFFICIAL, official_on=official)
    assert 'id="ceremony-form"' not in client.get(review(member)).content.decode()
    response = send(client, member, admitted + 20 * DAY, "Sửa", token=token)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"không còn là đảng viên dự bị (đã được công nhận chính thức từ {text(official)})" in (
        page
    )
    assert "ngày chính thức đã được quyết định theo 12 tháng dự bị kể từ lễ kết nạp" in page
    assert fresh(member).ceremony_on == admitted + 10 * DAY


def test_a_member_admitted_on_the_system_moves_the_files_ceremony_with_it(world):
    decided = add_months(today(), -13)
    member = admitted_with_ceremony(world, decided, decided + 10 * DAY)
    client = world.client(Role.OFFICER)
    done = send(client, member, decided + 12 * DAY, "Lễ lùi hai ngày, biên bản số 3")
    assert done.status_code == 200
    step = AdmissionStep.objects.get(kind=AdmissionStepKind.CEREMONY)
    assert step.done_on == decided + 12 * DAY == fresh(member).ceremony_on
    entry = AuditEntry.unscoped.filter(action="candidate.step").order_by("id").last()
    assert entry.reason == "Lễ lùi hai ngày, biên bản số 3"
    assert entry.changes["step_ceremony"][1].endswith(text(decided + 12 * DAY))


def test_the_candidate_page_points_to_the_review_and_a_file_without_ceremony_to_itself(world):
    decided = add_months(today(), -13)
    member = admitted_with_ceremony(world, decided, decided + 10 * DAY)
    with pytest.raises(DomainError, match="trên trang «Xét công nhận chính thức» của đảng viên"):
        record_ceremony(world.users[Role.SECRETARY], member.candidate, on=decided + 11 * DAY)
    # Admitted on the system, no ceremony yet: it is recorded on the admission file, on time.
    candidate = complete_file(world, new_candidate(world, citizen_id="001200099999"))
    seat_voters(world.branch, 10, today() - 10 * DAY)
    secretary, officer = world.users[Role.SECRETARY], world.users[Role.OFFICER]
    record_admission_step(
        secretary, candidate, "branch_vote", on=today() - 10 * DAY, votes_for=8, votes_total=10
    )
    record_admission_step(
        officer, candidate, "committee_vote", on=today() - 5 * DAY, votes_for=7, votes_total=9
    )
    fresh_member = admit_candidate(
        officer, candidate, code="KN-LE-09", decision=Decision(today(), "19-QĐ/ĐU", "Đảng ủy")
    )
    page = world.client(Role.OFFICER).get(review(fresh_member)).content.decode()
    assert 'id="ceremony-form"' not in page
    assert f'href="/admissions/candidates/{candidate.pk}/">hồ sơ kết nạp</a>' in page
    with pytest.raises(DomainError, match="ghi lễ kết nạp trên trang hồ sơ kết nạp"):
        correct_ceremony(officer, fresh_member, on=today())
    assert fresh(fresh_member).ceremony_on is None


def test_only_managers_of_the_branch_record_the_ceremony(world):
    admitted = add_months(today(), -13)
    member = probationary(world, admitted)
    inspector = world.client(Role.INSPECTOR)
    assert 'id="ceremony-form"' not in inspector.get(review(member)).content.decode()
    data = {"ceremony-ceremony_on": text(admitted + DAY), "ceremony-version": ""}
    assert inspector.post(f"{review(member)}ceremony/", data).status_code == 403
    outside = probationary(world, admitted, branch=world.outside_branch)
    officer = world.client(Role.OFFICER)
    assert officer.post(f"{review(outside)}ceremony/", data).status_code == 404
    assert fresh(member).ceremony_on is None and fresh(outside).ceremony_on is None
