"""Reads leave a trace: a full record viewed or printed, a list exported, a report downloaded
each leave exactly one audit entry saying who, what, how many rows and which columns; the list
page (cached) leaves none."""

import csv
import io

from dangvien.core.models import READ_ACTIONS, AuditEntry
from dangvien.core.roles import Role


def reads(action: str | None = None):
    entries = AuditEntry.unscoped.filter(action__in=READ_ACTIONS)
    return entries.filter(action=action) if action else entries


def test_viewing_a_record_leaves_one_entry_filed_under_its_branch(world):
    officer = world.users[Role.OFFICER]
    response = world.client(Role.OFFICER).get(f"/members/{world.member.pk}/")
    assert response.status_code == 200
    (entry,) = reads()
    assert entry.action == "member.view" and entry.actor == officer
    assert (entry.target_type, entry.target_id) == ("members.member", world.member.pk)
    assert entry.org_path == world.member.branch_path
    assert entry.action_label == "Xem hồ sơ đảng viên"


def test_a_refused_record_leaves_no_entry(world):
    response = world.client(Role.SECRETARY).get(f"/members/{world.other_member.pk}/")
    assert response.status_code == 404
    assert not reads().exists()


def test_the_list_page_leaves_no_entry_cached_or_not(world):
    client = world.client(Role.OFFICER)
    for _ in range(2):
        assert client.get("/members/").status_code == 200
    assert not reads().exists()


def test_export_records_rows_columns_filters_and_format(world):
    client = world.client(Role.OFFICER)
    response = client.get("/members/export.csv", {"q": "Nguyễn", "status": "all"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    (entry,) = reads()
    assert entry.action == "members.export" and entry.actor == world.users[Role.OFFICER]
    assert entry.changes["rows"] == len(lines) - 1 == 1
    assert entry.changes["columns"] == lines[0]
    assert entry.changes["filters"] == {"q": "Nguyễn", "status": "all"}
    assert entry.changes["format"] == "csv"
    assert entry.org_path == world.upper.path


def test_export_of_every_column_as_xlsx(world):
    from dangvien.members.columns import COLUMNS

    response = world.client(Role.OFFICER).get(
        "/members/export.xlsx", {"all_columns": "1", "org": world.base.code}
    )
    assert response.status_code == 200
    (entry,) = reads("members.export")
    assert entry.changes["rows"] == 2  # the two inside members of the base committee
    assert entry.changes["columns"] == [column.label for column in COLUMNS]
    assert entry.changes["format"] == "xlsx"
    assert entry.org_path == world.base.path


def test_printing_a_record_and_a_branch_list(world):
    client = world.client(Role.SECRETARY)
    assert client.get(f"/members/{world.member.pk}/record.pdf").status_code == 200
    assert client.get(f"/members/branch/{world.branch.code}/list.pdf").status_code == 200
    (printed,) = reads("member.print")
    assert printed.target_id == world.member.pk and printed.actor == world.users[Role.SECRETARY]
    (listed,) = reads("branch.print_list")
    assert listed.target_id == world.branch.pk and listed.org_path == world.branch.path
    assert reads().count() == 2


def test_report_download_records_report_org_year_and_format(world):
    client = world.client(Role.OFFICER)
    response = client.get("/reports/quality.xlsx", {"org": world.upper.code, "year": "2024"})
    assert response.status_code == 200
    (entry,) = reads()
    assert entry.action == "report.download"
    assert entry.changes == {
        "report": "Xếp loại chất lượng",
        "org": world.upper.code,
        "year": 2024,
        "format": "xlsx",
    }
    assert entry.org_path == world.upper.path
    assert client.get("/reports/quality/", {"org": world.upper.code}).status_code == 200
    assert reads().count() == 1  # the page on screen is not a download


def test_api_record_read_is_recorded(world):
    response = world.client(Role.OFFICER).get(f"/api/v1/members/{world.member.pk}/")
    assert response.status_code == 200
    (entry,) = reads("member.view")
    assert entry.changes == {"via": "API"}


def test_reads_stay_out_of_the_change_history(world):
    client = world.client(Role.OFFICER)
    client.get(f"/members/{world.member.pk}/")
    page = client.get(f"/members/{world.member.pk}/").content.decode()
    assert "Xem hồ sơ đảng viên" not in page
    assert "Xem hồ sơ đảng viên" not in client.get("/history/").content.decode()
