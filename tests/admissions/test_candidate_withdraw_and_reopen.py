"""Stopping the consideration of a candidate is confirmed on a page that says what happens to the
file, with a required reason; a stopped file is taken up again («tiếp tục xem xét») with a
reason, at the stage it had."""

from dangvien.admissions.models import Candidate, Stage
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.admissions.test_admit_candidate import admit, voted
from tests.admissions.workflow import complete_file, new_candidate
from tests.factories import MemberFactory


def url(candidate, action: str = "") -> str:
    return f"/admissions/candidates/{candidate.pk}/" + (f"{action}/" if action else "")


def stage_of(candidate) -> str:
    return Candidate.unscoped.get(pk=candidate.pk).stage


def entries(candidate, action: str) -> list[AuditEntry]:
    return list(
        AuditEntry.unscoped.filter(
            action=action, target_type="admissions.candidate", target_id=candidate.pk
        ).order_by("id")
    )


def test_the_withdrawal_says_what_happens_to_the_file_and_needs_a_reason(world):
    candidate = complete_file(world, new_candidate(world))
    client = world.client(Role.SECRETARY)
    page = client.get(url(candidate)).content.decode()
    assert f'href="{url(candidate, "withdraw")}"' in page
    assert "<summary>Dừng xem xét kết nạp</summary>" not in page  # no inline form any more

    confirm = client.get(url(candidate, "withdraw"))
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert (
        "Hồ sơ kết nạp của Phạm Thị Quần Chúng chuyển từ «Đang hoàn thiện hồ sơ» sang «Dừng "
        "xem xét»" in text
    )
    assert "Giữ nguyên trong hồ sơ: 5 văn bản, biểu quyết đã ghi và 2 đảng viên giúp đỡ." in text
    assert "trở lại giai đoạn «Đang hoàn thiện hồ sơ»" in text
    assert 'Lý do dừng xem xét <span class="required"' in text

    refused = client.post(url(candidate, "withdraw"), {"reason": "  "})
    assert refused.status_code == 400
    assert "Chưa dừng xem xét: Cần ghi lý do dừng xem xét." in refused.content.decode()
    assert stage_of(candidate) == Stage.FILE
    assert entries(candidate, "candidate.withdraw") == []

    done = client.post(url(candidate, "withdraw"), {"reason": "Chuyển công tác ra ngoài tỉnh"})
    assert done.status_code == 302
    assert stage_of(candidate) == Stage.WITHDRAWN
    [entry] = entries(candidate, "candidate.withdraw")
    assert entry.reason == "Chuyển công tác ra ngoài tỉnh"
    assert entry.changes == {"stage": ["Đang hoàn thiện hồ sơ", "Dừng xem xét"]}


def test_a_stopped_file_is_taken_up_again_at_the_stage_it_had(world):
    candidate = complete_file(world, new_candidate(world))
    client = world.client(Role.SECRETARY)
    client.post(url(candidate, "withdraw"), {"reason": "Chuyển công tác ra ngoài tỉnh"})
    page = client.get(url(candidate)).content.decode()
    assert f'href="{url(candidate, "reopen")}"' in page
    assert f'href="{url(candidate, "withdraw")}"' not in page

    confirm = client.get(url(candidate, "reopen")).content.decode()
    assert (
        "Hồ sơ của Phạm Thị Quần Chúng trở lại giai đoạn «Đang hoàn thiện hồ sơ» tại Chi bộ "
        "Tổ Toán" in confirm
    )
    assert "Lý do dừng xem xét trước đây («Chuyển công tác ra ngoài tỉnh»)" in confirm

    refused = client.post(url(candidate, "reopen"), {"reason": ""})
    assert refused.status_code == 400
    assert "Chưa tiếp tục xem xét: Cần ghi lý do tiếp tục xem xét." in refused.content.decode()
    assert stage_of(candidate) == Stage.WITHDRAWN

    done = client.post(url(candidate, "reopen"), {"reason": "Đã trở lại công tác tại trường"})
    assert done.status_code == 302
    stored = Candidate.unscoped.get(pk=candidate.pk)
    assert (stored.stage, stored.withdrawn_reason) == (Stage.FILE, "")
    [entry] = entries(candidate, "candidate.reopen")
    assert entry.reason == "Đã trở lại công tác tại trường"
    assert entry.changes == {
        "stage": ["Dừng xem xét", "Đang hoàn thiện hồ sơ"],
        "withdrawn_reason": ["Chuyển công tác ra ngoài tỉnh", ""],
    }
    page = client.get(url(candidate)).content.decode()
    assert "Đã tiếp tục xem xét kết nạp Phạm Thị Quần Chúng." in page
    history = page.split("<h2>Lịch sử thay đổi</h2>")[1]
    assert "Tiếp tục xem xét kết nạp" in history and "Dừng xem xét kết nạp" in history
    assert "Chuyển công tác ra ngoài tỉnh" in history  # the first reason is kept
    assert f'href="{url(candidate, "withdraw")}"' in page  # open again


def test_a_file_stopped_after_the_votes_goes_on_to_the_decision(world):
    candidate = voted(world)
    secretary = world.client(Role.SECRETARY)
    secretary.post(url(candidate, "withdraw"), {"reason": "Đi học dài hạn"})
    assert stage_of(candidate) == Stage.WITHDRAWN
    secretary.post(url(candidate, "reopen"), {"reason": "Đã học xong, về trường"})
    assert stage_of(candidate) == Stage.COMMITTEE_RESOLVED
    assert admit(world.client(Role.OFFICER), candidate).status_code == 302
    assert stage_of(candidate) == Stage.ADMITTED


def test_the_same_person_entered_since_refuses_the_reopening(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    client.post(url(candidate, "withdraw"), {"reason": "Chuyển công tác"})
    member = MemberFactory(branch=world.branch, citizen_id=candidate.citizen_id)
    refused = client.post(url(candidate, "reopen"), {"reason": "Trở lại"})
    assert refused.status_code == 400
    assert (
        f"Số CCCD {candidate.citizen_id} đã có trong hệ thống. Đó là hồ sơ của đảng viên "
        f"{member.full_name} (mã {member.code})." in refused.content.decode()
    )
    assert stage_of(candidate) == Stage.WITHDRAWN
    assert entries(candidate, "candidate.reopen") == []


def test_an_open_file_has_nothing_to_reopen(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    response = client.get(url(candidate, "reopen"), follow=True)
    assert "đang ở giai đoạn «Quần chúng ưu tú»" in response.content.decode()
    refused = client.post(url(candidate, "reopen"), {"reason": "Nhầm"})
    assert refused.status_code == 400
    assert "không có gì để tiếp tục xem xét" in refused.content.decode()


def test_scope_of_withdrawal_and_reopening(world):
    candidate = new_candidate(world)
    for action in ("withdraw", "reopen"):
        assert world.client("outside_officer").get(url(candidate, action)).status_code == 404
        assert world.client(Role.INSPECTOR).get(url(candidate, action)).status_code == 403
        posted = world.client(Role.INSPECTOR).post(url(candidate, action), {"reason": "X"})
        assert posted.status_code == 403
    assert stage_of(candidate) == Stage.POOL
