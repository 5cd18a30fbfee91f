"""Opening and correcting a course through the pages: the organiser's officers only, a code
once, a correction with its reason on the version read, the subtree's list."""

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.training.models import Course
from tests.training.worlds import course

FORM = {
    "code": "DVM-2026-01",
    "name": "Lớp bồi dưỡng đảng viên mới khóa I-2026",
    "kind": "dang_vien_moi",
    "starts_on": "02/03/2026",
    "ends_on": "06/03/2026",
    "teaching_body": "Trung tâm Chính trị phường Hòa Bình",
    "place": "Hội trường Đảng ủy",
    "status": "du_kien",
}


def test_the_officer_opens_a_course_and_the_subtree_lists_it(world):
    officer = world.client(Role.OFFICER)
    response = officer.post(f"/training/org/{world.base.code}/new/", FORM)
    assert response.status_code == 302
    saved = Course.unscoped.get(code="DVM-2026-01")
    assert (saved.organization, saved.org_path) == (world.base, world.base.path)
    assert AuditEntry.unscoped.filter(action="training.course", target_id=saved.pk).exists()
    page = officer.get(f"/training/org/{world.upper.code}/").content.decode()
    assert "Lớp bồi dưỡng đảng viên mới khóa I-2026" in page
    assert "Lớp bồi dưỡng đảng viên mới khóa I-2026" not in (
        officer.get(f"/training/org/{world.upper.code}/?year=2025").content.decode()
    )
    # A second course with the same code is refused; the secretary does not open courses.
    again = officer.post(f"/training/org/{world.base.code}/new/", {**FORM, "name": "Khác"})
    assert again.status_code == 400
    assert "Mã khóa DVM-2026-01 đã được dùng." in again.content.decode()
    secretary = world.client(Role.SECRETARY)
    assert secretary.post(f"/training/org/{world.branch.code}/new/", FORM).status_code == 403


def test_dates_are_checked(world):
    officer = world.client(Role.OFFICER)
    response = officer.post(
        f"/training/org/{world.base.code}/new/", {**FORM, "ends_on": "01/03/2026"}
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    assert not Course.unscoped.exists()


def test_a_correction_needs_its_reason_and_the_version_read(world):
    saved = course(world, code="DVM-X")
    officer = world.client(Role.OFFICER)
    url = f"/training/course/{saved.pk}/correct/"
    page = officer.get(url).content.decode()
    token = page.split('name="version" value="')[1].split('"')[0]
    data = {**FORM, "code": "DVM-X", "place": "Nhà văn hóa tổ 5", "version": token}
    assert "Lý do sửa" in officer.post(url, data).content.decode()  # the reason is required
    response = officer.post(url, {**data, "reason": "Đổi hội trường"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.place, saved.version) == ("Nhà văn hóa tổ 5", 2)
    entry = AuditEntry.unscoped.get(action="training.course_correct")
    assert entry.reason == "Đổi hội trường" and entry.changes["place"][1] == "Nhà văn hóa tổ 5"
    # The same page sent again over the change is refused (stale version), nothing changed.
    stale = officer.post(url, {**data, "place": "Khác", "reason": "Thử"})
    assert stale.status_code == 400
    saved.refresh_from_db()
    assert saved.place == "Nhà văn hóa tổ 5"
