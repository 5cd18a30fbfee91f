"""`dangvien demo --no-serve`: prepares the database, loads the demo once, prints the logins."""

import io
import re

from django.core.management import call_command
from django.utils import timezone

from dangvien.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from dangvien.core.models import AuditEntry
from dangvien.core.scope import unscoped
from dangvien.members.models import Member
from dangvien.organizations.models import BASE_KINDS, BRANCH_KINDS, Organization, OrgKind


def test_demo_loads_a_province_once_and_every_login_sees_its_scope(demo_data):
    printed = demo_data  # what `dangvien demo --no-serve` printed loading the demo
    assert "Đang nạp dữ liệu mẫu…" in printed
    for username, *_ in ACCOUNTS:
        assert username in printed
    assert DEMO_PASSWORD in printed
    with unscoped():
        assert Organization.objects.filter(kind=OrgKind.PROVINCE).count() == 1
        assert Organization.objects.filter(kind=OrgKind.UPPER).count() == 5
        assert 18 <= Organization.objects.filter(kind__in=BASE_KINDS).count() <= 25
        assert 50 <= Organization.objects.filter(kind__in=BRANCH_KINDS).count() <= 70
        total = Organization.objects.count()

    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "Đang nạp dữ liệu mẫu…" not in again.getvalue()
    assert Organization.unscoped.count() == total
    assert _entries_naming_another_record() == []
    _every_quality_count_has_its_list()

    from django.test import Client

    client = Client()
    assert client.login(username="hoabinh", password=DEMO_PASSWORD)
    assert client.get("/orgs/SH.HB/").status_code == 200
    assert client.get("/orgs/SH.TP/").status_code == 404


def _entries_naming_another_record() -> list[tuple[str, str]]:
    """The demo's history entries on a member whose label is not the member's name: the demo
    renames nobody, so each entry names its record as it is (the member account's record
    included)."""
    names = dict(Member.unscoped.values_list("pk", "full_name"))
    entries = AuditEntry.unscoped.filter(target_type=Member._meta.label_lower)
    assert entries.exists()
    return [
        (label, names[pk])
        for pk, label in entries.values_list("target_id", "target_label")
        if names[pk] != label
    ]


def _every_quality_count_has_its_list() -> None:
    """The province's quality report of each graded year of the demo: the members counted as
    «không xếp loại» and «chưa có kết quả» are the members it lists (a report summed from the
    units' tallies lists the members without a result in each unit's own report, linked from
    its row), and every member alive at the year's end is graded, not graded with a reason, or
    without a result."""
    from django.test import Client

    client = Client()
    assert client.login(username="tinhuy", password=DEMO_PASSWORD)
    this_year = timezone.localdate().year
    for year in range(this_year - 5, this_year):
        figures, listed = _quality_page(client, "SH", year)
        members, assessed, not_graded, no_result = figures
        assert members == assessed + not_graded + no_result, (year, figures)
        assert not_graded > 0, year  # the demo has members not graded, with a reason, every year
        assert listed == (not_graded, no_result), (year, figures, listed)


def _quality_page(client, code: str, year: int) -> tuple[tuple[int, ...], tuple[int, int]]:
    """(members, graded, not graded, without result) as the report states them, and how many
    members its lists name (not graded; without result, through the units' reports when the
    report sends there)."""
    page = client.get(f"/reports/quality/?org={code}&year={year}").content.decode()
    accounted = re.search(r'<p class="muted" id="accounted">(.*?)</p>', page, re.S).group(1)

    def figure(label: str) -> int:  # «label: 1.905» or «label: <a …>73</a>»
        found = re.search(rf"{re.escape(label)}: (?:<a [^>]*>)?(\d[\d.]*\d|\d)", accounted)
        return int(found.group(1).replace(".", ""))

    figures = tuple(
        figure(label)
        for label in (
            f"Đảng viên đến 31/12/{year}",
            "được xếp loại",
            "không xếp loại (có lý do)",
            "chưa có kết quả",
        )
    )

    def section(name: str) -> str:
        return re.search(rf'<section class="card block" id="{name}">(.*?)</section>', page, re.S)[1]

    member_row = r"<tr><td>SH\d{6}</td>"
    not_graded = len(re.findall(member_row, section("not-graded")))
    without_result = len(re.findall(member_row, section("without-result")))
    if "danh sách từng người ở báo cáo của từng tổ chức trực thuộc" in section("without-result"):
        units = re.findall(
            r'href="\?org=([^&"]+)&amp;year=\d+#without-result"', section("children")
        )
        assert units, (code, year)
        without_result = sum(_quality_page(client, unit, year)[1][1] for unit in units)
    return figures, (not_graded, without_result)
