"""Imported grades are read under the assessment rules of their year (issue 16): the labels used
before 2018 map to the four grades of the quality report; from 2025 (QĐ 366-QĐ/TW Điều 11) a
member's score must allow the grade."""

import json

import pytest

from dangvien.assessments.models import MemberAssessment, OrgAssessment
from tests.assessments.commands import run_import
from tests.factories import MemberFactory
from tests.reports.commands import run_report
from tests.spreadsheets import ASSESSMENT_HEADERS, ORG_ASSESSMENT_HEADERS, write_csv

pytestmark = pytest.mark.django_db
SCORED = [*ASSESSMENT_HEADERS, "Điểm"]


def test_2016_grades_in_the_labels_before_2018_give_the_four_grades(world, tmp_path):
    members = [
        world.member,
        world.other_member,
        *MemberFactory.create_batch(3, branch=world.branch),
    ]
    labels = [
        "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ",
        "đủ tư cách hoàn thành tốt nhiệm vụ",
        "Đủ tư cách, hoàn thành nhiệm vụ nhưng còn hạn chế",
        "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ",
        "vi phạm tư cách không hoàn thành nhiệm vụ",  # as seed 001 published them
    ]
    rows = [[m.code, 2016, label] for m, label in zip(members, labels, strict=True)]
    status, out, err = run_import(
        "assessments", write_csv(tmp_path / "a.csv", ASSESSMENT_HEADERS, rows)
    )
    assert (status, err) == (0, ""), out + err
    org_rows = [
        [world.branch.code, 2016, "Trong sạch, vững mạnh"],
        [world.other_branch.code, 2016, "Yếu kém"],
    ]
    path = write_csv(tmp_path / "o.csv", ORG_ASSESSMENT_HEADERS, org_rows)
    assert run_import("org-assessments", path)[0] == 0
    assert dict(OrgAssessment.unscoped.values_list("organization__code", "grade")) == {
        world.branch.code: "xuat_sac",
        world.other_branch.code: "khong_hoan_thanh",
    }
    status, out, _ = run_report(
        "quality", "--org", world.base.code, "--year", "2016", "--format", "json"
    )
    assert status == 0, out
    report = json.loads(out)
    assert report["grades"] == {"xuat_sac": 1, "tot": 1, "hoan_thanh": 1, "khong_hoan_thanh": 2}


def test_the_labels_before_2018_are_refused_for_a_later_year(world, tmp_path):
    rows = [[world.member.code, 2019, "Đủ tư cách, hoàn thành tốt nhiệm vụ"]]
    status, out, err = run_import(
        "assessments", write_csv(tmp_path / "a.csv", ASSESSMENT_HEADERS, rows)
    )
    assert status != 0
    expected = 'dòng 2, cột "Xếp loại": “Đủ tư cách, hoàn thành tốt nhiệm vụ” là cách xếp loại'
    assert f"{expected} trước năm 2018" in out + err
    assert not MemberAssessment.unscoped.exists()


def test_a_2025_grade_its_score_does_not_allow_is_an_error_naming_the_row(world, tmp_path):
    third = MemberFactory(branch=world.branch)
    rows = [
        [world.member.code, 2025, "Hoàn thành xuất sắc nhiệm vụ", 92],
        [world.other_member.code, 2025, "Hoàn thành tốt nhiệm vụ", 65],
        [third.code, 2025, "Hoàn thành nhiệm vụ", 49],
    ]
    status, out, err = run_import("assessments", write_csv(tmp_path / "a.csv", SCORED, rows))
    assert status != 0
    text = out + err
    assert 'dòng 3, cột "Điểm": 65 điểm: chỉ được xếp loại từ «Hoàn thành» trở xuống' in text
    assert 'dòng 4, cột "Điểm": 49 điểm: chỉ được xếp loại từ «Không hoàn thành»' in text
    assert "dòng 2" not in text
    assert not MemberAssessment.unscoped.exists()  # all or nothing


def test_consistent_2025_scores_import_and_are_kept(world, tmp_path):
    rows = [
        [world.member.code, 2025, "Hoàn thành tốt nhiệm vụ", 95],  # lower than allowed: fine
        [world.other_member.code, 2025, "Hoàn thành nhiệm vụ", "50"],
    ]
    status, out, err = run_import("assessments", write_csv(tmp_path / "a.csv", SCORED, rows))
    assert (status, err) == (0, ""), out + err
    assert dict(MemberAssessment.unscoped.values_list("member__code", "score")) == {
        world.member.code: 95,
        world.other_member.code: 50,
    }


def test_a_score_before_qd_366_or_out_of_range_is_refused(world, tmp_path):
    rows = [
        [world.member.code, 2024, "Hoàn thành tốt nhiệm vụ", 80],
        [world.other_member.code, 2025, "Hoàn thành nhiệm vụ", 101],
    ]
    status, out, err = run_import("assessments", write_csv(tmp_path / "a.csv", SCORED, rows))
    assert status != 0
    assert 'dòng 2, cột "Điểm": Năm 2024 chưa chấm điểm theo thang 100' in out + err
    assert 'dòng 3, cột "Điểm": “101” không phải điểm hợp lệ' in out + err
