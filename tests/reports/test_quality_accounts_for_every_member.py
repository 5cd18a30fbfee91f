"""The quality report accounts for every member at the end of the year: graded, recorded as not
graded (with a reason), or without any result; each count shown has its list (issue 12: «chưa có
kết quả xếp loại: 85» beside a list of 73, 12 members nowhere, a branch saying 2 and listing 0)."""

import datetime

from django.urls import reverse

from dangvien.assessments.models import MemberAssessment
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.members.services import transfer_member
from dangvien.organizations.services import rename_organization
from dangvien.reports.quality import quality_report
from tests.factories import MemberFactory
from tests.reports.worlds import grade

YEAR = 2024


def page_of(world, org_code: str) -> str:
    response = world.client(Role.OFFICER).get(
        reverse("reports:quality"), {"org": org_code, "year": str(YEAR)}
    )
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, section_id: str) -> str:
    return page.split(f'id="{section_id}"')[1].split("</section>")[0]


def test_every_member_is_graded_not_graded_or_listed_without_a_result(world):
    proposed = MemberFactory(full_name="Lương Văn Đề Xuất", branch=world.branch)
    forgotten = MemberFactory(full_name="Hà Thị Chưa Có", branch=world.other_branch)
    newcomer = MemberFactory(full_name="Vi Văn Mới", branch=world.branch)
    grade(world.member, YEAR, "tot")
    grade(world.other_member, YEAR, "xuat_sac")
    grade(newcomer, YEAR, not_graded="new_member")
    MemberAssessment.unscoped.create(  # a branch's proposal only: not a result
        member=proposed,
        year=YEAR,
        branch=world.branch,
        branch_path=world.branch.path,
        proposed_grade="tot",
    )

    report = quality_report(world.upper, YEAR)
    assert report.members == report.assessed + report.not_graded_count + report.no_result_count
    assert (report.assessed, report.not_graded_count, report.no_result_count) == (2, 1, 2)
    listed_names = {m.full_name for m in report.without_result}
    assert listed_names == {proposed.full_name, forgotten.full_name}

    page = page_of(world, world.upper.code)
    summary = page.split('id="accounted"')[1].split("</p>")[0]
    assert f"Đảng viên đến 31/12/{YEAR}: {report.members};" in summary
    assert "được xếp loại: 2;" in summary and "không xếp loại (có lý do):" in summary
    assert '<a href="#without-result">2</a>' in summary
    listed = section(page, "without-result")
    assert proposed.full_name in listed and forgotten.full_name in listed
    assert "Đảng viên chưa có kết quả xếp loại (2)" in listed
    assert newcomer.full_name in section(page, "not-graded")


def test_each_child_row_leads_to_its_list(world):
    forgotten = MemberFactory(full_name="Hà Thị Chưa Có", branch=world.branch)
    grade(world.member, YEAR, "tot")
    page = page_of(world, world.upper.code)
    row = section(page, "children").split(world.base.name)[1].split("</tr>")[0]
    link = f'?org={world.base.code}&amp;year={YEAR}#without-result">'
    assert link in row
    child = next(c for c in quality_report(world.upper, YEAR).children if c.code == world.base.code)
    assert child.no_result == quality_report(world.base, YEAR).without_result_count

    base = page_of(world, world.base.code)
    listed = section(base, "without-result")
    assert f"Đảng viên chưa có kết quả xếp loại ({child.no_result})" in listed
    assert forgotten.full_name in listed


def test_the_list_of_a_past_year_shows_where_each_member_was_then(world):
    """Renamed and moved away since: the 2024 list shows the branch of 31/12/2024, by its name
    then (the list read today's branch and name before)."""
    forgotten = MemberFactory(full_name="Hà Thị Chưa Có", branch=world.other_branch)
    grade(world.member, YEAR, "tot")
    grade(world.other_member, YEAR, "tot")
    old_name = world.other_branch.name
    admin = world.users[Role.ADMIN]
    with unscoped():
        rename_organization(
            admin,
            world.other_branch,
            "Chi bộ Tổ Ngữ văn",
            Decision(datetime.date(YEAR + 1, 3, 1), "12-QĐ/ĐU"),
        )
        transfer_member(
            admin, forgotten, world.branch, Decision(datetime.date(YEAR + 1, 5, 1), "3-QĐ/ĐU")
        )

    listed = section(page_of(world, world.upper.code), "without-result")
    row = listed.split(forgotten.full_name)[1].split("</tr>")[0]
    assert old_name in row and world.branch.name not in row
    assert [m.branch_name for m in quality_report(world.upper, YEAR).without_result] == [old_name]
