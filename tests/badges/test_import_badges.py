"""`dangvien import badges`: the history of badges awarded, checked like a badge recorded by
hand; the same file again changes nothing."""

import datetime

from dangvien.badges.models import Badge, Stage
from tests.assessments.commands import run_import
from tests.factories import MemberFactory
from tests.spreadsheets import write_csv

HEADERS = ["Mã đảng viên", "Mốc (năm)", "Số quyết định", "Ngày quyết định", "Số huy hiệu",
           "Số giấy chứng nhận", "Ngày trao", "Truy tặng"]  # fmt: skip


def test_badges_are_imported_once_and_checked(world, tmp_path):
    MemberFactory(code="HH-1", full_name="Phạm Văn Một", branch=world.branch,
                  birth_date=datetime.date(1950, 1, 1), admitted_on=datetime.date(1975, 3, 1),
                  official_on=datetime.date(1976, 3, 1))  # fmt: skip
    good = [
        ["HH-1", 30, "12-QĐ/TU", "01/01/2005", "30-0001", "GCN-1", "03/02/2005", ""],
        ["HH-1", 50, "88-QĐ/TU", "20/04/2025", "50-0001", "GCN-2", "19/05/2025", ""],
    ]
    path = write_csv(tmp_path / "huy-hieu.csv", HEADERS, good)
    status, out, err = run_import("badges", path)
    assert (status, err) == (0, ""), out
    assert "tạo mới 2" in out
    badge = Badge.unscoped.get(milestone=50)
    assert (badge.stage, badge.reached_on, badge.badge_number) == (
        Stage.AWARDED,
        datetime.date(2025, 3, 1),
        "50-0001",
    )
    assert "tạo mới 0" in run_import("badges", path)[1]

    bad = [
        ["HH-1", 35, "1-QĐ", "01/01/2020", "35-1", "G-1", "03/02/2020", ""],  # not a milestone
        ["HH-1", 40, "2-QĐ", "01/01/2013", "40-1", "G-2", "03/02/2013", ""],  # 2 years early
        ["HH-1", 45, "3-QĐ", "01/01/2020", "45-1", "G-3", "03/02/2020", "Có"],  # not deceased
        ["KHONG-CO", 30, "4-QĐ", "01/01/2020", "30-9", "G-4", "03/02/2020", ""],
    ]
    status, out, err = run_import("badges", write_csv(tmp_path / "loi.csv", HEADERS, bad))
    assert status != 0
    text = out + err
    assert "35 năm không phải một mốc Huy hiệu Đảng" in text
    assert "sớm hơn thời hạn được trao sớm" in text
    assert "Truy tặng chỉ dành cho đảng viên đã từ trần" in text, text
    assert "không tìm thấy đảng viên mã KHONG-CO" in text
    assert Badge.unscoped.count() == 2
