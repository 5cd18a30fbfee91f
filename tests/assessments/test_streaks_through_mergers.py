"""Excellent five years running through restructuring (domain-briefs §10: streaks follow the
successor links): the streak page, the award candidates and `dangvien report awards` list the
same organisations, each merger recorded through the services officers use.

- «Chi bộ Hợp Nhất», formed on 01/01/2024 by amalgamating two branches excellent 2021–2023;
- «Chi bộ Tiếp Nhận», graded from 2024, which absorbed a branch excellent 2021–2023 in 2024;
- «Chi bộ Tự Có», which absorbed an excellent branch in 2023 but was itself graded good in
  2021: its own grade decides, it is not listed.
"""

import datetime
import json

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services import absorb_organization, amalgamate_organizations
from tests.assessments.history_data import grade_org
from tests.factories import OrganizationFactory
from tests.reports.commands import run_report

pytestmark = pytest.mark.django_db
YEAR = 2025


def _branch(world, code, name, **dates):
    return OrganizationFactory(
        code=code, name=name, kind=OrgKind.SUB_BRANCH, parent=world.base, **dates
    )


@pytest.fixture
def merged(world):
    admin = world.users[Role.ADMIN]
    first = _branch(world, "P.U1.01.81", "Chi bộ Cũ Một")
    second = _branch(world, "P.U1.01.82", "Chi bộ Cũ Hai")
    amalgamated_on = datetime.date(2024, 1, 1)
    new = _branch(world, "P.U1.01.83", "Chi bộ Hợp Nhất", founded_on=amalgamated_on)
    for old in (first, second):
        grade_org(old, range(2021, 2024))
    amalgamate_organizations(
        admin, [first, second], new, Decision(amalgamated_on, "11-QĐ", reason="Sắp xếp")
    )
    grade_org(new, [2024, 2025])

    receiving = _branch(world, "P.U1.01.84", "Chi bộ Tiếp Nhận")
    absorbed = _branch(world, "P.U1.01.85", "Chi bộ Được Sáp Nhập")
    grade_org(absorbed, range(2021, 2024))
    absorb_organization(
        admin, absorbed, receiving, Decision(datetime.date(2024, 3, 1), "12-QĐ", reason="Sắp xếp")
    )
    grade_org(receiving, [2024, 2025])

    own = _branch(world, "P.U1.01.86", "Chi bộ Tự Có")
    grade_org(own, [2021], "tot")
    grade_org(own, range(2022, 2026))
    gone = _branch(world, "P.U1.01.87", "Chi bộ Đã Vào Tự Có")
    grade_org(gone, range(2019, 2023))
    absorb_organization(
        admin, gone, own, Decision(datetime.date(2023, 1, 1), "13-QĐ", reason="Sắp xếp")
    )
    return world


LISTED = ["P.U1.01.83", "P.U1.01.84"]


def test_the_report_command_follows_amalgamation_and_absorption(merged):
    status, out, err = run_report("awards", "--org", merged.base.code, "--year", str(YEAR))
    assert (status, err) == (0, "")
    listed = [row["org"] for row in json.loads(out)["to_chuc_xuat_sac_5_nam"]]
    assert listed == LISTED


def test_the_candidates_page_lists_the_same_organisations(merged):
    page = _candidates(merged)
    found = [
        code
        for code in ("P.U1.01.83", "P.U1.01.84", "P.U1.01.86")
        if f'id="candidate-o{_pk(code)}"' in page
    ]
    assert found == LISTED
    assert "tính cả các năm của tổ chức hợp nhất, sáp nhập vào: Chi bộ Cũ Hai, Chi bộ Cũ Một" in (
        page
    )
    assert "sáp nhập vào: Chi bộ Được Sáp Nhập" in page


def test_the_streak_page_lists_the_same_organisations_with_their_whole_run(merged):
    page = (
        merged.client(Role.OFFICER)
        .get("/assessments/streaks/", {"org": merged.base.code, "until": YEAR})
        .content.decode()
    )
    assert "xuất sắc 5 năm liền đến năm 2025" in page  # the rule set's length by default
    table = page[page.index('id="streaks"') : page.index("</table>")]
    assert "Chi bộ Tự Có" not in table
    rows = [row.split("</tr>")[0] for row in table.split("<tr")[2:]]
    assert len(rows) == 2
    assert all("2021–2025" in row and "5 năm" in row for row in rows)
    assert "Chi bộ Hợp Nhất" in rows[0] and "Chi bộ Tiếp Nhận" in rows[1]


def test_the_rule_set_sets_the_length_for_every_reader(merged):
    """With «4 năm liền» in force at the end of 2025, the branch whose own grades run
    2022–2025 joins the report and the candidates, and the streak page's default says 4."""
    from dangvien.core.models import RuleSet
    from dangvien.core.rules import family_of

    RuleSet.objects.create(
        name="Hướng dẫn thử nghiệm",
        family=family_of("award_streak_years"),
        effective_from=datetime.date(2025, 12, 1),
        values={"award_streak_years": 4},
    )
    status, out, _err = run_report("awards", "--org", merged.base.code, "--year", str(YEAR))
    assert status == 0
    assert [row["org"] for row in json.loads(out)["to_chuc_xuat_sac_5_nam"]] == [
        *LISTED,
        "P.U1.01.86",
    ]
    page = (
        merged.client(Role.OFFICER)
        .get("/assessments/streaks/", {"org": merged.base.code, "until": YEAR})
        .content.decode()
    )
    assert "xuất sắc 4 năm liền đến năm 2025" in page and "Chi bộ Tự Có" in page
    candidates = _candidates(merged)
    assert f'id="candidate-o{_pk("P.U1.01.86")}"' in candidates
    assert "Hoàn thành xuất sắc nhiệm vụ 4 năm liền (2022–2025)" in candidates


def _candidates(world) -> str:
    response = world.client(Role.OFFICER).get(
        f"/awards/org/{world.base.code}/candidates/", {"year": YEAR, "basis": "xuat_sac_nhieu_nam"}
    )
    return response.content.decode()


def _pk(code: str) -> int:
    from dangvien.organizations.models import Organization

    return Organization.unscoped.get(code=code).pk
