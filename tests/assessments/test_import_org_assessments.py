"""`dangvien import org-assessments FILE`: organisations' grades decided by their upper level."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvien.assessments.models import OrgAssessment
from dangvien.assessments.services import close_round, open_round
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.organizations.models import OrgKind
from tests.assessments.commands import run_import
from tests.conftest import OUTSIDE_MARK
from tests.factories import OrganizationFactory
from tests.spreadsheets import ORG_ASSESSMENT_HEADERS, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def org_grades() -> dict[tuple[str, int], tuple[str, str]]:
    with unscoped():
        rows = OrgAssessment.objects.values_list(
            "organization__code", "year", "grade", "not_graded", "org_path"
        )
        return {(code, year): (grade, reason, path) for code, year, grade, reason, path in rows}


def test_organisations_grades_are_imported_and_idempotent(world, tmp_path):
    rows = [
        [world.base.code, 2024, "Hoàn thành tốt nhiệm vụ"],
        [world.branch.code, 2024, "xuat sac"],
        [world.other_branch.code, 2024, "Chưa xếp loại"],
        [world.upper.code, 2023, "Hoàn thành"],
    ]
    path = write_xlsx(tmp_path / "to-chuc.xlsx", ORG_ASSESSMENT_HEADERS, rows)
    status, out, err = run_import("org-assessments", path)
    assert (status, err) == (0, "")
    assert "Đã nhập kết quả xếp loại tổ chức đảng: tạo mới 4, cập nhật 0" in out
    assert org_grades() == {
        (world.base.code, 2024): ("tot", "", world.base.path),
        (world.branch.code, 2024): ("xuat_sac", "", world.branch.path),
        (world.other_branch.code, 2024): ("", "other", world.other_branch.path),
        (world.upper.code, 2023): ("hoan_thanh", "", world.upper.path),
    }
    entry = AuditEntry.unscoped.get(action="assessment.org_import", target_id=world.base.pk)
    assert entry.target_type == "organizations.organization"
    assert entry.changes == {"grade_2024": [None, "Tốt"]}

    audits = AuditEntry.unscoped.count()
    status, out, _ = run_import("org-assessments", path)
    assert "tạo mới 0, cập nhật 0, không thay đổi 4" in out
    assert AuditEntry.unscoped.count() == audits


def test_a_bad_organisations_file_names_every_row(world, tmp_path):
    admin = world.users[Role.ADMIN]
    close_round(admin, open_round(admin, world.upper, 2023), reason="Hết thời hạn đánh giá")
    OrganizationFactory(
        code="P.U1.01.09",
        name="Chi bộ Mới",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(2025, 3, 1),
    )
    OrganizationFactory(
        code="P.U1.01.08",
        name="Chi bộ Cũ",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(2000, 1, 1),
        ended_on=datetime.date(2020, 6, 30),
    )
    path = write_csv(
        tmp_path / "loi.csv",
        ORG_ASSESSMENT_HEADERS,
        [
            ["KHONG-CO", "2024", "Tốt"],  # 2
            [world.province.code, "2024", "Tốt"],  # 3: the top of the tree
            ["P.U1.01.09", "2024", "Tốt"],  # 4: founded in 2025
            ["P.U1.01.08", "2024", "Tốt"],  # 5: dissolved in 2020
            [world.base.code, "2023", "Tốt"],  # 6: round of 2023 closed
            [world.base.code, "2024", "Rất tốt"],  # 7
            [world.base.code, "2024", "Tốt"],  # 8: fine
            [world.base.code, "2024", "Tốt"],  # 9: again
        ],
    )
    status, out, err = run_import("org-assessments", path)
    assert status == 1
    assert "Tệp có 7 lỗi" in err
    assert out.splitlines() == [
        'dòng 2, cột "Mã tổ chức": không tìm thấy tổ chức mã KHONG-CO trong phạm vi quản lý.',
        'dòng 3, cột "Mã tổ chức": Đảng bộ tỉnh Thử Nghiệm là tổ chức cấp cao nhất: không '
        "được xếp loại trong hệ thống này.",
        'dòng 4, cột "Năm": Chi bộ Mới thành lập ngày 01/03/2025, sau năm 2024.',
        'dòng 5, cột "Năm": Chi bộ Cũ đã giải thể ngày 30/06/2020, trước năm 2024.',
        'dòng 6, cột "Năm": đợt đánh giá năm 2023 của Đảng bộ phường Hòa Bình đã khóa: sửa '
        "kết quả bằng chức năng đính chính có lý do, không qua tệp nhập.",
        'dòng 7, cột "Xếp loại": “Rất tốt” không phải xếp loại hợp lệ (Hoàn thành xuất sắc '
        "nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ, "
        "Chưa xếp loại).",
        'dòng 9, cột "Mã tổ chức": mã P.U1.01 năm 2024 bị trùng với dòng 8.',
    ]
    assert org_grades() == {}


def test_the_upper_level_grades_and_the_scope_holds_on_the_web(world, tmp_path):
    rows = [
        [world.base.code, 2024, "Tốt"],  # 2: graded by P.U1, the officer's scope
        [world.upper.code, 2024, "Tốt"],  # 3: graded by the province, above the officer
        [world.outside_base.code, 2024, "Tốt"],  # 4: outside
    ]
    path = write_xlsx(tmp_path / "to-chuc.xlsx", ORG_ASSESSMENT_HEADERS, rows)
    client = world.client(Role.OFFICER)
    file = SimpleUploadedFile(path.name, path.read_bytes())
    upload = reverse("core:import-upload", kwargs={"kind": "org-assessments"})
    html = client.post(upload, {"file": file}, follow=True).content.decode()
    assert "Tệp có 2 lỗi" in html
    assert (
        "Đảng bộ phường Hòa Bình do cấp ủy cấp trên trực tiếp xếp loại, "
        "ngoài phạm vi quản lý của bạn." in html
    )
    assert f"không tìm thấy tổ chức mã {world.outside_base.code} trong phạm vi quản lý." in html
    assert f"Đảng bộ cơ sở {OUTSIDE_MARK}" not in html
    assert world.client(Role.INSPECTOR).get(upload).status_code == 403
