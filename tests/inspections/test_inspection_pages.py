"""The inspection pages: an officer records an activity on the page, the team records its
progress, the body concludes it on a confirmation page and may reopen it with a reason; overdue
activities are listed; a member under an open inspection gets no introduction letter; a secretary
records only their branch's activities and an inspector only reads."""

import re

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.inspections.models import Conclusion, Inspection
from tests.members.test_print_record import pdf_text
from tests.transfers.steps import ONE_DAY, ddmmyyyy, issue, today


def _new(client, org_code: str, **fields):
    data = {
        "conducted_by": "uy_ban_kiem_tra",
        "activity": "kiem_tra",
        "form": "khi_co_dau_hieu_vi_pham",
        "subject_code": "DV-TRONG-1",
        "decision_number": "15-QĐ/UBKT",
        "decided_on": ddmmyyyy(today() - ONE_DAY * 60),
        "due_on": "",
        "content": "Việc chấp hành quy định về những điều đảng viên không được làm",
        "period": "Năm nay",
        "team": "",
    }
    data.update(fields)
    return client.post(f"/inspections/org/{org_code}/new/", data)


def _version(client, inspection) -> dict:
    """The version the activity's page carries, as a browser posts it back."""
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    return {"version": re.search(r'name="version" value="([^"]*)"', page)[1]}


def test_an_officer_records_concludes_and_reopens_an_inspection(world):
    client = world.client(Role.OFFICER)
    page = client.get("/inspections/org/P.U1/").content.decode()
    assert 'id="inspection-new"' in page and "Không có cuộc kiểm tra, giám sát nào." in page

    refused = _new(client, "P.U1", conducted_by="chi_bo")
    assert refused.status_code == 400 and "không phải một chi bộ" in refused.content.decode()
    response = _new(client, "P.U1")
    inspection = Inspection.unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{inspection.pk}/"
    assert inspection.due_on > inspection.decided_on  # the rule set's working days
    overdue = client.get("/inspections/org/P.U1/?overdue=1").content.decode()
    assert inspection.decision_number in overdue and "Quá hạn" in overdue

    # A member under an open inspection is not given an introduction letter.
    letter = issue(
        client,
        world.member,
        to_code=world.other_branch.code,
        trigger_on=today(),
        letter_issued_on=today(),
    )
    assert (
        letter.status_code == 400 and "chưa chuyển sinh hoạt đảng được" in letter.content.decode()
    )

    progress = {
        "team": "Đồng chí Hà, Đồng chí Minh",
        "self_report": "Đã giải trình",
        "findings": "Có vi phạm",
        "follow_up": "",
        **_version(client, inspection),
    }
    assert client.post(f"/inspections/{inspection.pk}/", progress).status_code == 302
    assert Inspection.unscoped.get().findings == "Có vi phạm"

    url = f"/inspections/{inspection.pk}/conclude/"
    assert "Kết luận phải kỷ luật" in client.get(url).content.decode()
    early = client.post(
        url,
        {
            "conclusion": "vi_pham",
            "concluded_on": ddmmyyyy(inspection.decided_on - ONE_DAY),
            "remedies": "",
        },
    )
    assert (
        early.status_code == 400
        and "Ngày kết luận phải từ ngày quyết định" in early.content.decode()
    )
    day = today() - ONE_DAY * 5
    done = client.post(
        url,
        {
            "conclusion": "vi_pham",
            "concluded_on": ddmmyyyy(day),
            "remedies": "Kiểm điểm trước chi bộ",
        },
    )
    assert done.status_code == 302
    inspection = Inspection.unscoped.get()
    assert (inspection.conclusion, inspection.concluded_on) == (Conclusion.VIOLATION, day)
    assert (
        inspection.decision_number
        not in client.get("/inspections/org/P.U1/?overdue=1").content.decode()
    )

    reopen = f"/inspections/{inspection.pk}/reopen/"
    assert client.post(reopen, {"reason": ""}).status_code == 400
    assert client.post(reopen, {"reason": "Ghi nhầm kết luận"}).status_code == 302
    assert Inspection.unscoped.get().conclusion == Conclusion.PENDING
    actions = list(
        AuditEntry.unscoped.filter(
            target_type="inspections.inspection", target_id=str(inspection.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "inspection.record",
        "inspection.update",
        "inspection.conclude",
        "inspection.reopen",
    } <= set(actions)

    annul = f"/inspections/{inspection.pk}/annul/"
    assert client.post(annul, {"reason": "Quyết định bị thu hồi"}).status_code == 302
    assert Inspection.unscoped.get().annulled_at is not None


def test_a_secretary_records_their_branchs_supervision_and_an_inspector_only_reads(world):
    secretary = world.client(Role.SECRETARY)
    assert secretary.get("/inspections/org/P.U1/new/").status_code == 404
    response = _new(
        secretary,
        world.branch.code,
        conducted_by="chi_bo",
        activity="giam_sat",
        form="thuong_xuyen",
        decision_number="3-KH/CB",
    )
    assert response.status_code == 302
    inspection = Inspection.unscoped.get()
    outside = _new(
        secretary,
        world.branch.code,
        subject_code=world.outside_member.code,
        conducted_by="chi_bo",
        activity="giam_sat",
        form="thuong_xuyen",
    )
    assert (
        outside.status_code == 400
        and world.outside_member.full_name not in outside.content.decode()
    )

    inspector = world.client(Role.INSPECTOR)
    page = inspector.get(f"/inspections/{inspection.pk}/").content.decode()
    assert (
        "Đồng chí" not in page
        and 'id="conclude"' not in page
        and '<form method="post">' not in page
    )
    assert inspector.get(f"/inspections/{inspection.pk}/conclude/").status_code == 403
    assert inspector.post(f"/inspections/{inspection.pk}/", {"team": "x"}).status_code == 403


def test_the_conclusion_notice_prints_once_concluded(world):
    client = world.client(Role.OFFICER)
    _new(client, "P.U1")
    inspection = Inspection.unscoped.get()
    url = f"/inspections/{inspection.pk}/conclusion.pdf"
    assert client.get(url).status_code == 404  # nothing concluded yet
    client.post(
        f"/inspections/{inspection.pk}/conclude/",
        {"conclusion": "vi_pham", "concluded_on": ddmmyyyy(today()), "remedies": "Kiểm điểm"},
    )
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in (
        "ỦY BAN KIỂM TRA ĐẢNG ỦY PHƯỜNG HÒA BÌNH",
        "THÔNG BÁO",
        "Thực hiện Quyết định số 15-QĐ/UBKT",
        "kết luận: Có vi phạm, chưa đến mức kỷ luật.",
        "T/M ỦY BAN KIỂM TRA",
        "CHỦ NHIỆM",
    ):
        assert expected in text, expected


def test_a_member_to_be_disciplined_leaves_only_by_discipline(world):
    """A violation concluded «phải kỷ luật» ends in discipline: the member is not struck off nor
    let go on their request until a decision is recorded (domain-rules §7.2)."""
    client = world.client(Role.OFFICER)
    _new(client, "P.U1")
    inspection = Inspection.unscoped.get()
    leave = {
        "status": "resigned",
        "effective_on": ddmmyyyy(today()),
        "decision_number": "1",
        "decision_body": "",
        "reason": "Xin ra khỏi Đảng",
    }
    refused = client.post(f"/members/{world.member.pk}/leave/", leave)
    assert refused.status_code == 400 and "chưa có kết luận" in refused.content.decode()
    client.post(
        f"/inspections/{inspection.pk}/conclude/",
        {"conclusion": "phai_ky_luat", "concluded_on": ddmmyyyy(today()), "remedies": "Kỷ luật"},
    )
    refused = client.post(f"/members/{world.member.pk}/leave/", leave)
    assert refused.status_code == 400 and "xử lý bằng kỷ luật" in refused.content.decode()
    # A resignation that took effect before the inspection began is not held back by it.
    before = {**leave, "effective_on": ddmmyyyy(inspection.decided_on - ONE_DAY)}
    assert client.post(f"/members/{world.member.pk}/leave/", before).status_code == 302
    from dangvien.members.models import Member

    assert Member.unscoped.get(pk=world.member.pk).left_on == inspection.decided_on - ONE_DAY


def test_a_probationary_member_to_be_disciplined_may_be_struck_off(world):
    """A probationary member is only reprimanded or warned: a serious violation ends with the
    striking off, which a conclusion «phải kỷ luật» does not hold back."""
    from dangvien.members.models import Member, Status
    from tests.factories import MemberFactory

    member = MemberFactory(
        code="DV-DUBI-1",
        branch=world.branch,
        admitted_on=today() - ONE_DAY * 200,
        official_on=None,
        status=Status.PROBATIONARY,
    )
    client = world.client(Role.OFFICER)
    _new(client, "P.U1", subject_code=member.code)
    inspection = Inspection.unscoped.get()
    client.post(
        f"/inspections/{inspection.pk}/conclude/",
        {"conclusion": "phai_ky_luat", "concluded_on": ddmmyyyy(today()), "remedies": "Xóa tên"},
    )
    leave = {
        "status": "removed",
        "effective_on": ddmmyyyy(today()),
        "decision_number": "2",
        "decision_body": "",
        "reason": "Vi phạm nghiêm trọng trong thời gian dự bị",
    }
    assert client.post(f"/members/{member.pk}/leave/", leave).status_code == 302
    assert Member.unscoped.get(pk=member.pk).status == Status.REMOVED


def test_two_people_saving_the_findings_at_once_lose_nothing(world):
    """The second save, from a page read before the first, is refused with the other change
    shown on its field; what the second person typed is kept."""
    client = world.client(Role.OFFICER)
    _new(client, "P.U1")
    inspection = Inspection.unscoped.get()
    read = _version(client, inspection)
    empty = {"team": "", "self_report": "", "follow_up": ""}
    first = client.post(f"/inspections/{inspection.pk}/", {**empty, **read, "findings": "Một"})
    assert first.status_code == 302
    second = client.post(f"/inspections/{inspection.pk}/", {**empty, **read, "findings": "Hai"})
    page = second.content.decode()
    assert second.status_code == 400 and "Người khác đã sửa thành «Một»" in page
    assert Inspection.unscoped.get().findings == "Một"
    assert (
        client.post(f"/inspections/{inspection.pk}/", {**empty, "findings": "Ba"}).status_code
        == 400
    )
