"""Acceptance: import 7,251 members (xlsx) into 293 branches, then `dangvien report structure`
gives exactly the figures of the file."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.reports.commands import run_report
from tests.spreadsheets import MEMBER_HEADERS, ORG_HEADERS, member_rows, write_xlsx

pytestmark = pytest.mark.django_db
COLUMN = {header: index for index, header in enumerate(MEMBER_HEADERS)}
BASE_COMMITTEES, BASE_BRANCHES = 40, 2
UPPER = "T.01"


def org_rows() -> tuple[list[list], list[str]]:
    """A province T with the upper committee T.01: 40 base committees and 2 base branches,
    293 branches in all (two committees hold a partial committee), and an empty sibling T.02."""
    rows = [
        ["T", "Đảng bộ tỉnh Thử Nghiệm", "Đảng bộ tỉnh", ""],
        [UPPER, "Đảng bộ huyện Hòa Bình", "Đảng bộ cấp trên trực tiếp cơ sở", "T"],
        ["T.02", "Đảng bộ huyện Bên Cạnh", "Đảng bộ cấp trên trực tiếp cơ sở", "T"],
        ["T.02.01", "Chi bộ Trường Bên Cạnh", "Chi bộ cơ sở", "T.02"],
    ]
    branches = []
    for b in range(1, BASE_COMMITTEES + 1):
        base = f"{UPPER}.{b:02d}"
        rows.append([base, f"Đảng bộ Xã Số {b}", "Đảng bộ cơ sở", UPPER])
        parents = [base] * (8 if b <= 11 else 7)  # 11 × 8 + 29 × 7 = 291 sub-branches
        if b <= 2:
            partial = f"{base}.BP"
            rows.append([partial, f"Đảng bộ bộ phận Thôn {b}", "Đảng bộ bộ phận", base])
            parents[:3] = [partial] * 3
        for c, parent in enumerate(parents, start=1):
            code = f"{base}.{c:02d}"
            rows.append([code, f"Chi bộ Thôn {b}-{c}", "Chi bộ trực thuộc", parent])
            branches.append(code)
    for b in range(BASE_COMMITTEES + 1, BASE_COMMITTEES + BASE_BRANCHES + 1):
        code = f"{UPPER}.{b:02d}"
        rows.append([code, f"Chi bộ Trường Số {b}", "Chi bộ cơ sở", UPPER])
        branches.append(code)
    return rows, branches


def as_date(value) -> datetime.date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(value, "%d/%m/%Y").date()


def age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def band(years: int) -> str:
    if years <= 30:
        return "≤30"
    if years > 70:
        return ">70"
    low = (years - 1) // 10 * 10 + 1
    return f"{low}-{low + 9}"


def expected(rows: list[list], as_of: datetime.date) -> dict:
    """The figures of the file, counted in Python from the generated rows."""
    counted = [row for row in rows if as_date(row[COLUMN["Ngày vào Đảng"]]) <= as_of]

    def count(header: str) -> dict:
        return dict(Counter(row[COLUMN[header]] or "Chưa rõ" for row in counted))

    official = sum(
        1
        for row in counted
        if (day := as_date(row[COLUMN["Ngày chính thức"]])) is not None and day <= as_of
    )
    ages = Counter(band(age(as_date(row[COLUMN["Ngày sinh"]]), as_of)) for row in counted)
    genders = Counter(row[COLUMN["Giới tính"]] for row in counted)
    return {
        "members": len(counted),
        "official": official,
        "probationary": len(counted) - official,
        "breakdown": {
            "gioi_tinh": {"Nam": genders["Nam"], "Nữ": genders["Nữ"]},
            "chuyen_mon": count("Chuyên môn"),
            "ly_luan_chinh_tri": count("Lý luận chính trị"),
            "dan_toc": count("Dân tộc"),
            "ton_giao": count("Tôn giáo"),
            "do_tuoi": {
                label: ages[label] for label in ("≤30", "31-40", "41-50", "51-60", "61-70", ">70")
            },
        },
    }


def run_import(kind: str, path) -> str:
    out = io.StringIO()
    call_command("import", kind, str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_7251_members_then_the_report_matches_the_file(tmp_path):
    today = timezone.localdate()
    orgs, branches = org_rows()
    assert len(branches) == 293
    members = member_rows(branches, 7251, today)
    orgs_file = write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADERS, orgs)
    assert f"tạo mới {len(orgs)}," in run_import("orgs", orgs_file)
    members_file = write_xlsx(tmp_path / "members.xlsx", MEMBER_HEADERS, members)
    assert "tạo mới 7251" in run_import("members", members_file)

    with CaptureQueriesContext(connection) as queries:
        status, out, err = run_report("structure", "--org", UPPER)
    assert status == 0, err
    # aggregates in the database (two more for the year's transfers: whether the subtree was
    # reshaped since 01/01, and their counts), not a query per member or branch
    assert len(queries) <= 12
    report = json.loads(out)
    assert report["as_of"] == today.isoformat()
    assert report["members"] == 7251
    assert report["organizations"] == {
        "dang_bo_cap_tren_co_so": 0,
        "dang_bo_co_so": 40,
        "chi_bo_co_so": 2,
        "dang_bo_bo_phan": 2,
        "chi_bo_truc_thuoc": 291,
    }
    figures = expected(members, today)
    assert {key: report[key] for key in figures} == figures

    # the end of last year comes from the placements the import wrote
    last_year = today.year - 1
    status, out, err = run_report("structure", "--org", UPPER, "--year", str(last_year))
    assert status == 0, err
    report = json.loads(out)
    figures = expected(members, datetime.date(last_year, 12, 31))
    assert figures["members"] < 7251
    assert {key: report[key] for key in figures} == figures

    # one base committee alone: only its own rows
    base = f"{UPPER}.01"
    status, out, err = run_report("structure", "--org", base)
    assert status == 0, err
    own = [row for row in members if row[COLUMN["Mã chi bộ"]].startswith(base + ".")]
    figures = expected(own, today)
    report = json.loads(out)
    assert {key: report[key] for key in figures} == figures
    assert report["organizations"]["dang_bo_bo_phan"] == 1

    # the province counts the same members and the empty sibling's organisations
    status, out, err = run_report("structure", "--org", "T")
    assert json.loads(out)["members"] == 7251
    assert json.loads(out)["organizations"]["chi_bo_co_so"] == 3
