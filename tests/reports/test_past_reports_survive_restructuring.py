"""A report of a past year gives the same figures, names included, after the tree changes
(issue 13; formats.md, "Report JSON": every report reads the tree as it stood on its date):
the upper committee's base organisation moves to another unit, the upper committee is renamed
and then ended, and its 2024 reports and those of its province are what they were. A report on
the ended committee for today exits with status 1 and says when it ended."""

import json

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.services import (
    dissolve_organization,
    move_organization,
    rename_organization,
)
from tests.organizations.history_checks import assert_history_holds, fresh
from tests.reports.commands import run_report
from tests.reports.worlds import add_grades

pytestmark = pytest.mark.django_db


def reports_of(code: str) -> dict:
    """Every past report of `code` the command line gives, as parsed JSON."""
    found = {}
    for args in (
        ("structure", "--year", "2024"),
        ("structure", "--year", "2023"),
        ("quality", "--year", "2024"),
        ("quality", "--year", "2023"),
    ):
        status, out, err = run_report(*args, "--org", code)
        assert status == 0, (args, err)
        found[args] = json.loads(out)
    return found


def test_past_reports_are_the_same_after_a_move_a_rename_and_an_end(world):
    add_grades(world)
    admin = world.users[Role.ADMIN]
    before = {code: reports_of(code) for code in ("P", "P.U1", "P.U1.01", "*")}
    today_of = lambda code: json.loads(run_report("structure", "--org", code)[1])  # noqa: E731
    base_today, outside_today = today_of(world.base.code), today_of(world.outside_upper.code)
    assert before["P.U1"][("quality", "--year", "2024")]["assessed"] > 0
    assert before["P"][("quality", "--year", "2024")]["children"][-1]["name"] == (
        "Đảng bộ phường Hòa Bình"
    )

    today = timezone.localdate()
    move_organization(admin, world.base, world.outside_upper, Decision(today, "5-QĐ/TU"))
    rename_organization(admin, fresh(world.upper), "Đảng bộ phường Hòa Bình Mới", Decision(today))
    dissolve_organization(
        admin, fresh(world.upper), Decision(today, "7-QĐ/TU", reason="Sắp xếp tổ chức bộ máy")
    )
    assert_history_holds()

    after = {code: reports_of(code) for code in ("P", "P.U1", "P.U1.01", "*")}
    assert after == before

    status, _out, err = run_report("structure", "--org", "P.U1")
    assert status == 1
    assert f"đã kết thúc hoạt động từ ngày {today:%d/%m/%Y}" in err
    # Today the base organisation's members count in the unit it moved to.
    assert base_today["members"] > 0
    moved = today_of(world.outside_upper.code)
    assert moved["members"] == outside_today["members"] + base_today["members"]


def test_the_report_pages_of_an_ended_committee(world):
    """Its past years open as they were, under the name it had; today says when it ended."""
    add_grades(world)
    admin = world.users[Role.ADMIN]
    today = timezone.localdate()
    move_organization(admin, world.base, world.outside_upper, Decision(today, "5-QĐ/TU"))
    rename_organization(admin, fresh(world.upper), "Đảng bộ phường Hòa Bình Mới", Decision(today))
    dissolve_organization(
        admin, fresh(world.upper), Decision(today, "7-QĐ/TU", reason="Sắp xếp tổ chức bộ máy")
    )
    client = world.client(Role.ADMIN)  # the officer's scope was the ended committee
    page = client.get("/reports/quality/", {"org": "P.U1", "year": "2024"})
    assert page.status_code == 200
    assert "Đảng bộ phường Hòa Bình" in page.content.decode()
    assert "Hòa Bình Mới" not in page.content.decode()
    page = client.get("/reports/structure/", {"org": "P.U1"})
    assert page.status_code == 400
    assert f"đã kết thúc hoạt động từ ngày {today:%d/%m/%Y}" in page.content.decode()
