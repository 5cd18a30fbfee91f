"""A report for a past year counts members where their placements put them on 31/12 of that
year; today's report reads the current branch; both ways agree on today's figures."""

import json

import pytest
from django.utils import timezone

from dangvien.core.scope import unscoped
from dangvien.organizations.models import Organization
from dangvien.reports.structure import structure_report
from tests.reports.commands import run_report
from tests.reports.worlds import END_2024, add_history


def members(*args: str) -> int:
    status, out, err = run_report("structure", *args)
    assert status == 0, err
    return json.loads(out)["members"]


def test_a_transferred_member_counts_where_they_were_at_the_end_of_the_year(world):
    add_history(world)
    # moved_out was in P.U1.01.01 until 31/01/2025, moved_in in the outside branch
    # (P.U1.01.01 then: member, young, seventy, died_2025, moved_out)
    assert members("--org", world.branch.code, "--year", "2024") == 5
    assert members("--org", world.outside_branch.code, "--year", "2024") == 2
    assert members("--org", world.other_branch.code, "--year", "2024") == 2
    # today: moved_out is outside, moved_in in P.U1.01.02, died_2025 is gone
    assert members("--org", world.branch.code) == 4  # member, young, seventy, admitted_2025
    assert members("--org", world.outside_branch.code) == 2
    assert members("--org", world.other_branch.code) == 3


def test_a_member_who_left_counts_until_the_day_before_leaving(world):
    add_history(world)
    # resigned_2024 left on 31/12/2024: counted at the end of 2023, not of 2024
    assert members("--org", world.other_branch.code, "--year", "2023") == 3
    assert members("--org", world.other_branch.code, "--year", "2024") == 2
    # died_2025 (01/03/2025) counts at the end of 2024 but not of 2025
    assert members("--org", world.branch.code, "--year", "2025") == 4


def test_the_children_add_up_to_the_total(world):
    add_history(world)
    with unscoped():
        upper = Organization.objects.get(code="P.U1")
        report = structure_report(upper, END_2024)
    assert [child.code for child in report.children] == ["P.U1.01"]
    assert report.children[0].members == report.members == 7
    assert report.children[0].official == report.official


@pytest.mark.parametrize("code", ["P", "P.U1", "P.U1.01", "P.U1.01.01", "P.U1.01.02"])
def test_placements_and_current_branches_agree_today(world, code):
    add_history(world)
    today = timezone.localdate()
    with unscoped():
        org = Organization.objects.get(code=code)
        from_placements = structure_report(org, today, from_placements=True)
        from_branches = structure_report(org, today, from_placements=False)
    assert from_placements == from_branches
    assert from_placements.members > 0
