"""A quota carries the decision giving it and a stretch target (chỉ tiêu phấn đấu) beside the
congress's: set on the quotas page or imported, never below the quota, shown with the progress
against both on the quotas page and in the admissions report (issue 16)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets.services import set_target
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.reports.admissions import admissions_report
from dangvien.reports.render_admissions import as_json
from tests.admissions.test_import_targets import HEADERS, OPTIONAL
from tests.admissions.test_targets_page import PAGE, admitted, read, row_text
from tests.assessments.commands import run_import
from tests.spreadsheets import write_xlsx

pytestmark = pytest.mark.django_db


def stored(org) -> tuple:
    target = AdmissionTarget.unscoped.get(organization=org)
    return (target.quota, target.stretch_quota, target.decision_label)


def test_an_officer_sets_a_stretch_target_and_its_decision_and_sees_both_progresses(world):
    client = world.client(Role.OFFICER)
    data = {
        "organization_code": world.base.code,
        "year": "2025",
        "term": "",
        "quota": "4",
        "stretch_quota": "3",
        "decision_number": "01-NQ/ĐH",
        "decision_on": "15/06/2025",
        "decision_body": "Đại hội Đảng bộ Trường Tiểu học Hòa Bình",
    }
    response = client.post(PAGE, {**data, "version": read(client)})
    assert response.status_code == 400
    assert "Chỉ tiêu phấn đấu (3) không được thấp hơn chỉ tiêu kết nạp (4)." in (
        response.content.decode()
    )
    assert not AdmissionTarget.unscoped.exists()

    client.post(PAGE, {**data, "stretch_quota": "5", "version": read(client)})
    decision = "01-NQ/ĐH ngày 15/06/2025 của Đại hội Đảng bộ Trường Tiểu học Hòa Bình"
    assert stored(world.base) == (4, 5, decision)
    admitted(world.branch, datetime.date(2025, 3, 1), datetime.date(2025, 4, 1))
    html = client.get(PAGE, {"period": "2025"}).content.decode()
    row = row_text(html, AdmissionTarget.unscoped.get())
    assert ">50%" in row and ">40%" in row  # 2 of 4, 2 of 5
    assert decision in row
    entry = AuditEntry.unscoped.filter(action="target.set").latest("id")
    assert entry.changes == {
        "quota_2025": [None, 4],
        "stretch_quota_2025": [None, 5],
        "quota_decision_2025": [None, decision],
    }
    history = client.get("/history/").content.decode()
    assert "Chỉ tiêu phấn đấu năm 2025" in history
    assert "Văn bản giao chỉ tiêu kết nạp năm 2025" in history


def test_a_quota_changed_alone_keeps_its_stretch_target_unless_it_would_pass_it(world):
    admin = world.users[Role.ADMIN]
    set_target(admin, world.base, quota=4, year=2025, stretch_quota=6)
    set_target(admin, world.base, quota=5, year=2025)
    assert stored(world.base) == (5, 6, "")
    with pytest.raises(DomainError, match=r"phấn đấu \(6\) không được thấp hơn .* \(7\)"):
        set_target(admin, world.base, quota=7, year=2025)
    with pytest.raises(DomainError, match="Ngày văn bản giao chỉ tiêu không thể ở tương lai"):
        day = datetime.date(2100, 1, 1)
        set_target(admin, world.base, quota=5, year=2025, decision=Decision(effective_on=day))


def test_the_targets_import_reads_the_optional_columns_and_an_old_file_keeps_them(world, tmp_path):
    rows = [
        [world.base.code, 2025, None, 4, 6, "01-NQ/ĐH", "15/06/2025", "Đại hội Đảng bộ"],
        [world.upper.code, 2025, None, 9, None, None, None, None],
        [world.branch.code, 2025, None, 4, 3, None, None, None],
    ]
    path = write_xlsx(tmp_path / "moi.xlsx", HEADERS + OPTIONAL, rows)
    status, out, _err = run_import("targets", path)
    assert status == 1
    assert out.splitlines() == [
        'dòng 4, cột "Chỉ tiêu phấn đấu": chỉ tiêu phấn đấu (3) không được thấp hơn chỉ tiêu '
        "kết nạp (4)."
    ]
    status, out, _err = run_import(
        "targets", write_xlsx(tmp_path / "a.xlsx", HEADERS + OPTIONAL, rows[:2])
    )
    assert (status, "tạo mới 2" in out) == (0, True)
    assert stored(world.base) == (4, 6, "01-NQ/ĐH ngày 15/06/2025 của Đại hội Đảng bộ")
    assert stored(world.upper) == (9, None, "")

    old_format = [[world.base.code, 2025, None, 5], [world.upper.code, 2025, None, 9]]
    status, out, _err = run_import("targets", write_xlsx(tmp_path / "cu.xlsx", HEADERS, old_format))
    assert (status, "cập nhật 1, không thay đổi 1" in out) == (0, True)
    assert stored(world.base) == (5, 6, "01-NQ/ĐH ngày 15/06/2025 của Đại hội Đảng bộ")
    entry = AuditEntry.unscoped.filter(action="target.import").latest("id")
    assert entry.changes == {"quota_2025": [4, 5]}

    over = [[world.base.code, 2025, None, 7]]
    status, out, _err = run_import("targets", write_xlsx(tmp_path / "vuot.xlsx", HEADERS, over))
    assert status == 1
    assert "chỉ tiêu phấn đấu (6) không được thấp hơn chỉ tiêu kết nạp (7)." in out


def test_the_admissions_report_shows_progress_against_both_targets(world):
    """A unit without its own quota sums those below; one with no stretch target counts its
    quota there."""
    admin = world.users[Role.ADMIN]
    set_target(admin, world.branch, quota=4, year=2025, stretch_quota=8)
    set_target(admin, world.other_branch, quota=2, year=2025)
    admitted(world.branch, *[datetime.date(2025, 3, day) for day in range(1, 5)])
    report = as_json(admissions_report(world.base, 2025, 2025))
    assert (report["target"], report["stretch_target"]) == (6, 10)
    assert (report["percent_of_target"], report["percent_of_stretch_target"]) == (66.67, 40.0)
    children = {child["org"]: child for child in report["children"]}
    assert children[world.branch.code]["percent_of_stretch_target"] == 50.0
    assert children[world.other_branch.code]["stretch_target"] is None
    html = (
        world.client(Role.OFFICER)
        .get(reverse("reports:admissions"), {"org": world.base.code, "year": "2025"})
        .content.decode()
    )
    assert "so với chỉ tiêu phấn đấu 10" in html
    assert '<td class="num" id="stretch-target">10</td>' in html


def test_the_survey_shows_the_years_stretch_targets(world):
    year = timezone.localdate().year
    admin = world.users[Role.ADMIN]
    set_target(admin, world.branch, quota=2, year=year, stretch_quota=4)
    set_target(admin, world.other_branch, quota=3, year=year)
    admitted(world.branch, datetime.date(year, 1, 1))
    response = world.client(Role.OFFICER).get("/admissions/survey/", {"org": world.base.code})
    survey = response.context["survey"]
    assert [(row.quota, row.stretch_quota) for row in survey.rows] == [(2, 4), (3, None)]
    assert (survey.total.stretch_quota, survey.total.percent_of_stretch_quota) == (7, 14.29)
    assert '<td class="num stretch">14,29%</td>' in response.content.decode()
