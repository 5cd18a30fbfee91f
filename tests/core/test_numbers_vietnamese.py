"""Numbers on the import pages and in the pager are written the Vietnamese way (1.965, not 1965):
the preview's counts and row numbers, the import's summary, the pager's pages and totals."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from dangvien.core import uploads
from dangvien.core.importing import ImportReport
from dangvien.core.models import ImportUpload
from dangvien.core.roles import Role
from dangvien.core.spreadsheets import Problem
from dangvien.core.uploads import PreviewRow, SavedReport


def upload_with(world, report: SavedReport, status=ImportUpload.Status.PREVIEWED) -> ImportUpload:
    return ImportUpload.objects.create(
        uploaded_by=world.users[Role.OFFICER],
        kind="orgs",
        filename="to-chuc.xlsx",
        report=report.to_json(),
        status=status,
    )


def test_the_preview_writes_its_counts_and_rows_the_vietnamese_way(world):
    planned = [PreviewRow(12_001, "P.U1.05", "Chi bộ Khu phố 5", "", "create")]
    report = SavedReport(created=1_965, updated=12_000, unchanged=1_000_000, planned_count=13_965)
    report.planned = planned
    upload = upload_with(world, report)
    page = world.client(Role.OFFICER).get(f"/imports/orgs/{upload.pk}/").content.decode()
    assert "<strong>tạo mới 1.965</strong>, <strong>cập nhật 12.000</strong>" in page
    assert "giữ nguyên 1.000.000" in page
    assert "<tr><td>12.001</td><td>P.U1.05</td>" in page
    assert "Hiển thị 1 dòng đầu trong 13.965 dòng." in page


def test_the_problems_are_numbered_the_vietnamese_way(world):
    report = SavedReport(problem_count=2_500, problems=[Problem(10_250, "Mã tổ chức", "Trùng mã.")])
    upload = upload_with(world, report, ImportUpload.Status.REJECTED)
    page = world.client(Role.OFFICER).get(f"/imports/orgs/{upload.pk}/").content.decode()
    assert "Tệp có 2.500 lỗi" in page
    assert "<tr><td>10.250</td><td>Mã tổ chức</td>" in page
    assert "trong 2.500 lỗi" in page


def test_the_import_summary_groups_thousands(world):
    upload = upload_with(world, SavedReport())
    uploads.mark_imported(upload, ImportReport("orgs", created=1_965, updated=12_000, unchanged=7))
    upload.refresh_from_db()
    assert upload.summary == "tạo mới 1.965, cập nhật 12.000, không thay đổi 7"
    page = world.client(Role.OFFICER).get(f"/imports/orgs/{upload.pk}/").content.decode()
    assert "Tệp đã được nhập:</strong> tạo mới 1.965, cập nhật 12.000" in page


def test_the_pager_numbers_its_pages_the_vietnamese_way():
    request = RequestFactory().get("/members/", {"page": "1000"})
    page = Paginator(range(1_200_000), 10).get_page(1000)
    html = render_to_string("_pager.html", {"page": page, "request": request})
    assert "Trang 1.000/120.000 · 1.200.000 mục" in html
    assert 'aria-current="page">1.000</span>' in html
    assert ">120.000</a>" in html and ">1.002</a>" in html
