"""`dangvien report admissions --org CODE (--year Y | --from Y1 --to Y2)`: admissions against the
quota, as the JSON of formats.md, and as xlsx and PDF files."""

import datetime
import io
import json
import subprocess

import pytest
from openpyxl import load_workbook

from dangvien.admissions.models import Candidate, Stage
from dangvien.admissions.targets.services import set_target
from dangvien.core.roles import Role
from dangvien.members.models import Gender, Member, Placement, Status
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import MemberFactory, OrganizationFactory
from tests.reports.commands import run_report
from tests.reports.test_download_structure_report import rows, section
from tests.tools import require_program

pytestmark = pytest.mark.django_db
NO_AGE = {"≤30": 0, "31-40": 0, "41-50": 0, "51-60": 0, "61-70": 0, ">70": 0}


def admit(branch, count: int, admitted_on: datetime.date, **fields) -> None:
    """`count` members admitted into `branch` on `admitted_on`, inserted in bulk with their
    placement in the branch from that day (as the member import writes them)."""
    values = {"official_on": None, "status": Status.PROBATIONARY, **fields}
    members = MemberFactory.build_batch(count, branch=branch, admitted_on=admitted_on, **values)
    Placement.objects.bulk_create(
        Placement(member=member, branch=branch, start=admitted_on)
        for member in Member.unscoped.bulk_create(members)
    )


def admit_in_2016(world) -> Organization:
    """2016: 3 + 2 admitted in the base organisation's branches, 1 in a branch of it that ended
    on 01/09/2016 (P.U1.01.09, returned), 4 in the outside branch: the past year the dated
    readings of admissions are tested on."""
    ended = OrganizationFactory(
        code="P.U1.01.09",
        name="Chi bộ Tổ Nhạc",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        ended_on=datetime.date(2016, 9, 1),
    )
    admit(world.branch, 3, datetime.date(2016, 3, 1))
    admit(world.other_branch, 2, datetime.date(2016, 5, 1))
    admit(ended, 1, datetime.date(2016, 4, 1))
    admit(world.outside_branch, 4, datetime.date(2016, 6, 1))
    return ended


def target(world, org, quota: int, *, year: int | None = None, term=None) -> None:
    set_target(world.users[Role.ADMIN], org, quota=quota, year=year, term=term)


def candidate(branch, stage: str, class_attended_on: datetime.date | None = None) -> Candidate:
    return Candidate.unscoped.create(
        organization=branch,
        org_path=branch.path,
        full_name="Phạm Văn Quần",
        gender=Gender.MALE,
        birth_date=datetime.date(2000, 1, 1),
        selected_on=datetime.date(2024, 1, 1),
        stage=stage,
        class_attended_on=class_attended_on,
    )


def report(*args: str) -> dict:
    status, out, err = run_report("admissions", *args)
    assert status == 0, err
    return json.loads(out)


def test_a_year_quota_of_240_with_243_admitted_is_101_25_percent(world):
    target(world, world.upper, 240, year=2025)
    admit(world.branch, 200, datetime.date(2025, 3, 2))
    admit(world.other_branch, 43, datetime.date(2025, 12, 31))
    admit(world.branch, 5, datetime.date(2024, 12, 31))  # the year before
    admit(world.branch, 4, datetime.date(2026, 1, 1))  # the year after
    admit(world.outside_branch, 7, datetime.date(2025, 6, 1))  # outside the subtree
    status, out, _ = run_report("admissions", "--org", "P.U1", "--year", "2025")
    assert status == 0
    found = json.loads(out)
    assert (found["org"], found["from"], found["to"]) == ("P.U1", 2025, 2025)
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (243, 240, 101.25)
    assert found["children"] == [
        {
            "org": "P.U1.01",
            "name": "Đảng bộ Trường Tiểu học Hòa Bình",
            "admitted": 243,
            "target": None,
            "percent_of_target": None,
            "stretch_target": None,
            "percent_of_stretch_target": None,
        }
    ]
    assert "Đảng bộ Trường" in out and "\\u" not in out  # UTF-8, not ASCII escapes


def test_a_term_quota_of_500_with_462_admitted_is_92_4_percent(world):
    target(world, world.upper, 500, term=(2020, 2025))
    target(world, world.upper, 150, year=2021)  # a year quota does not count for the term
    for year, count in ((2020, 150), (2021, 160), (2022, 152)):
        admit(world.branch, count, datetime.date(year, 1, 1))
    admit(world.branch, 3, datetime.date(2019, 12, 31))  # before the term
    found = report("--org", "P.U1", "--from", "2020", "--to", "2025")
    assert (found["from"], found["to"]) == (2020, 2025)
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (462, 500, 92.4)
    # the year 2021 alone is measured against its own quota
    found = report("--org", "P.U1", "--year", "2021")
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (160, 150, 106.67)


def test_admitted_counts_members_of_every_status_and_no_one_else(world):
    day = datetime.date(2023, 5, 19)
    admit(world.branch, 2, day, status=Status.OFFICIAL, official_on=datetime.date(2024, 5, 19))
    admit(world.branch, 1, day, status=Status.REMOVED, left_on=datetime.date(2024, 1, 1))
    admit(world.other_branch, 1, day, status=Status.DECEASED, left_on=datetime.date(2023, 9, 1))
    found = report("--org", "P.U1", "--year", "2023")
    assert found["admitted"] == 4
    # the members of the world were admitted in 2010
    assert report("--org", "P.U1", "--year", "2010")["admitted"] == 2


def test_without_a_quota_of_its_own_the_org_takes_the_highest_quotas_below(world):
    extra = OrganizationFactory(
        code="P.U1.02", name="Chi bộ Phường đội", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    target(world, world.branch, 10, year=2024)
    target(world, world.other_branch, 5, year=2024)
    target(world, extra, 7, year=2024)
    admit(world.branch, 8, datetime.date(2024, 4, 1))
    admit(world.other_branch, 6, datetime.date(2024, 4, 1))
    found = report("--org", "P.U1.01", "--year", "2024")
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (14, 15, 93.33)
    assert found["children"] == [
        {
            "org": "P.U1.01.01",
            "name": "Chi bộ Tổ Toán",
            "admitted": 8,
            "target": 10,
            "percent_of_target": 80.0,
            "stretch_target": None,
            "percent_of_stretch_target": None,
        },
        {
            "org": "P.U1.01.02",
            "name": "Chi bộ Tổ Văn",
            "admitted": 6,
            "target": 5,
            "percent_of_target": 120.0,
            "stretch_target": None,
            "percent_of_stretch_target": None,
        },
    ]
    found = report("--org", "P.U1", "--year", "2024")
    assert (found["target"], found["percent_of_target"]) == (22, 63.64)
    children = {child["org"]: child for child in found["children"]}
    assert (children["P.U1.01"]["target"], children["P.U1.02"]["target"]) == (15, 7)
    assert (children["P.U1.02"]["admitted"], children["P.U1.02"]["percent_of_target"]) == (0, 0.0)
    # A quota set on the base committee covers its branches: theirs no longer add up above it.
    target(world, world.base, 12, year=2024)
    found = report("--org", "P.U1", "--year", "2024")
    assert found["target"] == 19
    assert report("--org", "P.U1.01", "--year", "2024")["target"] == 12
    # The province sums its subtrees; the outside one has no quota.
    assert report("--org", "P", "--year", "2024")["target"] == 19


def test_without_any_quota_the_target_is_null(world):
    admit(world.branch, 3, datetime.date(2022, 7, 1))
    target(world, world.upper, 40, term=(2020, 2025))  # a term quota is not a year quota
    target(world, world.outside_upper, 9, year=2022)  # outside the subtree
    found = report("--org", "P.U1", "--year", "2022")
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (3, None, None)
    # another term is not this term
    found = report("--org", "P.U1", "--from", "2020", "--to", "2024")
    assert (found["target"], found["percent_of_target"]) == (None, None)


def test_a_quota_of_zero_has_no_percentage(world):
    target(world, world.upper, 0, year=2022)
    admit(world.branch, 1, datetime.date(2022, 7, 1))
    found = report("--org", "P.U1", "--year", "2022")
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (1, 0, None)


def test_breakdown_of_those_admitted(world):
    day = datetime.date(2024, 6, 15)
    # 30 the day before the 31st birthday; 31 on it
    admit(world.branch, 2, day, birth_date=datetime.date(1993, 6, 16), qualification="Thạc sĩ")
    admit(world.branch, 1, day, birth_date=datetime.date(1993, 6, 15), ethnicity="Tày")
    admit(
        world.other_branch,
        3,
        day,
        gender=Gender.FEMALE,
        birth_date=datetime.date(2006, 6, 15),  # 18
        qualification="",
        ethnicity="",
    )
    admit(world.other_branch, 1, day, birth_date=datetime.date(1963, 1, 1))  # 61
    found = report("--org", "P.U1", "--year", "2024")
    assert found["admitted"] == 7
    assert found["breakdown"] == {
        "chuyen_mon": {"Đại học": 2, "Thạc sĩ": 2, "Chưa rõ": 3},
        "gioi_tinh": {"Nam": 4, "Nữ": 3},
        "do_tuoi": {**NO_AGE, "≤30": 5, "31-40": 1, "61-70": 1},
        "dan_toc": {"Kinh": 3, "Tày": 1, "Chưa rõ": 3},
    }


def test_pipeline_counts_the_pool_now_and_the_admitted_who_became_official(world):
    day = datetime.date(2024, 3, 1)
    candidate(world.branch, Stage.POOL)
    candidate(world.branch, Stage.SYMPATHISER, datetime.date(2024, 5, 1))
    candidate(world.other_branch, Stage.FILE, datetime.date(2024, 5, 1))
    candidate(world.other_branch, Stage.COMMITTEE_RESOLVED, datetime.date(2024, 5, 1))
    candidate(world.branch, Stage.WITHDRAWN, datetime.date(2024, 5, 1))  # not in the pool
    candidate(world.branch, Stage.ADMITTED, datetime.date(2023, 5, 1))  # counted as a member
    candidate(world.outside_branch, Stage.POOL)
    admit(world.branch, 3, day)
    admit(world.branch, 2, day, status=Status.OFFICIAL, official_on=datetime.date(2025, 3, 1))
    found = report("--org", "P.U1", "--year", "2024")
    assert found["pipeline"] == {
        "candidates": 4,
        "class_attended": 3,
        "in_file": 2,
        "admitted": 5,
        "official": 2,
    }
    assert report("--org", "P.U1.01.01", "--year", "2024")["pipeline"]["candidates"] == 2


def test_no_query_is_made_per_member_or_per_child(world, django_assert_max_num_queries):
    admit(world.branch, 120, datetime.date(2024, 3, 1))
    admit(world.other_branch, 80, datetime.date(2024, 3, 1))
    with django_assert_max_num_queries(8):
        found = report("--org", "P.U1.01", "--year", "2024")
    assert [child["admitted"] for child in found["children"]] == [120, 80]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "P.U1"], "cần tham số --year Y hoặc --from Y1 --to Y2"),
        (["--org", "P.U1", "--from", "2020"], "--from Y1 và --to Y2 phải đi cùng nhau"),
        (["--org", "P.U1", "--to", "2025"], "--from Y1 và --to Y2 phải đi cùng nhau"),
        (["--org", "P.U1", "--year", "2021", "--to", "2025"], "không dùng cả hai"),
        (["--org", "P.U1", "--from", "2025", "--to", "2020"], "không được trước năm đầu"),
        (["--org", "P.U1", "--year", "1929"], "Năm phải từ 1930 trở đi."),
        (["--org", "P.U1", "--year", "2999"], "Năm 2999 chưa bắt đầu"),
        (["--org", "P.U1", "--from", "2999", "--to", "3004"], "Năm 2999 chưa bắt đầu"),
        (["--org", "KHONG-CO", "--year", "2024"], "Không tìm thấy tổ chức có mã KHONG-CO."),
        (["--org", "P.U1", "--year", "2024", "--format", "xlsx"], "cần tham số --output TỆP."),
    ],
)
def test_wrong_arguments_exit_1_with_a_vietnamese_message(world, args, message):
    status, out, err = run_report("admissions", *args)
    assert status == 1
    assert message in err
    assert out == ""


@pytest.mark.parametrize("kind", ["structure", "quality"])
def test_the_other_reports_still_refuse_a_term(world, kind):
    status, _, err = run_report(kind, "--org", "P.U1", "--from", "2020", "--to", "2025")
    assert status == 1 and "dùng --year Y" in err


def test_a_term_may_still_be_running(world):
    from django.utils import timezone

    this_year = timezone.localdate().year
    target(world, world.upper, 60, term=(this_year, this_year + 5))
    admit(world.branch, 3, datetime.date(this_year, 1, 1))
    found = report("--org", "P.U1", "--from", str(this_year), "--to", str(this_year + 5))
    assert (found["admitted"], found["target"], found["percent_of_target"]) == (3, 60, 5.0)


def _xlsx_world(world) -> None:
    target(world, world.upper, 240, year=2025)
    target(world, world.branch, 150, year=2025)
    admit(world.branch, 200, datetime.date(2025, 3, 2))
    admit(world.other_branch, 43, datetime.date(2025, 9, 2), gender=Gender.FEMALE)
    candidate(world.branch, Stage.SYMPATHISER, datetime.date(2025, 5, 1))


def test_xlsx_file_holds_the_numbers(world, tmp_path):
    _xlsx_world(world)
    output = tmp_path / "phat-trien.xlsx"
    status, out, err = run_report(
        "admissions", "--org", "P.U1.01", "--year", "2025", "--format", "xlsx", "--output", output
    )
    assert status == 0, err
    assert out == "" and f"Đã ghi báo cáo vào {output}." in err
    workbook = load_workbook(io.BytesIO(output.read_bytes()))
    assert workbook.sheetnames == ["Phát triển đảng viên", "Tổ chức trực thuộc"]
    sheet = rows(workbook, "Phát triển đảng viên")
    assert sheet[1][:2] == ("Tổ chức", "Đảng bộ Trường Tiểu học Hòa Bình")
    assert sheet[3][:2] == ("Kỳ báo cáo", "Năm 2025")
    assert sheet[6][:2] == ("Đã kết nạp", 243)
    assert sheet[7][:2] == ("Chỉ tiêu kết nạp", 150)  # the branch's: the base has none
    assert sheet[8][:2] == ("Tỷ lệ so với chỉ tiêu (%)", 162)
    assert section(sheet, "Từ nguồn đến đảng viên chính thức") == {
        "Quần chúng ưu tú trong nguồn": (1, None),
        "Đã học lớp nhận thức về Đảng": (1, None),
        "Đang hoàn thiện hồ sơ, chờ xét": (0, None),
        "Kết nạp trong kỳ": (243, None),
        "Trong đó đã chính thức": (0, 0),
    }
    assert section(sheet, "Giới tính") == {"Nam": (200, 82.3), "Nữ": (43, 17.7)}
    assert section(sheet, "Tuổi khi kết nạp")["31-40"] == (243, 100)
    assert rows(workbook, "Tổ chức trực thuộc")[1:] == [
        ("P.U1.01.01", "Chi bộ Tổ Toán", "Chi bộ trực thuộc", 200, 150, 133.33, None, None),
        ("P.U1.01.02", "Chi bộ Tổ Văn", "Chi bộ trực thuộc", 43, None, None, None, None),
    ]


def test_xlsx_cells_never_hold_formulas(world, tmp_path):
    branch = OrganizationFactory(
        code="=1+1", name='=HYPERLINK("x")', kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    admit(branch, 1, datetime.date(2025, 3, 2), ethnicity="@Kinh")
    output = tmp_path / "r.xlsx"
    status, _, err = run_report(
        "admissions", "--org", "P.U1.01", "--year", "2025", "--format", "xlsx", "--output", output
    )
    assert status == 0, err
    workbook = load_workbook(io.BytesIO(output.read_bytes()))
    children = rows(workbook, "Tổ chức trực thuộc")
    assert ("'=1+1", '\'=HYPERLINK("x")') in [row[:2] for row in children]
    assert "'@Kinh" in section(rows(workbook, "Phát triển đảng viên"), "Dân tộc")


def test_pdf_file_shows_the_report_and_the_pipeline_chart(world, tmp_path):
    _xlsx_world(world)
    output = tmp_path / "phat-trien.pdf"
    status, _, err = run_report(
        "admissions", "--org", "P.U1", "--year", "2025", "--format", "pdf", "--output", output
    )
    assert status == 0, err
    assert output.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [require_program("pdftotext"), "-layout", str(output), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "BÁO CÁO PHÁT TRIỂN ĐẢNG VIÊN" in text
    assert "Đảng bộ phường Hòa Bình" in text
    assert "Kỳ báo cáo: năm 2025 (từ 01/01/2025 đến 31/12/2025)" in text
    assert "Đã kết nạp 243 / chỉ tiêu 240 = 101,25%" in text
    assert "Từ nguồn quần chúng đến đảng viên chính thức" in text
    assert "Tuổi khi kết nạp" in text
    # the pipeline chart's bars, in the report red (the headings are a darker red)
    subprocess.run(
        [require_program("pdftoppm"), "-png", "-r", "50", str(output), str(tmp_path / "p")],
        check=True,
    )
    from PIL import Image

    colours = set()
    for page in sorted(tmp_path.glob("p*.png")):
        image = Image.open(page).convert("RGB")
        colours |= {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    assert any(abs(r - 185) + abs(g - 28) + abs(b - 28) < 12 for r, g, b in colours)


def test_age_at_admission_is_counted_to_the_day(world):
    """Whole years on the admission day: the day before the 31st birthday is still 30, the
    birthday itself 31; someone born on 29/02 turns 71 on 01/03 in a common year."""
    admitted_on = datetime.date(2023, 6, 15)
    births = {
        datetime.date(1992, 6, 16): "≤30",  # 30 until tomorrow
        datetime.date(1992, 6, 15): "31-40",  # 31 today
        datetime.date(1982, 6, 16): "31-40",  # 40
        datetime.date(1982, 6, 15): "41-50",  # 41
        datetime.date(1952, 6, 15): ">70",  # 71 today
        datetime.date(2005, 6, 15): "≤30",  # 18
    }
    for birth in births:
        admit(world.branch, 1, admitted_on, birth_date=birth)
    admit(world.branch, 1, datetime.date(2023, 2, 28), birth_date=datetime.date(1952, 2, 29))
    admit(world.branch, 1, datetime.date(2023, 3, 1), birth_date=datetime.date(1952, 2, 29))
    ages = report("--org", world.branch.code, "--year", "2023")["breakdown"]["do_tuoi"]
    # Born 29/02/1952: 70 on 28/02/2023 (61-70), 71 on 01/03/2023 (>70).
    assert ages == {**NO_AGE, "≤30": 2, "31-40": 2, "41-50": 1, "61-70": 1, ">70": 2}
