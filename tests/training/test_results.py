"""The results screen of a course: learners added by code, the whole class saved at once, a
political-theory result raising the member's record (never lowering it) through the member's
history, a correction with its reason, a refusal naming the learner and saving nothing."""

import datetime
import re

from django.utils import timezone

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.training.models import CourseKind, Participant
from tests.training.worlds import course


def _add(client, course_pk, code):
    return client.post(f"/training/course/{course_pk}/participant/", {"member_code": code})


def _rows(client, course_pk) -> dict:
    """The results form as the page shows it: every field of every row, with its value."""
    page = client.get(f"/training/course/{course_pk}/").content.decode()
    form = page.split('id="results-form"')[1].split("</form>")[0]
    data = dict(
        re.findall(
            r'name="(p\d+-(?:version|certificate_number|distinction_note))"'
            r'(?: [^>]*?)? value="([^"]*)"',
            form,
        )
    )
    for name in re.findall(r'<select name="(p\d+-result)"', form):
        chosen = re.search(rf'name="{name}".*?<option value="([^"]*)" selected', form, re.S)
        data[name] = chosen[1] if chosen else ""
    return data


def test_the_class_results_raise_the_members_political_theory(world):
    Member.unscoped.filter(pk=world.other_member.pk).update(political_theory="Trung cấp")
    theory = course(world, CourseKind.THEORY_ELEMENTARY, name="Lớp sơ cấp LLCT khóa I")
    officer = world.client(Role.OFFICER)
    assert _add(officer, theory.pk, world.member.code).status_code == 302
    assert _add(officer, theory.pk, world.other_member.code).status_code == 302
    refused = _add(officer, theory.pk, world.member.code)
    assert "đã có trong danh sách học viên" in refused.content.decode()
    assert (
        "Không tìm thấy đảng viên"
        in _add(officer, theory.pk, world.outside_member.code).content.decode()
    )

    first, second = Participant.unscoped.filter(course=theory).order_by("pk")
    day = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    data = _rows(officer, theory.pk)
    data |= {
        f"p{first.pk}-result": "gioi",
        f"p{first.pk}-certificate_number": "01/SC",
        f"p{first.pk}-certificate_on": day,
        f"p{first.pk}-distinguished": "on",
        f"p{first.pk}-distinction_note": "Thủ khoa",
        f"p{second.pk}-result": "kha",
    }
    response = officer.post(f"/training/course/{theory.pk}/results/", data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.result, first.certificate_number, first.distinguished) == ("gioi", "01/SC", True)
    # Raised through the member's record, by the officer, in its history; never lowered.
    assert Member.unscoped.get(pk=world.member.pk).political_theory == "Sơ cấp"
    assert Member.unscoped.get(pk=world.other_member.pk).political_theory == "Trung cấp"
    entry = AuditEntry.unscoped.get(
        action="member.update", target_id=world.member.pk, changes__has_key="political_theory"
    )
    assert entry.actor == world.users[Role.OFFICER]
    assert "Lớp sơ cấp LLCT khóa I" in entry.reason
    # The member's page lists the class and its certificate.
    page = officer.get(f"/members/{world.member.pk}/").content.decode()
    assert "Đào tạo, bồi dưỡng" in page and "01/SC" in page and "Học viên xuất sắc" in page


def test_a_correction_needs_a_reason_and_a_refusal_saves_nothing(world):
    new = course(world)
    officer = world.client(Role.OFFICER)
    _add(officer, new.pk, world.member.code)
    _add(officer, new.pk, world.other_member.code)
    first, second = Participant.unscoped.filter(course=new).order_by("pk")
    url = f"/training/course/{new.pk}/results/"
    data = _rows(officer, new.pk) | {f"p{first.pk}-result": "kha"}
    assert officer.post(url, data).status_code == 302

    data = _rows(officer, new.pk) | {f"p{first.pk}-result": "gioi", f"p{second.pk}-result": "kha"}
    refused = officer.post(url, data)
    assert refused.status_code == 400
    assert "Ghi lý do sửa kết quả của Nguyễn Văn An." in refused.content.decode()
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.result, second.result) == ("kha", "")  # the whole screen rolled back

    # A failed learner has no certificate; then a reasoned correction goes through.
    bad = data | {f"p{second.pk}-result": "khong_dat", f"p{second.pk}-certificate_number": "9"}
    bad["reason"] = "Nhập nhầm"
    assert "không có chứng chỉ" in officer.post(url, bad).content.decode()
    assert officer.post(url, data | {"reason": "Nhập nhầm"}).status_code == 302
    first.refresh_from_db()
    assert first.result == "gioi"
    entry = AuditEntry.unscoped.get(action="training.result_correct")
    assert entry.reason == "Nhập nhầm" and entry.changes["result"] == ["kha", "gioi"]


def test_no_result_before_the_course_starts_and_a_learner_annulled_is_kept(world):
    later = course(world, starts_on=timezone.localdate() + datetime.timedelta(days=10))
    officer = world.client(Role.OFFICER)
    _add(officer, later.pk, world.member.code)
    learner = Participant.unscoped.get(course=later)
    page = officer.get(f"/training/course/{later.pk}/").content.decode()
    assert "ghi kết quả từ ngày đó" in page
    data = _rows(officer, later.pk) | {f"p{learner.pk}-result": "kha"}
    refused = officer.post(f"/training/course/{later.pk}/results/", data)
    assert "chưa ghi kết quả được" in refused.content.decode()

    url = f"/training/participant/{learner.pk}/annul/"
    token = officer.get(url).content.decode().split('name="version" value="')[1].split('"')[0]
    assert officer.post(url, {"version": token, "reason": "Ghi nhầm người"}).status_code == 302
    learner.refresh_from_db()
    assert learner.annulled_at is not None and learner.annul_reason == "Ghi nhầm người"
    page = officer.get(f"/training/course/{later.pk}/").content.decode()
    assert "Học viên đã hủy vì ghi nhầm (1)" in page
    # Added again after the annulment: a new row.
    assert _add(officer, later.pk, world.member.code).status_code == 302


def test_read_only_roles_read_and_the_branch_does_not_see_its_committees_course(world):
    new = course(world)
    inspector = world.client(Role.INSPECTOR)
    assert inspector.get(f"/training/course/{new.pk}/").status_code == 200
    assert _add(inspector, new.pk, world.member.code).status_code == 403
    # A branch secretary sees the courses of their branch's subtree, not the base committee's.
    assert world.client(Role.SECRETARY).get(f"/training/course/{new.pk}/").status_code == 404
    assert not Participant.unscoped.exists()
