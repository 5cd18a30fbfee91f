"""The organisation page's history («Lịch sử tổ chức»): every event with its date, decision and
deciding body and what it changed, organisations linked where the reader may open them; an
ended organisation says when it ended and what it became."""

import datetime

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.members.services import end_membership
from dangvien.organizations.models import OrgEvent, OrgEventKind
from dangvien.organizations.services import (
    dissolve_organization,
    move_organization,
    rename_organization,
)
from tests.conftest import OUTSIDE_MARK
from tests.organizations.history_checks import assert_history_holds, fresh

ENDED = datetime.date(2025, 6, 30)


def timeline_of(client, org) -> str:
    page = client.get(f"/orgs/{org.code}/").content.decode()
    return " ".join(page.split('id="org-timeline"')[1].split("</table>")[0].split())


def test_events_are_listed_oldest_first_with_their_decisions(world):
    officer = world.users[Role.OFFICER]
    rename_organization(
        officer, world.branch, "Chi bộ Toán", Decision(datetime.date(2024, 1, 5), "1-QĐ")
    )
    rename_organization(
        officer,
        fresh(world.branch),
        "Chi bộ Toán – Tin",
        Decision(datetime.date(2025, 2, 1), "2-QĐ", "Đảng ủy nhà trường"),
    )
    timeline = timeline_of(world.client(Role.OFFICER), world.branch)
    first, second = timeline.index("05/01/2024"), timeline.index("01/02/2025")
    assert first < second
    assert "Số 2-QĐ, Đảng ủy nhà trường" in timeline
    assert "Chi bộ Toán → Chi bộ Toán – Tin" in timeline


def test_a_deciding_body_the_reader_cannot_open_is_named_without_a_link(world):
    rename_organization(
        world.users[Role.OFFICER],
        world.branch,
        "Chi bộ Toán",
        Decision(datetime.date(2024, 1, 5), "1-QĐ", world.base.code),
    )
    officer = timeline_of(world.client(Role.OFFICER), world.branch)
    assert f'<a href="/orgs/{world.base.code}/">{world.base.name}</a>' in officer
    secretary = timeline_of(world.client(Role.SECRETARY), world.branch)
    assert f"Số 1-QĐ, {world.base.name}" in secretary
    assert f'href="/orgs/{world.base.code}/"' not in secretary


def test_a_branch_moved_in_keeps_its_past_parent_named_without_a_link(world):
    move_organization(
        world.users[Role.ADMIN],
        world.outside_branch,
        world.base,
        Decision(datetime.date(2025, 7, 1), "5-QĐ/TU"),
    )
    timeline = timeline_of(world.client(Role.OFFICER), world.outside_branch)
    assert f"Tổ chức cấp trên:</span> {world.outside_base.name} → " in timeline
    assert f'<a href="/orgs/{world.base.code}/">{world.base.name}</a>' in timeline
    assert f'href="/orgs/{world.outside_base.code}/"' not in timeline
    assert OUTSIDE_MARK not in timeline.replace(world.outside_base.name, "").replace(
        world.outside_branch.name, ""
    )
    assert_history_holds()


def test_an_absorbed_organisation_links_to_its_successor(world):
    """Absorption itself comes with the reorganisation screen; its event already shows."""
    officer = world.users[Role.OFFICER]
    left = Decision(datetime.date(2025, 3, 1), reason="Đơn xin ra khỏi Đảng")
    end_membership(officer, world.other_member, Status.RESIGNED, left)
    dissolve_organization(officer, world.other_branch, Decision(ENDED, reason="Sáp nhập"))
    OrgEvent.unscoped.filter(org=world.other_branch).update(
        kind=OrgEventKind.ABSORB, receiving=world.branch, decision_number="41-QĐ/ĐU"
    )
    client = world.client(Role.OFFICER)
    page = client.get(f"/orgs/{world.other_branch.code}/").content.decode()
    ending = " ".join(page.split('id="org-ending"')[1].split("</p>")[0].split())
    assert "thôi hoạt động từ ngày 30/06/2025 (sáp nhập, quyết định số 41-QĐ/ĐU)" in ending
    assert f'Đã sáp nhập vào <a href="/orgs/{world.branch.code}/">{world.branch.name}</a>' in ending
    receiving = timeline_of(client, world.branch)
    assert "Sáp nhập" in receiving
    assert (
        f'Tiếp nhận:</span> <a href="/orgs/{world.other_branch.code}/">'
        f"{world.other_branch.name}</a>"
    ) in receiving


def test_an_organisation_without_events_says_so(world):
    page = world.client(Role.OFFICER).get(f"/orgs/{world.branch.code}/").content.decode()
    assert "Lịch sử tổ chức" in page and "Chưa ghi sự kiện nào" in page


def test_outside_the_scope_the_page_and_its_history_are_not_found(world):
    response = world.client("outside_officer").get(f"/orgs/{world.branch.code}/")
    assert response.status_code == 404


def test_an_amalgamated_organisation_names_what_it_formed(world):
    officer = world.users[Role.OFFICER]
    left = Decision(datetime.date(2025, 3, 1), reason="Đơn xin ra khỏi Đảng")
    end_membership(officer, world.other_member, Status.RESIGNED, left)
    dissolve_organization(officer, world.other_branch, Decision(ENDED, reason="Hợp nhất"))
    OrgEvent.unscoped.filter(org=world.other_branch).update(
        kind=OrgEventKind.AMALGAMATE, receiving=world.branch
    )
    page = world.client(Role.OFFICER).get(f"/orgs/{world.other_branch.code}/").content.decode()
    ending = " ".join(page.split('id="org-ending"')[1].split("</p>")[0].split())
    assert f'Đã hợp nhất thành <a href="/orgs/{world.branch.code}/">' in ending
    assert "Đã hợp nhất 30/06/2025" in page and "Đã giải thể" not in page
