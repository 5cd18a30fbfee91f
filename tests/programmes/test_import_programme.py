"""`dangvien import programme` (formats.md, `programme`): the key (Mã tổ chức, Năm / Nhiệm kỳ,
Chỉ tiêu), labels or slugs of the computed indicators, `>=`/`<=`, the same file twice changing
nothing, every problem per row in Vietnamese and nothing written, and the web import within the
officer's scope."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvien.core import uploads
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.programmes.models import ActionProgramme, ProgrammeTarget
from tests.assessments.commands import run_import
from tests.spreadsheets import write_csv

pytestmark = pytest.mark.django_db

HEADERS = ["Mã tổ chức", "Năm / Nhiệm kỳ", "Chỉ tiêu", "So sánh", "Giá trị"]
ROWS = [
    ["P.U1", "2022", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", ">", "90"],
    ["P.U1", "2022", "tccsd_tot_tro_len", ">=", "95"],
    ["P.U1", "2022", "SỐ ĐẢNG VIÊN KẾT NẠP", "≥", "350"],
    ["P.U1", "2022", "100% tổ chức cơ sở đảng quán triệt kịp thời nghị quyết", "=", "100"],
    [
        "P.U1",
        "2020-2025",
        "Số tổ chức cơ sở đảng thành lập mới trong doanh nghiệp tư nhân",
        "<=",
        "4,5",
    ],
]


def _targets() -> set:
    return {
        (
            t.programme.owner.code,
            t.programme.period_key,
            t.indicator,
            t.label,
            t.comparator,
            t.value,
        )
        for t in ProgrammeTarget.unscoped.select_related("programme__owner")
    }


def test_import_creates_the_programmes_and_their_targets_then_changes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "ct.csv", HEADERS, ROWS)
    code, out, err = run_import("programme", path)
    assert (code, out) == (
        0,
        "Đã nhập chỉ tiêu chương trình hành động: tạo mới 5, cập nhật 0, không thay đổi 0.\n",
    ), err
    assert _targets() == {
        (
            "P.U1",
            "2022",
            "dang_vien_tot_tro_len",
            "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
            ">",
            Decimal("90"),
        ),
        (
            "P.U1",
            "2022",
            "tccsd_tot_tro_len",
            "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
            "≥",
            Decimal("95"),
        ),
        ("P.U1", "2022", "ket_nap", "Số đảng viên kết nạp", "≥", Decimal("350")),
        (
            "P.U1",
            "2022",
            "",
            "100% tổ chức cơ sở đảng quán triệt kịp thời nghị quyết",
            "=",
            Decimal("100"),
        ),
        (
            "P.U1",
            "2020-2025",
            "tccsd_moi_dn_tu_nhan",
            "Số tổ chức cơ sở đảng thành lập mới trong doanh nghiệp tư nhân",
            "≤",
            Decimal("4.5"),
        ),
    }
    assert ActionProgramme.unscoped.count() == 2
    before = _targets()
    code, out, _err = run_import("programme", path)
    assert out.endswith("tạo mới 0, cập nhật 0, không thay đổi 5.\n")
    assert _targets() == before


def test_a_changed_value_updates_the_target_of_the_same_key(world, tmp_path):
    run_import("programme", write_csv(tmp_path / "a.csv", HEADERS, ROWS))
    changed = [["P.U1", 2022, "dang_vien_tot_tro_len", "≥", "92"]]
    code, out, _err = run_import("programme", write_csv(tmp_path / "b.csv", HEADERS, changed))
    assert code == 0
    assert out.endswith("tạo mới 0, cập nhật 1, không thay đổi 0.\n")
    target = ProgrammeTarget.unscoped.get(indicator="dang_vien_tot_tro_len")
    assert (target.comparator, target.value) == ("≥", Decimal("92"))


def test_every_problem_is_reported_per_row_and_nothing_is_written(world, tmp_path):
    rows = [
        ["P.U1", "2022", "ket_nap", "≈", "350"],
        ["KHONG-CO", "2022", "ket_nap", ">", "1"],
        ["P.U1", "2025-2020", "ket_nap", ">", "1"],
        ["P.U1", "năm nay", "ket_nap", ">", "1"],
        ["P.U1", "2022", "ket_nap", ">", "-3"],
        ["P.U1", "2022", "", ">", "1"],
        ["P.U1", "2023", "ket_nap", ">", "1"],
        ["P.U1", "2023", "Số đảng viên kết nạp", ">", "2"],
    ]
    code, _out, err = run_import("programme", write_csv(tmp_path / "x.csv", HEADERS, rows))
    assert code == 1
    assert (
        err.splitlines()
        == [
            'dòng 2, cột "So sánh": So sánh phải là một trong >, ≥, =, ≤, < (hoặc >=, <=).',
            'dòng 3, cột "Mã tổ chức": không tìm thấy tổ chức mã KHONG-CO trong phạm vi quản lý.',
            'dòng 4, cột "Năm / Nhiệm kỳ": năm đầu nhiệm kỳ (2025) phải trước năm cuối (2020).',
            'dòng 5, cột "Năm / Nhiệm kỳ": “năm nay” không phải nhiệm kỳ dạng năm đầu-năm cuối '
            "(ví dụ 2020-2025).",
            'dòng 6, cột "Giá trị": Giá trị phải là số không âm.',
            'dòng 7, cột "Chỉ tiêu": không được để trống.',
            'dòng 9, cột "Chỉ tiêu": chỉ tiêu bị trùng với dòng 8.',
        ]
        or err
    )
    assert ProgrammeTarget.unscoped.count() == ActionProgramme.unscoped.count() == 0


def test_a_dry_run_writes_nothing(world, tmp_path):
    code, out, _err = run_import(
        "programme", write_csv(tmp_path / "d.csv", HEADERS, ROWS), "--dry-run"
    )
    assert code == 0 and "tạo mới 5" in out
    assert ProgrammeTarget.unscoped.count() == 0


def test_the_web_import_is_refused_outside_the_officers_scope(world, tmp_path):
    client = world.client(Role.OFFICER)
    rows = [["P.U1", "2022", "ket_nap", ">", "1"], ["P.X", "2022", "ket_nap", ">", "1"]]
    content = write_csv(tmp_path / "w.csv", HEADERS, rows).read_bytes()
    response = client.post("/imports/programme/", {"file": SimpleUploadedFile("w.csv", content)})
    assert response.status_code == 302
    report = uploads.saved_report(ImportUpload.objects.get(kind="programme"))
    assert [str(problem) for problem in report.problems] == [
        'dòng 3, cột "Mã tổ chức": không tìm thấy tổ chức mã P.X trong phạm vi quản lý.'
    ]
    # Inside the scope only, it imports.
    content = write_csv(tmp_path / "v.csv", HEADERS, rows[:1]).read_bytes()
    response = client.post("/imports/programme/", {"file": SimpleUploadedFile("v.csv", content)})
    upload = ImportUpload.objects.filter(kind="programme").latest("pk")
    page = client.post(f"{response['Location']}confirm/", follow=True).content.decode()
    assert "Đã nhập chỉ tiêu chương trình hành động: tạo mới 1" in page
    assert uploads.saved_report(upload).ok
    assert ProgrammeTarget.unscoped.get().programme.owner.code == "P.U1"


def test_a_secretary_cannot_import_a_committees_programme(world, tmp_path):
    client = world.client(Role.SECRETARY)
    content = write_csv(tmp_path / "s.csv", HEADERS, ROWS[:1]).read_bytes()
    response = client.post("/imports/programme/", {"file": SimpleUploadedFile("s.csv", content)})
    assert response.status_code == 403


def test_the_period_in_two_columns_or_without_spaces(world, tmp_path):
    """«Năm» and «Nhiệm kỳ» as two columns (one filled a row, as the quota import has them),
    or the contract's header written without spaces, give the same programmes."""
    two = [
        ["P.U1", "2022", "", "Số đảng viên kết nạp", "≥", "350"],
        ["P.U1", "", "2020-2025", "ket_nap", ">", "1000"],
    ]
    path = write_csv(tmp_path / "hai-cot.csv", ["Mã tổ chức", "Năm", "Nhiệm kỳ", *HEADERS[2:]], two)
    code, out, err = run_import("programme", path)
    assert code == 0, err
    assert {(t.programme.period_key, t.value) for t in ProgrammeTarget.unscoped.all()} == {
        ("2022", Decimal("350")),
        ("2020-2025", Decimal("1000")),
    }
    both = write_csv(
        tmp_path / "ca-hai.csv",
        ["Mã tổ chức", "Năm", "Nhiệm kỳ", *HEADERS[2:]],
        [["P.U1", "2023", "2020-2025", "ket_nap", ">", "5"]],
    )
    code, out, err = run_import("programme", both)
    assert code == 1 and 'dòng 2, cột "Nhiệm kỳ": chỉ ghi một trong hai' in out
    compact = write_csv(
        tmp_path / "lien.csv",
        ["Mã tổ chức", "Năm/Nhiệm kỳ", *HEADERS[2:]],
        [["P.U1", "2022", "ket_nap", "≥", "350"]],
    )
    code, out, err = run_import("programme", compact)
    assert (code, out.endswith("không thay đổi 1.\n")) == (0, True), err
