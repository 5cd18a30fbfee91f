"""Uploading an assessments file on the web: preview, confirm, and the user's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangvien.assessments.models import MemberAssessment
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from tests.conftest import OUTSIDE_MARK
from tests.reports.worlds import add_history
from tests.spreadsheets import ASSESSMENT_HEADERS, write_xlsx

pytestmark = pytest.mark.django_db
UPLOAD = reverse("core:import-upload", kwargs={"kind": "assessments"})


def upload(client, path):
    with path.open("rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post(UPLOAD, {"file": file}, follow=True)


def test_an_officer_previews_then_confirms(world, tmp_path):
    client = world.client(Role.OFFICER)
    page = client.get(UPLOAD).content.decode()
    assert "Nhập kết quả xếp loại đảng viên từ tệp" in page
    assert "Nhập kết quả đánh giá" in page and "Nhập xếp loại tổ chức" in page  # navigation
    path = write_xlsx(
        tmp_path / "xep-loai.xlsx",
        ASSESSMENT_HEADERS,
        [[world.member.code, 2024, "Tốt"], [world.other_member.code, 2024, "Chưa xếp loại"]],
    )
    response = upload(client, path)
    html = response.content.decode()
    assert "tạo mới 2" in html
    assert "Nguyễn Văn An" in html and "2024: Hoàn thành tốt nhiệm vụ" in html
    assert "2024: Chưa xếp loại" in html
    with unscoped():
        assert not MemberAssessment.objects.exists()
    confirm = response.redirect_chain[-1][0] + "confirm/"
    html = client.post(confirm, follow=True).content.decode()
    assert "Đã nhập kết quả xếp loại đảng viên: tạo mới 2, cập nhật 0, không thay đổi 0." in html
    with unscoped():
        assessment = MemberAssessment.objects.get(member=world.member, year=2024)
    assert assessment.decided_by == world.users[Role.OFFICER]
    assert assessment.imported


def test_members_outside_the_scope_are_not_found(world, tmp_path):
    people = add_history(world)
    path = write_xlsx(
        tmp_path / "ngoai.xlsx",
        ASSESSMENT_HEADERS,
        [
            [world.outside_member.code, 2024, "Tốt"],  # 2: outside
            [people["moved_out"].code, 2025, "Tốt"],  # 3: in an outside branch in 2025
            [people["moved_out"].code, 2024, "Tốt"],  # 4: was inside at the end of 2024
            [people["moved_in"].code, 2024, "Tốt"],  # 5: was outside at the end of 2024
        ],
    )
    html = upload(world.client(Role.OFFICER), path).content.decode()
    assert "Tệp có 3 lỗi" in html
    for code in (world.outside_member.code, people["moved_out"].code, people["moved_in"].code):
        assert f"không tìm thấy đảng viên mã {code} trong phạm vi quản lý." in html
    assert html.count("không tìm thấy đảng viên mã") == 3
    assert OUTSIDE_MARK not in html.replace(world.outside_member.code, "")


def test_a_secretary_may_not_import_grades(world, tmp_path):
    """Grades are decided by the base committee: the import needs the organisations' managers."""
    client = world.client(Role.SECRETARY)
    assert client.get(UPLOAD).status_code == 403
    assert "Nhập kết quả đánh giá" not in client.get(reverse("home")).content.decode()
    path = write_xlsx(tmp_path / "a.xlsx", ASSESSMENT_HEADERS, [[world.member.code, 2024, "Tốt"]])
    assert upload(client, path).status_code == 403


def test_the_template_has_the_four_columns(world):
    response = world.client(Role.OFFICER).get(
        reverse("core:import-template", kwargs={"kind": "assessments", "extension": "csv"})
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Mã đảng viên,Năm,Xếp loại,Điểm"  # the score from 2025 (QĐ 366)
    # A long-standing demo member, the year before the demo's own grades (site.import_examples).
    year = timezone.localdate().year - 6
    assert lines[1] == f"SH000001,{year},Hoàn thành tốt nhiệm vụ,"  # no score before 2025
