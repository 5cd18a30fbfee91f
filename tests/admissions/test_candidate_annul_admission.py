"""The admission decision is confirmed on its own page; a decision taken by mistake is annulled
with a reason while nothing follows it (no ceremony, the member record untouched since): the
record it created goes, the file returns to the step before the decision, the history keeps
everything, and a new decision can be taken."""

import datetime

from dangvien.admissions.models import AdmissionStepKind, Candidate, Stage
from dangvien.admissions.procedure import services
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members import services as member_services
from dangvien.members.models import Member, MemberEvent, Placement
from tests.admissions.test_admit_candidate import admit, voted
from tests.admissions.workflow import complete_file, new_candidate, today

CODE = "KN-2026-0001"


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def page_url(candidate) -> str:
    return f"/admissions/candidates/{candidate.pk}/"


def annul_url(candidate) -> str:
    return f"/admissions/candidates/{candidate.pk}/annul/"


def admitted(world) -> tuple[Candidate, Member]:
    candidate = voted(world)
    assert admit(world.client(Role.OFFICER), candidate, code=CODE).status_code == 302
    candidate.refresh_from_db()
    return candidate, candidate.member


def test_the_decision_is_annulled_with_a_reason_and_the_file_goes_back(world):
    candidate, member = admitted(world)
    client = world.client(Role.OFFICER)
    page = client.get(page_url(candidate)).content.decode()
    assert f'href="{annul_url(candidate)}"' in page

    confirm = client.get(annul_url(candidate))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert (
        f"Quyết định kết nạp số 15-QĐ/ĐU ngày {d(today())} bị hủy; hồ sơ kết nạp của Phạm Thị "
        "Quần Chúng trở lại giai đoạn «Đảng ủy cơ sở đã đề nghị»." in text
    )
    assert f"Hồ sơ đảng viên {CODE} do quyết định này tạo bị xóa" in text
    assert 'Lý do hủy quyết định kết nạp <span class="required"' in text

    refused = client.post(annul_url(candidate), {"reason": " "})
    assert refused.status_code == 400
    assert (
        "Chưa hủy quyết định kết nạp: Cần ghi lý do hủy quyết định kết nạp."
        in refused.content.decode()
    )
    assert Member.unscoped.filter(pk=member.pk).exists()
    assert Candidate.unscoped.get(pk=candidate.pk).stage == Stage.ADMITTED

    done = client.post(annul_url(candidate), {"reason": "Quyết định ký nhầm người"})
    assert done.status_code == 302
    stored = Candidate.unscoped.get(pk=candidate.pk)
    assert (stored.stage, stored.member_id) == (Stage.COMMITTEE_RESOLVED, None)
    assert not stored.steps.filter(kind=AdmissionStepKind.DECISION).exists()
    assert not Member.unscoped.filter(pk=member.pk).exists()
    assert not MemberEvent.objects.filter(member_id=member.pk).exists()
    assert not Placement.objects.filter(member_id=member.pk).exists()

    on_file = AuditEntry.unscoped.get(
        action="candidate.annul_admission", target_type="admissions.candidate"
    )
    assert on_file.reason == "Quyết định ký nhầm người"
    assert on_file.changes["stage"] == ["Đã kết nạp", "Đảng ủy cơ sở đã đề nghị"]
    assert on_file.changes["member"] == [f"Phạm Thị Quần Chúng ({CODE})", None]
    on_record = AuditEntry.unscoped.get(
        action="candidate.annul_admission", target_type="members.member"
    )
    assert (on_record.target_id, on_record.reason) == (member.pk, "Quyết định ký nhầm người")
    # The history keeps the record's creation and the decision beside their annulment.
    assert AuditEntry.unscoped.filter(action="member.create", target_id=member.pk).exists()
    assert AuditEntry.unscoped.filter(action="candidate.admit", target_id=candidate.pk).exists()

    page = client.get(page_url(candidate)).content.decode()
    assert "Đã hủy quyết định kết nạp Phạm Thị Quần Chúng" in page
    assert f'href="/members/{member.pk}/"' not in page
    assert client.get(f"/members/{member.pk}/").status_code == 404
    history = page.split("<h2>Lịch sử thay đổi</h2>")[1]
    assert "Hủy quyết định kết nạp" in history and "Quyết định ký nhầm người" in history
    # The file is back before the decision: a new decision, even with the same code.
    assert f'href="/admissions/candidates/{candidate.pk}/admit/"' in page
    assert admit(client, candidate, code=CODE).status_code == 302
    again = Candidate.unscoped.get(pk=candidate.pk)
    assert again.stage == Stage.ADMITTED and again.member.code == CODE


def test_no_annulment_after_the_ceremony(world):
    candidate, member = admitted(world)
    services.record_ceremony(world.users[Role.SECRETARY], candidate, on=today())
    client = world.client(Role.OFFICER)
    assert f'href="{annul_url(candidate)}"' not in client.get(page_url(candidate)).content.decode()
    back = client.get(annul_url(candidate), follow=True)
    expected = (
        f"Lễ kết nạp Phạm Thị Quần Chúng đã tổ chức ngày {d(today())}: không hủy được quyết "
        "định kết nạp nữa."
    )
    assert expected in back.content.decode()
    refused = client.post(annul_url(candidate), {"reason": "Nhầm"})
    assert refused.status_code == 400
    assert expected in refused.content.decode()
    assert Member.unscoped.filter(pk=member.pk).exists()
    assert Candidate.unscoped.get(pk=candidate.pk).stage == Stage.ADMITTED


def test_no_annulment_once_the_member_record_has_changed(world):
    candidate, member = admitted(world)
    member_services.update_member(world.users[Role.OFFICER], member, {"phone": "0912345678"})
    refused = world.client(Role.OFFICER).post(annul_url(candidate), {"reason": "Nhầm"})
    assert refused.status_code == 400
    assert (
        f"Không hủy được quyết định kết nạp: hồ sơ đảng viên {CODE} đã có thay đổi sau quyết "
        f"định (sửa hồ sơ đảng viên ngày {d(today())}). Chỉ hủy được quyết định kết nạp khi "
        "chưa ghi nhận lễ kết nạp và hồ sơ đảng viên chưa có thay đổi nào sau quyết định."
        in refused.content.decode()
    )
    assert Member.unscoped.filter(pk=member.pk).exists()


def test_only_the_committee_annuls_and_only_in_its_scope(world):
    candidate, member = admitted(world)
    secretary = world.client(Role.SECRETARY)
    assert f'href="{annul_url(candidate)}"' not in (
        secretary.get(page_url(candidate)).content.decode()
    )
    assert secretary.get(annul_url(candidate)).status_code == 403
    assert secretary.post(annul_url(candidate), {"reason": "Nhầm"}).status_code == 403
    outside = world.client("outside_officer")
    assert outside.get(annul_url(candidate)).status_code == 404
    assert outside.post(annul_url(candidate), {"reason": "Nhầm"}).status_code == 404
    assert Member.unscoped.filter(pk=member.pk).exists()
    assert Candidate.unscoped.get(pk=candidate.pk).stage == Stage.ADMITTED


def test_the_decision_page_refuses_at_the_top_and_keeps_the_input(world):
    candidate = voted(world)
    response = admit(world.client(Role.OFFICER), candidate, code=world.other_member.code)
    page = response.content.decode()
    assert response.status_code == 400
    top = page.split("Khi xác nhận:")[0]
    assert f"Chưa kết nạp: Mã đảng viên {world.other_member.code} đã thuộc về" in top
    assert 'value="15-QĐ/ĐU"' in page
    assert Candidate.unscoped.get(pk=candidate.pk).stage == Stage.COMMITTEE_RESOLVED


def test_no_decision_page_before_the_file_is_ready(world):
    candidate = complete_file(world, new_candidate(world))
    back = world.client(Role.OFFICER).get(
        f"/admissions/candidates/{candidate.pk}/admit/", follow=True
    )
    assert "Hồ sơ chưa có đủ nghị quyết đề nghị kết nạp để ra quyết định." in (
        back.content.decode()
    )
    assert back.redirect_chain[-1][0] == page_url(candidate)
