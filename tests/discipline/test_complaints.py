"""Complaints against a discipline decision (Điều lệ Đảng; QĐ 296-QĐ/TW chương V): received
and answered by the committee above the one that decided, escalated up the chain, the decision
applying meanwhile; an answer that annuls it undoes it; a complaint after the deadline is only
«Không thụ lý»."""

from dangvien.core.roles import Role
from dangvien.discipline.models import Complaint, ComplaintResult, Discipline, DisciplineForm
from tests.transfers.steps import ONE_DAY, ddmmyyyy, issue, today


def _decide(client, world, days_ago: int):
    client.post(
        f"/discipline/member/{world.other_member.pk}/new/",
        {
            "decision_number": "60-QĐ/ĐU",
            "decided_on": ddmmyyyy(today() - ONE_DAY * days_ago),
            "form": DisciplineForm.WARNING,
            "deciding_org": str(world.base.pk),
            "violation": "Vi phạm",
        },
    )
    return Discipline.unscoped.get()


def _letter(client, world):
    return issue(
        client,
        world.other_member,
        to_code=world.branch.code,
        trigger_on=today(),
        letter_issued_on=today(),
    )


def _receive(client, discipline, body, **fields):
    data = {
        "action": "complaint",
        "handling_org": str(body.pk),
        "received_on": ddmmyyyy(today()),
        "content": "Oan",
    }
    data.update(fields)
    return client.post(f"/discipline/{discipline.pk}/complaints/", data)


def _resolve(client, complaint, result: str, answer: str = "Đã xem xét"):
    return client.post(
        f"/discipline/complaint/{complaint.pk}/resolve/",
        {"result": result, "resolved_on": ddmmyyyy(today()), "answer": answer},
    )


def test_a_complaint_goes_up_the_chain_and_its_answer_annuls_the_decision(world):
    officer = world.client(Role.OFFICER)
    discipline = _decide(officer, world, 10)
    page = officer.get(f"/discipline/{discipline.pk}/complaints/").content.decode()
    assert f'<option value="{world.upper.pk}"' in page
    assert f'<option value="{world.base.pk}"' not in page  # the body that decided
    assert _receive(officer, discipline, world.base).status_code == 400
    assert not Complaint.unscoped.exists()
    assert _receive(officer, discipline, world.upper).status_code == 302
    complaint = Complaint.unscoped.get()
    assert complaint.in_time and Discipline.unscoped.get().annulled_at is None  # still applies
    assert officer.post(f"/discipline/{discipline.pk}/complaints/", {}).status_code == 403
    held = _letter(officer, world)
    assert held.status_code == 400 and "đang có khiếu nại" in held.content.decode()

    assert _resolve(officer, complaint, ComplaintResult.UPHELD).status_code == 302
    assert "đang có khiếu nại" not in _letter(officer, world).content.decode()
    admin = world.client(Role.ADMIN)
    assert _receive(admin, discipline, world.upper).status_code == 400  # answered there already
    assert _receive(admin, discipline, world.province).status_code == 302
    escalated = Complaint.unscoped.latest("id")
    assert escalated.escalated_from_id == complaint.pk
    answer = "Không đủ căn cứ kết luận vi phạm"
    assert _resolve(admin, escalated, ComplaintResult.ANNULLED, answer).status_code == 302
    discipline = Discipline.unscoped.get()
    assert discipline.annulled_at is not None and answer in discipline.annul_reason
    page = admin.get(f"/discipline/{discipline.pk}/complaints/").content.decode()
    assert "Xóa bỏ quyết định kỷ luật" in page and "Giữ nguyên quyết định kỷ luật" in page


def test_a_complaint_after_the_deadline_is_not_accepted(world):
    officer = world.client(Role.OFFICER)
    discipline = _decide(officer, world, 200)
    assert _receive(officer, discipline, world.upper).status_code == 302
    complaint = Complaint.unscoped.get()
    assert not complaint.in_time
    refused = _resolve(officer, complaint, ComplaintResult.UPHELD)
    assert refused.status_code == 400 and "chỉ «Không thụ lý»" in refused.content.decode()
    assert _resolve(officer, complaint, ComplaintResult.NOT_ACCEPTED).status_code == 302


def test_the_answer_is_the_handling_committees_not_the_branchs(world):
    """The secretary manages the member disciplined but not the committee that answers: the
    answer page is refused and the page offers no link to it."""
    officer = world.client(Role.OFFICER)
    officer.post(
        f"/discipline/member/{world.member.pk}/new/",
        {
            "decision_number": "61-QĐ/ĐU",
            "decided_on": ddmmyyyy(today() - ONE_DAY * 10),
            "form": DisciplineForm.WARNING,
            "deciding_org": str(world.base.pk),
            "violation": "Vi phạm",
        },
    )
    discipline = Discipline.unscoped.get()
    secretary = world.client(Role.SECRETARY)
    page = secretary.get(f"/discipline/{discipline.pk}/complaints/").content.decode()
    assert 'id="complaint-who"' in page and 'name="handling_org"' not in page
    assert _receive(secretary, discipline, world.upper).status_code == 403
    _receive(officer, discipline, world.upper)
    complaint = Complaint.unscoped.get()
    assert secretary.get(f"/discipline/complaint/{complaint.pk}/resolve/").status_code == 403
    answer = {"result": "xoa_bo", "resolved_on": ddmmyyyy(today()), "answer": "Thử"}
    assert (
        secretary.post(f"/discipline/complaint/{complaint.pk}/resolve/", answer).status_code == 403
    )
    assert Discipline.unscoped.get().annulled_at is None


def test_the_complaint_period_runs_from_the_day_the_decision_was_received(world):
    """R7.2: the deadline is the day received plus the rule set's working days; a complaint
    received after the deadline counted from the decision is in time from the day received."""
    officer = world.client(Role.OFFICER)
    discipline = _decide(officer, world, 60)
    assert _receive(officer, discipline, world.upper).status_code == 302
    assert not Complaint.unscoped.get().in_time  # 60 days after the decision
    url = f"/discipline/{discipline.pk}/complaints/"
    late = {"action": "receipt", "receipt-received_on": ddmmyyyy(today() + ONE_DAY)}
    assert officer.post(url, late).status_code == 400
    received = today() - ONE_DAY * 5
    data = {"action": "receipt", "receipt-received_on": ddmmyyyy(received)}
    assert officer.post(url, data).status_code == 302
    discipline = Discipline.unscoped.get()
    assert discipline.received_on == received and discipline.complaint_until > today()
    assert Complaint.unscoped.get().in_time
    page = officer.get(url).content.decode()
    assert f"Đối tượng nhận quyết định ngày {received:%d/%m/%Y}" in page
    # Another day once one is recorded: a correction, with its reason.
    other = {"action": "receipt", "receipt-received_on": ddmmyyyy(received - ONE_DAY)}
    refused = officer.post(url, other)
    assert refused.status_code == 400 and "ghi lý do sửa" in refused.content.decode()
    assert officer.post(url, {**other, "receipt-reason": "Ghi nhầm ngày"}).status_code == 302
    assert Discipline.unscoped.get().received_on == received - ONE_DAY
