"""Residents' letters: registered by the ward's officer, forwarded to the school's committee
competent to answer, answered by the deadline or listed as overdue, reopened with a reason."""

from dangvien.core.roles import Role
from dangvien.inspections.models import Petition, PetitionStatus
from tests.transfers.steps import ONE_DAY, ddmmyyyy, today


def _register(client, **fields):
    data = {
        "received_on": ddmmyyyy(today() - ONE_DAY * 60),
        "sender": "Bà Lê Thị Hoa",
        "sender_address": "Tổ 5, phường Hòa Bình",
        "kind": "phan_anh",
        "topic": "Việc thu quỹ của chi bộ trường",
        "content": "Đề nghị làm rõ khoản thu",
    }
    data.update(fields)
    return client.post("/inspections/petitions/org/P.U1/new/", data)


def test_a_letter_forwarded_answered_and_reopened(world):
    officer = world.client(Role.OFFICER)
    assert _register(officer, kind="to_cao").status_code == 400  # not kept in this register
    response = _register(officer)
    letter = Petition.unscoped.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/inspections/petitions/{letter.pk}/"
    )
    overdue = officer.get("/inspections/petitions/org/P.U1/?overdue=1").content.decode()
    assert "Việc thu quỹ của chi bộ trường" in overdue and "Quá hạn" in overdue

    forward = f"/inspections/petitions/{letter.pk}/forward/"
    outside = officer.post(
        forward, {"to_code": world.outside_base.code, "on": ddmmyyyy(today()), "note": "Thẩm quyền"}
    )
    assert outside.status_code == 400 and world.outside_base.name not in outside.content.decode()
    data = {
        "to_code": world.base.code,
        "on": ddmmyyyy(today()),
        "note": "Thuộc thẩm quyền đảng ủy trường",
    }
    assert officer.post(forward, data).status_code == 302
    letter = Petition.unscoped.get()
    assert letter.handling_org == world.base and letter.received_by == world.upper

    answer = f"/inspections/petitions/{letter.pk}/answer/"
    reply = {
        "status": "answered",
        "on": ddmmyyyy(today()),
        "text": "Đã kiểm tra, khoản thu đúng quy định",
    }
    assert officer.post(answer, reply).status_code == 302
    assert Petition.unscoped.get().status == PetitionStatus.ANSWERED
    assert (
        "Quá hạn" not in officer.get("/inspections/petitions/org/P.U1/?overdue=1").content.decode()
    )
    reopen = f"/inspections/petitions/{letter.pk}/reopen/"
    assert officer.post(reopen, {"reason": ""}).status_code == 400
    assert officer.post(reopen, {"reason": "Người gửi bổ sung tài liệu"}).status_code == 302
    assert Petition.unscoped.get().status == PetitionStatus.RECEIVED

    secretary = world.client(Role.SECRETARY)
    assert secretary.get(f"/inspections/petitions/{letter.pk}/").status_code == 404
    inspector = world.client(Role.INSPECTOR)
    assert inspector.get(f"/inspections/petitions/{letter.pk}/").status_code == 200
    assert inspector.get(answer).status_code == 403
