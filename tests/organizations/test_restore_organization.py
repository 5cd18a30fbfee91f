"""An organisation dissolved by mistake is restored with a reason: active again, its roles in
force again, the history keeping both; refused, with the reason, when its parent is dissolved
or its place was taken by an organisation established in its stead."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.members.services import end_membership
from dangvien.organizations.models import (
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
    OrgState,
)
from dangvien.organizations.services import (
    create_organization,
    dissolve_organization,
    move_organization,
    restore_organization,
)
from tests.organizations.history_checks import assert_history_holds, states_of

ENDED = datetime.date(2025, 6, 30)


def restore_url(org) -> str:
    return f"/orgs/{org.code}/restore/"


def fresh(org) -> Organization:
    return Organization.unscoped.get(pk=org.pk)


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def dissolve(world, *orgs) -> None:
    officer = world.users[Role.OFFICER]
    for org in orgs:
        dissolve_organization(officer, fresh(org), Decision(ENDED, "41-QĐ", reason="Sáp nhập"))


@pytest.fixture
def dissolved_branch(world) -> Organization:
    """Chi bộ Tổ Toán, the secretary's branch, dissolved once its member left."""
    end_membership(
        world.users[Role.OFFICER],
        world.member,
        Status.RESIGNED,
        Decision(datetime.date(2025, 3, 1), reason="Đơn xin ra khỏi Đảng"),
    )
    dissolve(world, world.branch)
    return fresh(world.branch)


def test_the_page_says_what_comes_back_and_what_does_not(world, dissolved_branch):
    client = world.client(Role.OFFICER)
    org_page = client.get(f"/orgs/{dissolved_branch.code}/").content.decode()
    assert f'id="restore-link" href="{restore_url(dissolved_branch)}"' in org_page
    assert 'id="dissolve-link"' not in org_page

    response = client.get(restore_url(dissolved_branch))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chi bộ Tổ Toán hoạt động trở lại: ngày giải thể (30/06/2025) được xóa" in page
    assert "Báo cáo của các ngày từ 30/06/2025 tính lại tổ chức này" in page
    assert "Vai trò của các tài khoản được phân quyền ở Chi bộ Tổ Toán có hiệu lực trở lại" in page
    assert "đã chuyển đi trước khi giải thể không tự trở về" in page
    assert "Không khôi phục được" not in page
    assert "Xác nhận khôi phục" in page and 'name="reason"' in page


def test_without_a_reason_nothing_changes(world, dissolved_branch):
    client = world.client(Role.OFFICER)
    data = open_form(client, restore_url(dissolved_branch))
    response = client.post(restore_url(dissolved_branch), {**data, "reason": "  "})
    assert response.status_code == 400
    assert "Chưa khôi phục:" in response.content.decode()
    assert fresh(dissolved_branch).ended_on == ENDED
    assert not AuditEntry.unscoped.filter(action="org.restore").exists()


def test_with_a_reason_the_branch_and_its_secretary_are_back(world, dissolved_branch):
    secretary = world.client(Role.SECRETARY)
    assert secretary.get(f"/orgs/{dissolved_branch.code}/").status_code == 404  # role ended
    client = world.client(Role.OFFICER)
    data = open_form(client, restore_url(dissolved_branch))
    reason = "Giải thể nhầm: Quyết định 41-QĐ là của Chi bộ Tổ Văn."
    response = client.post(restore_url(dissolved_branch), {**data, "reason": reason}, follow=True)
    page = response.content.decode()
    assert "Đã khôi phục Chi bộ Tổ Toán." in page
    assert "Đã giải thể" not in page and 'id="dissolve-link"' in page
    assert "Giải thể tổ chức" in page and "Khôi phục tổ chức đã giải thể" in page  # history
    assert reason in page
    assert fresh(dissolved_branch).ended_on is None
    entry = AuditEntry.unscoped.get(action="org.restore")
    assert entry.reason == reason and entry.changes == {"ended_on": ["30/06/2025", None]}
    assert secretary.get(f"/orgs/{dissolved_branch.code}/").status_code == 200


def test_a_branch_under_a_dissolved_committee_waits_for_it(world, dissolved_branch):
    end_membership(
        world.users[Role.OFFICER],
        world.other_member,
        Status.DECEASED,
        Decision(datetime.date(2025, 3, 1), reason="Mất"),
    )
    dissolve(world, world.other_branch, world.base)
    client = world.client(Role.OFFICER)
    refusal = (
        "Tổ chức cấp trên Đảng bộ Trường Tiểu học Hòa Bình đã giải thể từ 30/06/2025: hãy khôi "
        "phục tổ chức cấp trên trước."
    )
    assert refusal in client.get(restore_url(dissolved_branch)).content.decode()
    data = open_form(client, restore_url(dissolved_branch))
    response = client.post(restore_url(dissolved_branch), {**data, "reason": "Nhầm"})
    assert response.status_code == 400 and refusal in response.content.decode()
    assert fresh(dissolved_branch).ended_on == ENDED
    # the committee first, then the branch
    restore_organization(world.users[Role.OFFICER], fresh(world.base), reason="Nhầm")
    data = open_form(client, restore_url(dissolved_branch))
    assert client.post(restore_url(dissolved_branch), {**data, "reason": "Nhầm"}).status_code == 302
    assert fresh(dissolved_branch).ended_on is None


def test_a_place_taken_by_a_branch_established_instead_is_refused(world, dissolved_branch):
    successor = create_organization(
        world.users[Role.OFFICER],
        code="P.U1.01.03",
        name="Chi bộ tổ toán",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
    )
    client = world.client(Role.OFFICER)
    data = open_form(client, restore_url(dissolved_branch))
    response = client.post(restore_url(dissolved_branch), {**data, "reason": "Nhầm"})
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f"Chưa khôi phục: {successor.name} (mã P.U1.01.03) đang hoạt động ở cùng cấp trên" in page
    )
    assert fresh(dissolved_branch).ended_on == ENDED
    with pytest.raises(DomainError, match="thành lập thay cho tổ chức này"):
        restore_organization(world.users[Role.OFFICER], dissolved_branch, reason="Nhầm")


def test_an_active_organisation_has_nothing_to_restore(world):
    response = world.client(Role.OFFICER).get(restore_url(world.branch), follow=True)
    assert "Chi bộ Tổ Toán đang hoạt động." in response.content.decode()
    with pytest.raises(DomainError, match="đang hoạt động"):
        restore_organization(world.users[Role.OFFICER], world.branch, reason="Thử")


def test_only_who_manages_the_organisation_may_restore_it(world, dissolved_branch):
    data = {"reason": "Thử"}
    inspector = world.client(Role.INSPECTOR)
    assert inspector.get(restore_url(dissolved_branch)).status_code == 403
    assert inspector.post(restore_url(dissolved_branch), data).status_code == 403
    assert world.client(Role.SECRETARY).post(restore_url(dissolved_branch), data).status_code == 404
    outside = world.client("outside_officer")
    assert outside.post(restore_url(dissolved_branch), data).status_code == 404
    assert fresh(dissolved_branch).ended_on == ENDED


def test_restoring_annuls_the_end_and_opens_the_state_again(world, dissolved_branch):
    assert states_of(dissolved_branch) == [(None, ENDED, "Chi bộ Tổ Toán", world.base.code)]
    officer = world.users[Role.OFFICER]
    restore_organization(officer, dissolved_branch, reason="Nhầm quyết định")
    event = OrgEvent.unscoped.get(org=dissolved_branch)
    assert event.kind == OrgEventKind.END and event.is_annulled
    assert (event.annulled_by, event.annul_reason) == (officer, "Nhầm quyết định")
    assert states_of(dissolved_branch) == [(None, None, "Chi bộ Tổ Toán", world.base.code)]
    assert_history_holds()
    page = world.client(Role.OFFICER).get(f"/orgs/{dissolved_branch.code}/").content.decode()
    timeline = page.split('id="org-timeline"')[1].split("</table>")[0]
    assert '<tr class="ended annulled">' in timeline
    assert "<del>30/06/2025</del>" in timeline and "<del>Giải thể</del>" in timeline
    assert "<strong>Đã hủy</strong>" in timeline and "Nhầm quyết định" in timeline
    assert 'id="org-ending"' not in page


def test_restored_under_a_parent_moved_since_it_takes_the_new_path_from_the_move(
    world, dissolved_branch
):
    """Chi bộ Tổ Toán ended, then its committee moved to another upper committee: restored, the
    branch held its old path until the move and the committee's new one after it."""
    admin = world.users[Role.ADMIN]
    moved_on = timezone.localdate() - datetime.timedelta(days=30)
    move_organization(admin, fresh(world.base), world.outside_upper, Decision(moved_on))
    restore_organization(admin, fresh(dissolved_branch), reason="Nhầm quyết định")
    branch = fresh(dissolved_branch)
    assert branch.path == f"{fresh(world.base).path}{branch.pk}/"
    states = OrgState.unscoped.filter(org=branch).order_by(F("valid_from").asc(nulls_first=True))
    assert [(s.valid_from, s.valid_until, s.path, s.depth) for s in states] == [
        (None, moved_on, dissolved_branch.path, 3),
        (moved_on, None, branch.path, 3),
    ]
    assert_history_holds()


def test_restored_after_two_moves_above_it_follows_each(world, dissolved_branch):
    admin = world.users[Role.ADMIN]
    first, second = (timezone.localdate() - datetime.timedelta(days=d) for d in (60, 30))
    move_organization(admin, fresh(world.base), world.outside_upper, Decision(first))
    move_organization(admin, fresh(world.base), world.upper, Decision(second))
    restore_organization(admin, fresh(dissolved_branch), reason="Nhầm quyết định")
    outside_path = f"{world.outside_upper.path}{world.base.pk}/{dissolved_branch.pk}/"
    states = OrgState.unscoped.filter(org=dissolved_branch).order_by(
        F("valid_from").asc(nulls_first=True)
    )
    assert [(s.valid_from, s.valid_until, s.path) for s in states] == [
        (None, first, dissolved_branch.path),
        (first, second, outside_path),
        (second, None, dissolved_branch.path),
    ]
    assert_history_holds()
