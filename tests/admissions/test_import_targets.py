"""`dangvien import targets FILE`: admission quotas per organisation for a year or a term."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangvien.admissions.models import AdmissionTarget
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from tests.assessments.commands import run_import
from tests.conftest import OUTSIDE_MARK
from tests.factories import OrganizationFactory
from tests.spreadsheets import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["Mã tổ chức", "Năm", "Nhiệm kỳ", "Chỉ tiêu kết nạp"]
OPTIONAL = ["Chỉ tiêu phấn đấu", "Số văn bản", "Ngày văn bản", "Cơ quan ban hành"]


def quotas() -> dict[tuple, tuple[int, str]]:
    rows = AdmissionTarget.unscoped.values_list(
        "organization__code", "year", "term_start", "term_end", "quota", "org_path"
    )
    return {(code, year, start, end): (quota, path) for code, year, start, end, quota, path in rows}


def test_year_and_term_quotas_are_imported_and_idempotent(world, tmp_path):
    rows = [
        [world.base.code, 2024, None, 240],
        [world.upper.code, None, "2020-2025", 500],
        [world.branch.code, 2025, None, 0],
        [world.other_branch.code, None, "2020 - 2025", 12],
        [world.upper.code, None, "2025–2030", 600],
    ]
    path = write_xlsx(tmp_path / "chi-tieu.xlsx", HEADERS, rows)
    status, out, err = run_import("targets", path)
    assert (status, err) == (0, "")
    assert "Đã nhập chỉ tiêu kết nạp: tạo mới 5, cập nhật 0, không thay đổi 0." in out
    assert quotas() == {
        (world.base.code, 2024, None, None): (240, world.base.path),
        (world.upper.code, None, 2020, 2025): (500, world.upper.path),
        (world.branch.code, 2025, None, None): (0, world.branch.path),
        (world.other_branch.code, None, 2020, 2025): (12, world.other_branch.path),
        (world.upper.code, None, 2025, 2030): (600, world.upper.path),
    }
    entries = AuditEntry.unscoped.filter(action="target.import")
    assert entries.count() == 5
    entry = entries.get(target_id=world.base.pk)
    assert entry.target_type == "organizations.organization"
    assert entry.org_path == world.base.path
    assert entry.changes == {"quota_2024": [None, 240]}
    assert entry.reason == "Nhập từ tệp chi-tieu.xlsx"

    audits = AuditEntry.unscoped.count()
    status, out, _ = run_import("targets", path)
    assert status == 0
    assert "tạo mới 0, cập nhật 0, không thay đổi 5" in out
    assert AuditEntry.unscoped.count() == audits

    rows[1][3] = 520  # the term quota is revised
    status, out, _ = run_import("targets", write_xlsx(tmp_path / "sua.xlsx", HEADERS, rows))
    assert "tạo mới 0, cập nhật 1, không thay đổi 4" in out
    assert quotas()[(world.upper.code, None, 2020, 2025)] == (520, world.upper.path)
    changed = AuditEntry.unscoped.filter(action="target.import").latest("id")
    assert changed.changes == {"quota_2020_2025": [500, 520]}


def test_a_bad_targets_file_names_every_row(world, tmp_path):
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
        HEADERS,
        [
            [world.base.code, "2024", "2020-2025", "10"],  # 2: both a year and a term
            [world.base.code, "", "", "10"],  # 3: neither
            [world.base.code, "", "2020/2025", "10"],  # 4: not a term
            [world.base.code, "", "2025-2020", "10"],  # 5: reversed
            [world.base.code, "2024", "", "-5"],  # 6: negative
            [world.base.code, "2023", "", "12.5"],  # 7: not a whole number
            ["KHONG-CO", "2024", "", "10"],  # 8: unknown organisation
            [world.base.code, "2022", "", ""],  # 9: no quota
            [world.base.code, "năm 2021", "", "10"],  # 10: not a year
            [world.upper.code, "2024", "", "30"],  # 11: fine
            [world.upper.code, "2024", "", "31"],  # 12: again
            ["P.U1.01.08", "", "2020-2025", "3"],  # 13: dissolved during the term: fine
            ["P.U1.01.08", "2021", "", "3"],  # 14: dissolved before the year
            ["", "1920", "", "3"],  # 15: no code, year too early
        ],
    )
    status, out, err = run_import("targets", path)
    assert status == 1
    assert "Tệp có 13 lỗi; không có dữ liệu nào được ghi." in err
    assert out.splitlines() == [
        'dòng 2, cột "Nhiệm kỳ": chỉ ghi một trong hai cột Năm hoặc Nhiệm kỳ, không ghi cả hai.',
        'dòng 3, cột "Năm": ghi năm (ví dụ 2025) hoặc nhiệm kỳ (ví dụ 2020-2025), không để '
        "trống cả hai.",
        'dòng 4, cột "Nhiệm kỳ": “2020/2025” không phải nhiệm kỳ dạng năm đầu-năm cuối (ví dụ '
        "2020-2025).",
        'dòng 5, cột "Nhiệm kỳ": năm đầu nhiệm kỳ (2025) phải trước năm cuối (2020).',
        'dòng 6, cột "Chỉ tiêu kết nạp": chỉ tiêu không được là số âm (-5).',
        'dòng 7, cột "Chỉ tiêu kết nạp": “12.5” không phải là số nguyên không âm.',
        'dòng 8, cột "Mã tổ chức": không tìm thấy tổ chức mã KHONG-CO trong phạm vi quản lý.',
        'dòng 9, cột "Chỉ tiêu kết nạp": không được để trống.',
        'dòng 10, cột "Năm": “năm 2021” không phải là một năm (số nguyên, ví dụ 2025).',
        'dòng 12, cột "Mã tổ chức": mã P.U1 năm 2024 bị trùng với dòng 11.',
        'dòng 14, cột "Năm": Chi bộ Cũ đã giải thể ngày 30/06/2020, trước năm 2021.',
        'dòng 15, cột "Mã tổ chức": không được để trống.',
        'dòng 15, cột "Năm": năm 1920 phải từ 1930 đến 2100.',
    ]
    assert quotas() == {}
    assert not AuditEntry.unscoped.filter(action="target.import").exists()


def test_headers_match_loosely_and_unknown_columns_are_warned(world, tmp_path):
    headers = ["  chi tieu   KET NAP", "ghi chú", "NHIỆM KỲ", "ma to chuc"]
    rows = [[500, "đã thông qua", "2020—2025", world.upper.code]]
    path = write_csv(tmp_path / "tieu-de.csv", headers, rows, bom=False)
    status, out, err = run_import("targets", path)
    assert status == 0, out
    assert err == 'Cảnh báo: dòng 1, cột "ghi chú": cột không có trong mẫu, bỏ qua.\n'
    assert "tạo mới 1" in out
    assert quotas() == {(world.upper.code, None, 2020, 2025): (500, world.upper.path)}

    status, out, _ = run_import(
        "targets", write_csv(tmp_path / "thieu.csv", ["Mã tổ chức", "Năm"], [["P.U1", "2024"]])
    )
    assert status == 1
    assert out.splitlines() == ['dòng 1, cột "Chỉ tiêu kết nạp": thiếu cột bắt buộc.']


def test_dry_run_writes_nothing(world, tmp_path):
    rows = [[world.base.code, 2024, None, 8], [world.upper.code, None, "2020-2025", 40]]
    path = write_xlsx(tmp_path / "thu.xlsx", HEADERS, rows)
    audits = AuditEntry.unscoped.count()
    status, out, err = run_import("targets", path, "--dry-run")
    assert (status, err) == (0, "")
    assert (
        "Kiểm tra xong, tệp hợp lệ, chưa ghi gì (chỉ tiêu kết nạp: sẽ tạo mới 2, cập nhật 0, "
        "không thay đổi 0)." in out
    )
    assert quotas() == {}
    assert AuditEntry.unscoped.count() == audits


def test_the_web_upload_keeps_to_the_importers_scope(world, tmp_path):
    client = world.client(Role.OFFICER)
    upload = reverse("core:import-upload", kwargs={"kind": "targets"})
    assert "Nhập chỉ tiêu kết nạp" in client.get(reverse("home")).content.decode()

    rows = [[world.base.code, 2024, None, 8], [world.outside_base.code, 2024, None, 9]]
    path = write_xlsx(tmp_path / "chi-tieu.xlsx", HEADERS, rows)
    file = SimpleUploadedFile(path.name, path.read_bytes())
    html = client.post(upload, {"file": file}, follow=True).content.decode()
    assert "Tệp có 1 lỗi" in html
    assert f"không tìm thấy tổ chức mã {world.outside_base.code} trong phạm vi quản lý." in html
    assert f"Đảng bộ cơ sở {OUTSIDE_MARK}" not in html
    assert quotas() == {}

    path = write_xlsx(tmp_path / "dung.xlsx", HEADERS, rows[:1])
    file = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(upload, {"file": file}, follow=True)
    html = response.content.decode()
    assert "Tệp hợp lệ" in html and "Năm 2024: 8" in html
    confirm = reverse(
        "core:import-confirm", kwargs={"kind": "targets", "pk": response.context["upload"].pk}
    )
    html = client.post(confirm, follow=True).content.decode()
    assert "Đã nhập chỉ tiêu kết nạp: tạo mới 1, cập nhật 0, không thay đổi 0." in html
    assert quotas() == {(world.base.code, 2024, None, None): (8, world.base.path)}
    entry = AuditEntry.unscoped.get(action="target.import")
    assert entry.actor == world.users[Role.OFFICER]

    assert world.client(Role.INSPECTOR).get(upload).status_code == 403
    assert world.client(Role.SECRETARY).get(upload).status_code == 403


def test_the_template_names_the_columns(world):
    template = reverse("core:import-template", kwargs={"kind": "targets", "extension": "xlsx"})
    response = world.client(Role.OFFICER).get(template)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS + OPTIONAL
    # Quotas of the coming year in the demo ward (the demo has up to this year's) and a base
    # committee's quota for the current term (site.import_examples).
    year = timezone.localdate().year
    term = f"{year - year % 5}-{year - year % 5 + 5}"
    assert [cell.value for cell in sheet[2]][:5] == ["SH.HB", year + 1, None, 18, 20]
    assert [cell.value for cell in sheet[4]][:6] == ["SH.HB.01", None, term, 22, 25, "01-NQ/ĐH"]
