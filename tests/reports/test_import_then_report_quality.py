"""Acceptance (issue 4): 7,251 members in 42 base organisations and their grades of last year
imported from xlsx files, then `dangvien report quality` prints exactly the figures of the file:
excellent 434, good 5,767, completed 1,037, not completed 13 (5.99 / 79.53 / 14.3 / 0.18 %)."""

import datetime
import json
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.assessments.commands import run_import
from tests.reports.commands import run_report
from tests.reports.test_import_then_report_structure import UPPER, org_rows
from tests.spreadsheets import (
    ASSESSMENT_HEADERS,
    MEMBER_HEADERS,
    ORG_ASSESSMENT_HEADERS,
    ORG_HEADERS,
    grade_rows,
    member_rows,
    write_xlsx,
)

pytestmark = pytest.mark.django_db
# The grades as an officer types them: long, short, lower-case and unaccented forms.
LABELS = {
    "Hoàn thành xuất sắc nhiệm vụ": "xuat_sac",
    "Tốt": "tot",
    "hoàn thành nhiệm vụ": "hoan_thanh",
    "KHONG HOAN THANH": "khong_hoan_thanh",
}
COUNTS = {"Hoàn thành xuất sắc nhiệm vụ": 434, "Tốt": 5767, "hoàn thành nhiệm vụ": 1037,
          "KHONG HOAN THANH": 13}  # fmt: skip


def test_import_7251_grades_then_the_quality_report_matches_the_file(tmp_path):
    year = timezone.localdate().year - 1
    orgs, branches = org_rows()
    members = member_rows(branches, 7251, datetime.date(year, 12, 31))
    assert run_import("orgs", write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADERS, orgs))[0] == 0
    status, out, _ = run_import(
        "members", write_xlsx(tmp_path / "members.xlsx", MEMBER_HEADERS, members)
    )
    assert "tạo mới 7251" in out, out
    grades = grade_rows([row[0] for row in members], year, COUNTS)
    status, out, err = run_import(
        "assessments", write_xlsx(tmp_path / "xep-loai.xlsx", ASSESSMENT_HEADERS, grades)
    )
    assert status == 0, out + err
    assert "tạo mới 7251, cập nhật 0, không thay đổi 0" in out
    bases = [row[0] for row in orgs if row[3] == UPPER]
    assert len(bases) == 42
    base_grades = [[code, year, ["Xuất sắc", "Tốt", "Tốt", "Hoàn thành"][n % 4]]
                   for n, code in enumerate(bases)]  # fmt: skip
    status, out, _ = run_import(
        "org-assessments",
        write_xlsx(tmp_path / "to-chuc.xlsx", ORG_ASSESSMENT_HEADERS, base_grades),
    )
    assert "tạo mới 42" in out

    with CaptureQueriesContext(connection) as queries:
        status, out, err = run_report("quality", "--org", UPPER, "--year", str(year))
    assert status == 0, err
    assert len(queries) <= 10  # aggregates in the database, not a query per member or branch
    report = json.loads(out)
    assert list(report) == [
        "org",
        "year",
        "members",
        "assessed",
        "grades",
        "percent",
        "organizations",
        "children",
    ]
    assert (report["org"], report["year"]) == (UPPER, year)
    assert (report["members"], report["assessed"]) == (7251, 7251)
    assert report["grades"] == {
        "xuat_sac": 434,
        "tot": 5767,
        "hoan_thanh": 1037,
        "khong_hoan_thanh": 13,
    }
    assert report["percent"] == {
        "xuat_sac": 5.99,
        "tot": 79.53,
        "hoan_thanh": 14.3,
        "khong_hoan_thanh": 0.18,
    }
    assert '"hoan_thanh": 14.3,' in out  # a number, as formats.md writes it
    assert report["organizations"] == {
        "assessed": 42,
        "grades": {"xuat_sac": 11, "tot": 21, "hoan_thanh": 10, "khong_hoan_thanh": 0},
        "percent": {"xuat_sac": 26.19, "tot": 50.0, "hoan_thanh": 23.81, "khong_hoan_thanh": 0.0},
    }

    # the children add up to the total, and each one to its own rows of the file
    children = report["children"]
    assert sorted(child["org"] for child in children) == sorted(bases)  # in name order
    assert sum(child["members"] for child in children) == 7251
    assert sum(child["assessed"] for child in children) == 7251
    for grade in report["grades"]:
        assert sum(child["grades"][grade] for child in children) == report["grades"][grade]
    branch_of = {row[0]: row[4] for row in members}
    for child in children:
        own = Counter(
            LABELS[label]
            for code, _, label in grades
            if branch_of[code] == child["org"] or branch_of[code].startswith(child["org"] + ".")
        )
        assert child["grades"] == {slug: own[slug] for slug in LABELS.values()}
        assert child["members"] == child["assessed"] == sum(own.values())
        assert child["percent"]["tot"] == round(100 * own["tot"] / sum(own.values()), 2)
        assert set(child) == {"org", "name", "members", "assessed", "grades", "percent"}

    # the province holds the same members; its empty sibling adds nobody
    status, out, _ = run_report("quality", "--org", "T", "--year", str(year))
    province = json.loads(out)
    assert (province["members"], province["assessed"]) == (7251, 7251)
    assert province["grades"] == report["grades"]
    by_code = {child["org"]: child for child in province["children"]}
    assert list(by_code) == ["T.02", UPPER]  # "Bên Cạnh" before "Hòa Bình"
    assert by_code[UPPER]["grades"] == report["grades"]
    assert by_code["T.02"]["assessed"] == 0
    assert by_code["T.02"]["percent"] == dict.fromkeys(LABELS.values())

    # importing the same grades again changes nothing
    status, out, _ = run_import("assessments", tmp_path / "xep-loai.xlsx")
    assert "tạo mới 0, cập nhật 0, không thay đổi 7251" in out
