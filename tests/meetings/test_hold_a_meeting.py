"""A branch secretary prepares a meeting, publishes it with a document, calls the roll, writes
and approves the minutes, records a resolution and gives tasks; approved minutes are corrected
only by a new entry; a member sees the meeting, sends an excuse and reports on a task."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.meetings.models import Attendance, Meeting, Resolution, Task
from tests.factories import MemberFactory
from tests.meetings.steps import call_roll, prepare, version
from tests.members.test_print_record import pdf_text
from tests.transfers.steps import ONE_DAY, ddmmyyyy, today

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_a_secretary_holds_a_meeting_from_preparation_to_approved_minutes(world):
    secretary = world.client(Role.SECRETARY)
    second = MemberFactory(code="DV-TRONG-3", full_name="Lê Thị Cúc", branch=world.branch)
    third = MemberFactory(code="DV-TRONG-4", full_name="Phạm Văn Dũng", branch=world.branch)

    response = prepare(secretary, world.branch.code, today(), chair=str(second.pk))
    meeting = Meeting.unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.org_path == world.branch.path and meeting.published_at is None

    # Not yet published: the member does not see it.
    member = world.client(Role.MEMBER)
    assert meeting.topic not in member.get("/meetings/my/").content.decode()
    assert secretary.post(f"/meetings/{meeting.pk}/publish/").status_code == 302

    upload = secretary.post(
        f"/meetings/{meeting.pk}/documents/",
        {"file": SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")},
    )
    assert upload.status_code == 302
    word = secretary.post(
        f"/meetings/{meeting.pk}/documents/",
        {"file": SimpleUploadedFile("nghi-quyet.docx", _docx())},
    )
    assert word.status_code == 302
    assert meeting.documents.count() == 2

    page = member.get("/meetings/my/").content.decode()
    assert meeting.topic in page
    mine = member.get(f"/meetings/my/{meeting.pk}/").content.decode()
    assert "ke-hoach.pdf" in mine and "nghi-quyet.docx" in mine
    document = meeting.documents.get(name="ke-hoach.pdf")
    download = member.get(f"/meetings/documents/{document.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")

    # The member sends an excuse; the roll shows it.
    excuse = member.post(f"/meetings/my/{meeting.pk}/", {"reason": "Đi công tác tỉnh"})
    assert excuse.status_code == 302
    roll_page = secretary.get(f"/meetings/{meeting.pk}/attendance/").content.decode()
    assert "Đảng viên đã xin vắng: Đi công tác tỉnh" in roll_page

    # Approving before the roll is complete is refused.
    approve_url = f"/meetings/{meeting.pk}/approve/"
    early = secretary.post(approve_url, {"version": version(secretary, approve_url)})
    assert early.status_code == 400 and "chưa điểm danh" in early.content.decode()

    refused = call_roll(secretary, meeting, {second: ("vang_co_ly_do", "")})
    assert refused.status_code == 400 and "vắng có lý do thì ghi lý do" in refused.content.decode()
    response = call_roll(secretary, meeting, {second: "co_mat", third: "vang_khong_ly_do"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_at is not None
    assert (meeting.expected_count, meeting.present_count) == (3, 1)
    statuses = dict(Attendance.objects.values_list("member__code", "status"))
    assert statuses == {
        "DV-TRONG-1": "vang_co_ly_do",
        "DV-TRONG-3": "co_mat",
        "DV-TRONG-4": "vang_khong_ly_do",
    }

    minutes_url = f"/meetings/{meeting.pk}/minutes/"
    saved = secretary.post(
        minutes_url,
        {
            "version": version(secretary, minutes_url),
            "text": "Đồng chí Cúc báo cáo tình hình tháng.\nChi bộ thảo luận.",
            "ideology": "Đảng viên yên tâm công tác.",
            "quality_score": "88",
        },
    )
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.quality == "tot"  # 88 ≥ the rule set's 85

    # A resolution: one present, so two votes are refused; the branch has three official
    # members, so one vote for is not more than half of them.
    too_many = secretary.post(
        f"/meetings/{meeting.pk}/resolutions/",
        {
            "number": "05-NQ/CB",
            "title": "Nghị quyết tháng",
            "content": "Chi bộ quyết nghị.",
            "votes_for": "2",
            "votes_against": "0",
            "votes_abstain": "0",
        },
    )
    assert (
        too_many.status_code == 400
        and "chính thức có mặt được biểu quyết" in too_many.content.decode()
    )
    voted = secretary.post(
        f"/meetings/{meeting.pk}/resolutions/",
        {
            "number": "05-NQ/CB",
            "title": "Nghị quyết tháng",
            "content": "Chi bộ quyết nghị.",
            "votes_for": "1",
            "votes_against": "0",
            "votes_abstain": "0",
        },
    )
    assert voted.status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.members_entitled == 3 and resolution.passed is False

    for member_, title in ((second, "Vận động hội viên"), (world.member, "Thăm hỏi gia đình")):
        given = secretary.post(
            f"/meetings/{meeting.pk}/tasks/",
            {
                "member": str(member_.pk),
                "title": title,
                "detail": "",
                "due_on": ddmmyyyy(today() + ONE_DAY * 30),
            },
        )
        assert given.status_code == 302
    assert Task.unscoped.filter(meeting=meeting).count() == 2

    approved = secretary.post(approve_url, {"version": version(secretary, approve_url)})
    assert approved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_closed
    # Fixed now: the minutes are not edited again, the roll only with a reason.
    late = secretary.post(
        minutes_url,
        {
            "version": version(secretary, minutes_url),
            "text": "Sửa lại",
            "ideology": "",
            "quality_score": "",
        },
    )
    assert late.status_code == 400 and "đính chính" in late.content.decode()
    no_reason = call_roll(secretary, meeting, {third: ("vang_co_ly_do", "Ốm")})
    assert no_reason.status_code == 400
    fixed = call_roll(
        secretary, meeting, {third: ("vang_co_ly_do", "Ốm")}, correction_reason="Báo muộn"
    )
    assert fixed.status_code == 302
    corrected = secretary.post(
        f"/meetings/{meeting.pk}/correct/",
        {"text": "Đồng chí Dũng vắng vì ốm.", "reason": "Chi bộ nhận giấy xác nhận"},
    )
    assert corrected.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Đồng chí Cúc báo cáo")
    text = pdf_text(secretary.get(f"/meetings/{meeting.pk}/minutes.pdf").content)
    assert "BIÊN BẢN" in text and "Đồng chí Dũng vắng vì ốm" in text
    assert "Lê Thị Cúc" in text and "Đi công tác tỉnh" in text
    resolution_pdf = pdf_text(secretary.get(f"/meetings/resolutions/{resolution.pk}.pdf").content)
    assert "NGHỊ QUYẾT" in resolution_pdf and "không được thông qua" in resolution_pdf

    actions = set(AuditEntry.unscoped.filter(target_id=meeting.pk).values_list("action", flat=True))
    assert {
        "meeting.prepare",
        "meeting.attendance",
        "meeting.approve",
        "meeting.correct",
    } <= actions

    # The member reports on their task; the branch checks it.
    task = Task.unscoped.get(member=world.member)
    report_url = f"/meetings/my/tasks/{task.pk}/"
    reported = member.post(
        report_url, {"version": version(member, report_url), "report": "Đã thăm 3 gia đình."}
    )
    assert reported.status_code == 302
    check_url = f"/meetings/tasks/{task.pk}/"
    checked = secretary.post(
        check_url,
        {
            "version": version(secretary, check_url),
            "result": "hoan_thanh",
            "note": "Tốt",
            "reason": "",
        },
    )
    assert checked.status_code == 302
    assert Task.unscoped.get(pk=task.pk).status == "hoan_thanh"
    assert "Thăm hỏi gia đình" in member.get("/assessments/my/").content.decode()


def test_documents_refused_by_type_and_size(world, settings):
    settings.DOCUMENT_MAX_MB = 1
    secretary = world.client(Role.SECRETARY)
    prepare(secretary, world.branch.code, today() + ONE_DAY * 10)
    meeting = Meeting.unscoped.get()
    url = f"/meetings/{meeting.pk}/documents/"
    cases = [
        ("virus.pdf", b"MZ\x90\x00 executable", "Chỉ nhận tài liệu PDF, Word"),
        ("trang.docx", b"<html><script>alert(1)</script></html>", "Chỉ nhận tài liệu PDF, Word"),
        ("bang.docx", _zip_without_word(), "Chỉ nhận tài liệu PDF, Word"),
        ("anh.png", PDF, "không khớp nội dung"),
        ("lon.pdf", PDF + b"0" * (1024 * 1024), "lớn hơn 1 MB"),
    ]
    for name, content, message in cases:
        response = secretary.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400, name
        assert message in response.content.decode(), name
    assert meeting.documents.count() == 0


def _zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def test_documents_reach_only_the_meetings_scope_and_its_members(world):
    secretary = world.client(Role.SECRETARY)
    prepare(secretary, world.branch.code, today() + ONE_DAY * 10)
    meeting = Meeting.unscoped.get()
    secretary.post(
        f"/meetings/{meeting.pk}/documents/",
        {"file": SimpleUploadedFile("mat.pdf", PDF)},
    )
    document = meeting.documents.get()
    url = f"/meetings/documents/{document.pk}/"
    # Not published: the branch's member does not get it yet; the officer above does.
    assert world.client(Role.MEMBER).get(url).status_code == 404
    assert world.client(Role.OFFICER).get(url).status_code == 200
    secretary.post(f"/meetings/{meeting.pk}/publish/")
    assert world.client(Role.MEMBER).get(url).status_code == 200
    assert world.client("outside_officer").get(url).status_code == 404
    # Withdrawn, it is served to no one, and kept.
    removed = secretary.post(f"/meetings/documents/{document.pk}/remove/", {"reason": "Nhầm tệp"})
    assert removed.status_code == 302
    assert world.client(Role.OFFICER).get(url).status_code == 404
    assert meeting.documents.get().remove_reason == "Nhầm tệp"


def test_a_secretary_cannot_hold_another_branchs_meeting(world):
    officer = world.client(Role.OFFICER)
    prepare(officer, world.other_branch.code, today())
    meeting = Meeting.unscoped.get()
    secretary = world.client(Role.SECRETARY)
    assert prepare(secretary, world.other_branch.code, today()).status_code in (403, 404)
    assert secretary.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert secretary.get(f"/meetings/{meeting.pk}/attendance/").status_code == 404
    assert world.client(Role.INSPECTOR).get(f"/meetings/{meeting.pk}/").status_code == 200
    assert (
        world.client(Role.INSPECTOR).get(f"/meetings/{meeting.pk}/attendance/").status_code == 403
    )


def test_a_future_meeting_is_not_called_and_a_held_one_not_postponed(world):
    secretary = world.client(Role.SECRETARY)
    prepare(secretary, world.branch.code, today() + ONE_DAY)
    meeting = Meeting.unscoped.get()
    early = call_roll(secretary, meeting, {world.member: "co_mat"})
    assert early.status_code == 400 and "chưa diễn ra" in early.content.decode()
    cancelled = secretary.post(f"/meetings/{meeting.pk}/cancel/", {"reason": ""})
    assert cancelled.status_code == 400
    cancelled = secretary.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "Trùng lịch bầu cử"})
    assert cancelled.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancel_reason == "Trùng lịch bầu cử" and not meeting.is_live
