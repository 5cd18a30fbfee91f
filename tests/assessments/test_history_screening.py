"""Members graded "not completed" two years in a row: candidates for striking off."""

import pytest

from dangvien.assessments.history import not_completed_twice
from dangvien.core.roles import Role
from dangvien.core.scope import scope_of
from dangvien.members.models import Status
from tests.assessments.history_data import grade_member
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory

NOT_COMPLETED = "khong_hoan_thanh"


@pytest.fixture
def cases(world):
    grade_member(world.member, 2020, NOT_COMPLETED)
    grade_member(world.member, 2021, NOT_COMPLETED)
    grade_member(world.other_member, 2021, NOT_COMPLETED)  # only once
    grade_member(world.other_member, 2020, "hoan_thanh")
    gap = MemberFactory(full_name="Phạm Văn Cách", branch=world.other_branch)
    grade_member(gap, 2019, NOT_COMPLETED)  # 2019 and 2021: not in a row
    grade_member(gap, 2021, NOT_COMPLETED)
    moved_in = MemberFactory(full_name="Hoàng Thị Chuyển", branch=world.other_branch)
    grade_member(moved_in, 2020, NOT_COMPLETED, branch=world.outside_branch)
    grade_member(moved_in, 2021, NOT_COMPLETED)
    removed = MemberFactory(full_name="Đỗ Văn Xóa", branch=world.branch, status=Status.REMOVED)
    grade_member(removed, 2020, NOT_COMPLETED)
    grade_member(removed, 2021, NOT_COMPLETED)
    grade_member(world.outside_member, 2020, NOT_COMPLETED)
    grade_member(world.outside_member, 2021, NOT_COMPLETED)
    world.moved_in, world.removed = moved_in, removed
    return world


def _rows(page: str) -> list[str]:
    table = page[page.index('id="screening"') : page.index("</table>")]
    return [row.split("</tr>")[0] for row in table.split("<tr")[2:]]


def test_officer_sees_members_not_completed_in_both_years_with_links(cases):
    response = cases.client(Role.OFFICER).get("/assessments/screening/?year=2021")
    assert response.status_code == 200
    text = response.content.decode()
    rows = _rows(text)
    names = " ".join(rows)
    assert len(rows) == 3
    assert cases.member.full_name in names and "Hoàng Thị Chuyển" in names
    assert "Đỗ Văn Xóa" in names
    assert cases.other_member.full_name not in names and "Phạm Văn Cách" not in names
    assert f'href="/members/{cases.member.pk}/"' in text
    assert f'href="/members/{cases.moved_in.pk}/"' in text
    assert OUTSIDE_MARK not in text


def test_those_still_members_are_proposed_for_striking_off(cases):
    rows = _rows(
        cases.client(Role.OFFICER).get("/assessments/screening/?year=2021").content.decode()
    )
    removed = next(row for row in rows if "Đỗ Văn Xóa" in row)
    assert "Đã ra khỏi danh sách" in removed and "Xem xét xóa tên" not in removed
    own = next(row for row in rows if cases.member.full_name in row)
    assert "Xem xét xóa tên" in own


def test_the_year_before_is_a_different_list(cases):
    page = cases.client(Role.OFFICER).get("/assessments/screening/?year=2020").content.decode()
    assert "Không có đảng viên nào 2 năm liền (đến năm 2020) không hoàn thành nhiệm vụ." in page


def test_the_secretary_sees_their_branch_only(cases):
    rows = _rows(
        cases.client(Role.SECRETARY).get("/assessments/screening/?year=2021").content.decode()
    )
    names = " ".join(rows)
    assert len(rows) == 2 and "Hoàng Thị Chuyển" not in names


def test_a_member_who_moved_out_of_the_scope_is_listed_without_a_link(cases):
    moved_out = cases.other_member
    moved_out.branch, moved_out.branch_path = cases.outside_branch, cases.outside_branch.path
    moved_out.save()
    moved_out.assessments.filter(year=2020).update(grade=NOT_COMPLETED)
    text = cases.client(Role.OFFICER).get("/assessments/screening/?year=2021").content.decode()
    row = next(row for row in _rows(text) if moved_out.full_name in row)
    assert "href" not in row and OUTSIDE_MARK not in row


def test_an_organisation_outside_the_scope_is_not_found(cases):
    client = cases.client(Role.INSPECTOR)
    response = client.get(f"/assessments/screening/?org={cases.outside_base.code}&year=2021")
    assert response.status_code == 404


def test_a_member_account_is_refused(cases):
    assert cases.client(Role.MEMBER).get("/assessments/screening/").status_code == 403


def test_the_screening_list_is_one_query(cases, django_assert_num_queries):
    officer = cases.users[Role.OFFICER]
    scope_of(officer)  # the scope is read once per request
    # The list, and the rule set saying how many years in a row (issue 16).
    with django_assert_num_queries(2):
        found = not_completed_twice(officer, cases.upper, 2021)
    assert len(found) == 3
