"""Acceptance (issue 17): `dangvien report awards` lists exactly the organisations graded
excellent in each of the five years and the members reaching each badge milestone in the year,
from data imported with `dangvien import orgs/members/org-assessments/assessments`."""

import datetime
import json

import pytest
from openpyxl import load_workbook

from dangvien.core.decisions import Decision
from dangvien.core.rules import add_months
from dangvien.core.scope import unscoped
from dangvien.members import services
from dangvien.members.models import Member, Status
from dangvien.members.readmission import readmit_member
from tests.assessments.commands import run_import
from tests.reports.commands import run_report
from tests.spreadsheets import (
    ASSESSMENT_HEADERS,
    ORG_ASSESSMENT_HEADERS,
    ORG_HEADERS,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
YEAR = 2025
EXCELLENT, GOOD = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"
HEADERS = ["Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Mã chi bộ", "Ngày vào Đảng",
           "Ngày chính thức"]  # fmt: skip

ORGS = [
    ["T", "Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ tỉnh", ""],
    ["T.01", "Đảng bộ xã Hòa Bình", "Đảng bộ cấp trên trực tiếp cơ sở", "T"],
    ["T.01.01", "Đảng bộ Trường Hòa Bình", "Đảng bộ cơ sở", "T.01"],
    ["T.01.01.01", "Chi bộ Tổ Toán", "Chi bộ trực thuộc", "T.01.01"],
    ["T.01.01.02", "Chi bộ Tổ Văn", "Chi bộ trực thuộc", "T.01.01"],
    ["T.01.01.03", "Chi bộ Tổ Sử", "Chi bộ trực thuộc", "T.01.01"],
    ["T.02", "Đảng bộ xã Bên Cạnh", "Đảng bộ cấp trên trực tiếp cơ sở", "T"],
    ["T.02.01", "Chi bộ Thôn Bên Cạnh", "Chi bộ cơ sở", "T.02"],
]
YEARS = range(YEAR - 4, YEAR + 1)


def org_grades() -> list[list]:
    rows = []
    for year in range(YEAR - 5, YEAR + 1):
        rows.append(["T.01.01.01", year, EXCELLENT])  # five years running: listed
        rows.append(["T.01.01.02", year, GOOD if year == YEAR - 2 else EXCELLENT])  # a gap
        rows.append(["T.01.01.03", year, GOOD if year == YEAR else EXCELLENT])  # not in Y
        rows.append(["T.02.01", year, EXCELLENT])  # outside T.01
        if year >= YEAR - 3:
            rows.append(["T.01.01", year, EXCELLENT])  # four years only
    return rows


def d(day: str) -> datetime.date:
    return datetime.datetime.strptime(day, "%d/%m/%Y").date()


def member(code, name, admitted, branch="T.01.01.01"):
    born = d(admitted).replace(year=d(admitted).year - 25, day=1)
    official = add_months(d(admitted), 13)
    dates = [born.strftime("%d/%m/%Y"), branch, admitted, official.strftime("%d/%m/%Y")]
    return [code, name, "Nam", *dates]


MEMBERS = [
    member("DV-A", "Nguyễn Văn An", "10/03/1995"),  # 30 years on 10/03/2025
    member("DV-B", "Trần Văn Bình", "01/01/1985"),  # 40 years on the year's first day
    member("DV-C", "Lê Văn Cường", "31/12/1975"),  # 50 years on its last day
    member("DV-D", "Phạm Văn Dũng", "31/12/1994"),  # 30 years on 31/12/2024: the year before
    member("DV-E", "Hoàng Văn Em", "01/01/1996"),  # 30 years on 01/01/2026: the year after
    member("DV-F", "Vũ Văn Phú", "29/02/1980"),  # 45 years on 28/02/2025 (a leap day)
    member("DV-G", "Đặng Văn Giang", "15/05/1960"),  # 65 years on 15/05/2025
    member("DV-H", "Bùi Văn Hải", "10/03/1995", "T.02.01"),  # outside T.01
    member("DV-K", "Võ Văn Khánh", "20/04/1985"),  # 40 years in 2025, but struck off in 2024
    member("DV-L", "Huỳnh Văn Long", "01/01/1992"),  # re-admitted: 30 years in 2025, not 2022
]


def member_grades() -> list[list]:
    rows = []
    for year in YEARS:
        rows.append(["DV-A", year, EXCELLENT])
        rows.append(["DV-B", year, GOOD if year == YEAR - 1 else EXCELLENT])
        rows.append(["DV-C", year, EXCELLENT])
        rows.append(["DV-H", year, EXCELLENT])
    return rows


@pytest.fixture
def imported(tmp_path):
    files = [
        ("orgs", write_xlsx(tmp_path / "to-chuc.xlsx", ORG_HEADERS, ORGS)),
        ("members", write_xlsx(tmp_path / "dang-vien.xlsx", HEADERS, MEMBERS)),
        ("org-assessments", write_csv(tmp_path / "xl-to-chuc.csv", ORG_ASSESSMENT_HEADERS,
                                      org_grades())),
        ("assessments", write_xlsx(tmp_path / "xl-dang-vien.xlsx", ASSESSMENT_HEADERS,
                                   member_grades())),
    ]  # fmt: skip
    for kind, path in files:
        status, out, err = run_import(kind, path)
        assert (status, err) == (0, ""), (kind, out, err)
    with unscoped():
        struck = Member.objects.get(code="DV-K")
        services.record_leaving(
            None, struck, Status.REMOVED, Decision(datetime.date(2024, 5, 1), "7-QĐ", "", "Bỏ")
        )
        readmitted = Member.objects.get(code="DV-L")
        services.record_leaving(
            None, readmitted, Status.REMOVED, Decision(datetime.date(2000, 1, 1), "8-QĐ", "", "X")
        )
    return readmitted


def report(*args) -> dict:
    status, out, err = run_report("awards", *args)
    assert (status, err) == (0, ""), err
    return json.loads(out)


def test_report_awards_lists_exactly_the_streaks_and_the_milestones(imported, world):
    readmit_member(
        world.users["admin"],
        Member.unscoped.get(pk=imported.pk),
        decided_on=datetime.date(2003, 7, 1),
        decision_number="9-QĐ",
        consent_number="3-CV/TU",
        consent_on=datetime.date(2003, 6, 1),
    )
    gap = (datetime.date(2003, 7, 1) - datetime.date(2000, 1, 1)).days
    ngay_du_l = (datetime.date(2022, 1, 1) + datetime.timedelta(days=gap)).isoformat()
    assert ngay_du_l.startswith("2025-")

    result = report("--org", "T.01", "--year", str(YEAR))
    assert list(result) == [
        "org",
        "year",
        "to_chuc_xuat_sac_5_nam",
        "dang_vien_xuat_sac_5_nam",
        "huy_hieu",
        "huy_hieu_danh_sach",
    ]
    assert (result["org"], result["year"]) == ("T.01", YEAR)
    assert result["to_chuc_xuat_sac_5_nam"] == [
        {"org": "T.01.01.01", "name": "Chi bộ Tổ Toán", "type": "chi_bo_truc_thuoc"}
    ]
    assert result["dang_vien_xuat_sac_5_nam"] == [
        {"member": "DV-A", "name": "Nguyễn Văn An"},
        {"member": "DV-C", "name": "Lê Văn Cường"},
    ]
    assert result["huy_hieu"] == {
        "30": 2, "40": 1, "45": 1, "50": 1, "55": 0, "60": 0, "65": 1,
        "70": 0, "75": 0, "80": 0, "85": 0, "90": 0,
    }  # fmt: skip
    listed = {(row["member"], row["moc"], row["ngay_du"]) for row in result["huy_hieu_danh_sach"]}
    assert listed == {
        ("DV-A", 30, "2025-03-10"),
        ("DV-L", 30, ngay_du_l),
        ("DV-B", 40, "2025-01-01"),
        ("DV-F", 45, "2025-02-28"),
        ("DV-C", 50, "2025-12-31"),
        ("DV-G", 65, "2025-05-15"),
    }
    names = {row["member"]: row["name"] for row in result["huy_hieu_danh_sach"]}
    assert names["DV-G"] == "Đặng Văn Giang"

    # the province sees the outside branch too
    province = report("--org", "T", "--year", str(YEAR))
    assert [row["org"] for row in province["to_chuc_xuat_sac_5_nam"]] == [
        "T.01.01.01",
        "T.02.01",
    ]
    assert province["huy_hieu"]["30"] == 3
    assert {row["member"] for row in province["dang_vien_xuat_sac_5_nam"]} == {
        "DV-A",
        "DV-C",
        "DV-H",
    }


def test_the_workbook_and_the_refusals(imported, tmp_path):
    path = tmp_path / "khen-thuong.xlsx"
    status, _out, err = run_report("awards", "--org", "T.01", "--year", str(YEAR), "--format",
                                   "xlsx", "--output", str(path))  # fmt: skip
    assert status == 0 and "Đã ghi báo cáo" in err
    workbook = load_workbook(path)
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Tổ chức xuất sắc 5 năm",
        "Đảng viên xuất sắc 5 năm",
        "Huy hiệu Đảng",
    ]
    orgs = [row[0] for row in workbook["Tổ chức xuất sắc 5 năm"].iter_rows(values_only=True)]
    assert orgs == ["Mã tổ chức", "T.01.01.01"]
    badges = list(workbook["Huy hiệu Đảng"].iter_rows(values_only=True))
    assert ("DV-G", "Đặng Văn Giang", "Chi bộ Tổ Toán", 65, "15/05/2025") in badges
    assert run_report("awards", "--org", "T.01")[2] == "Báo cáo khen thưởng cần tham số --year Y."
    refused = run_report("awards", "--org", "T.01", "--year", "2025", "--format", "pdf",
                         "--output", str(tmp_path / "x.pdf"))  # fmt: skip
    assert refused[0] != 0 and "không có pdf" in refused[2]


def test_the_page_shows_the_same_report_within_the_scope(imported, world):
    admin = world.client("admin")
    page = admin.get(f"/reports/awards/?org=T.01&year={YEAR}").content.decode()
    assert "Báo cáo khen thưởng và Huy hiệu Đảng năm 2025: Đảng bộ xã Hòa Bình" in page
    assert "5 năm liền: 2021–2025" in page
    assert "Chi bộ Tổ Toán" in page and "Chi bộ Tổ Văn</a>" not in page
    assert '<td>Đặng Văn Giang</td><td>Chi bộ Tổ Toán</td><td class="num">65</td>' in page
    assert "15/05/2025" in page
    download = admin.get(f"/reports/awards.xlsx?org=T.01&year={YEAR}")
    assert download.status_code == 200
    assert "khen-thuong-t01-2025.xlsx" in download["Content-Disposition"]
    # an officer of another subtree cannot open it
    assert world.client("officer").get("/reports/awards/?org=T.01").status_code == 404
    bad = admin.get("/reports/awards/?org=T.01&year=20x5").content.decode()
    assert "không phải là một năm" in bad


def test_a_streak_continues_through_an_amalgamation(world):
    """Two branches amalgamated into a new one at the start of 2023: the new one's streak of
    2021–2025 counts the years before when both were excellent (OrgEvent «Hợp nhất»)."""
    from dangvien.assessments.models import OrgAssessment
    from dangvien.organizations.models import OrgEvent, OrgEventKind, OrgKind
    from dangvien.reports.awards import awards_report
    from tests.factories import OrganizationFactory

    def branch(code, name, **dates):
        return OrganizationFactory(
            code=code, name=name, kind=OrgKind.SUB_BRANCH, parent=world.base, **dates
        )

    first = branch("P.U1.01.81", "Chi bộ Cũ Một", ended_on=datetime.date(2022, 12, 31))
    second = branch("P.U1.01.82", "Chi bộ Cũ Hai", ended_on=datetime.date(2022, 12, 31))
    merged = branch("P.U1.01.83", "Chi bộ Hợp Nhất", founded_on=datetime.date(2023, 1, 1))

    def grade(org, year, value="xuat_sac"):
        OrgAssessment.unscoped.create(organization=org, org_path=org.path, year=year, grade=value)

    for year in (2021, 2022):
        grade(first, year)
        grade(second, year)
    for year in (2023, 2024, 2025):
        grade(merged, year)
    for old in (first, second):
        OrgEvent.unscoped.create(
            org=old, kind=OrgEventKind.AMALGAMATE, effective_on=datetime.date(2023, 1, 1),
            receiving=merged,
        )  # fmt: skip
    listed = [row.code for row in awards_report(world.base, 2025).organisations]
    assert listed == ["P.U1.01.83"]
    OrgAssessment.unscoped.filter(organization=second, year=2021).update(grade="tot")
    assert awards_report(world.base, 2025).organisations == []


def test_a_past_year_is_not_rewritten_by_a_later_move_and_transfer(imported, world):
    """The 2025 report reads the tree as it stood on 31/12/2025: the base organisation moved
    under another commune and a member transferred out afterwards change nothing in it."""
    from django.utils import timezone

    from dangvien.organizations.models import Organization
    from dangvien.organizations.services import move_organization

    before = {code: report("--org", code, "--year", str(YEAR)) for code in ("T", "T.01", "T.02")}
    assert before["T.01"]["to_chuc_xuat_sac_5_nam"] and before["T.01"]["huy_hieu"]["30"] == 1
    assert "DV-A" in {row["member"] for row in before["T.01"]["dang_vien_xuat_sac_5_nam"]}
    admin = world.users["admin"]
    today = timezone.localdate()
    with unscoped():
        base, other = (Organization.objects.get(code=c) for c in ("T.01.01", "T.02"))
        move_organization(admin, base, other, Decision(today, "15-QĐ/TU"))
        services.transfer_member(
            admin,
            Member.objects.get(code="DV-A"),
            Organization.objects.get(code="T.02.01"),
            Decision(today, "16-QĐ", reason="Chuyển công tác"),
        )
    after = {code: report("--org", code, "--year", str(YEAR)) for code in ("T", "T.01", "T.02")}
    assert after == before
    # Today's tree did change: the branch and the member are under T.02 now.
    with unscoped():
        assert Organization.objects.get(code="T.01.01.01").path.startswith(other.path)
        assert Member.objects.get(code="DV-A").branch_path.startswith(other.path)
