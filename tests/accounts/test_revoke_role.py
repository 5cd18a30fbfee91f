"""Revoking a role: a confirmation page says what the user loses and what they keep, a reason is
required and kept in the history; a role revoked by mistake is restored the same way («Cấp lại»,
with a reason). A role outside the officer's subtree cannot be revoked, nor an administrator's
own administration."""

import datetime

from dangvien.accounts.models import RoleBinding
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization

REASON = "Hết nhiệm vụ kiểm tra tại đảng bộ phường"


def test_the_confirmation_says_what_the_user_loses(world):
    inspector = world.users[Role.INSPECTOR]
    binding = RoleBinding.objects.get(user=inspector)
    officer = world.client(Role.OFFICER)

    page = officer.get(f"/users/{inspector.pk}/").content.decode()
    assert f'href="/users/roles/{binding.pk}/revoke/"' in page  # a link, not a one-click form
    assert f'action="/users/roles/{binding.pk}/revoke/"' not in page

    response = officer.get(f"/users/roles/{binding.pk}/revoke/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thu hồi vai trò Kiểm tra (chỉ xem)" in page
    assert (
        f"{inspector.display_name} (kiemtra) không còn vai trò «Kiểm tra (chỉ xem) — "
        f"{world.upper.name}»: mất quyền xem trong {world.upper.name} và mọi tổ chức trực "
        "thuộc" in page
    )
    assert "Tài khoản không còn vai trò nào" in page
    assert "Xác nhận thu hồi vai trò" in page
    binding.refresh_from_db()
    assert binding.active


def test_the_roles_that_stay_are_named(world):
    inspector = world.users[Role.INSPECTOR]
    admin = world.client(Role.ADMIN)
    admin.post(f"/users/{inspector.pk}/", {"role": Role.MEMBER, "organization_code": "P.U1.01.01"})
    binding = RoleBinding.objects.get(user=inspector, role=Role.INSPECTOR)
    page = admin.get(f"/users/roles/{binding.pk}/revoke/").content.decode()
    assert f"Vai trò còn lại của tài khoản: Đảng viên — {world.branch.name}." in page


def test_without_a_reason_nothing_is_revoked(world):
    binding = RoleBinding.objects.get(user=world.users[Role.INSPECTOR])
    response = world.client(Role.OFFICER).post(
        f"/users/roles/{binding.pk}/revoke/", {"reason": "  "}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa thu hồi vai trò: Cần ghi lý do thu hồi vai trò." in page
    assert "Tài khoản không còn vai trò nào" in page  # the consequences are still shown
    binding.refresh_from_db()
    assert binding.active
    assert not AuditEntry.unscoped.filter(action="role.revoke").exists()


def test_revoking_is_recorded_with_its_reason_and_restored_with_another(world):
    inspector = world.users[Role.INSPECTOR]
    binding = RoleBinding.objects.get(user=inspector)
    officer = world.client(Role.OFFICER)

    response = officer.post(f"/users/roles/{binding.pk}/revoke/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/users/{inspector.pk}/"
    entry = AuditEntry.unscoped.get(action="role.revoke", target_id=inspector.pk)
    assert entry.actor == world.users[Role.OFFICER] and entry.org_path == world.upper.path
    assert entry.reason == REASON
    assert world.client(Role.INSPECTOR).get(f"/orgs/{world.upper.code}/").status_code == 404

    # The user's page lists it among the revoked roles, with «Cấp lại…».
    page = officer.get(f"/users/{inspector.pk}/").content.decode()
    revoked = page[page.index('id="revoked-roles"') :]
    assert f'href="/users/roles/{binding.pk}/restore/"' in revoked
    assert "Không có vai trò nào đang hiệu lực." in page
    # Revoking again is not offered: the page says it is done.
    again = officer.get(f"/users/roles/{binding.pk}/revoke/", follow=True).content.decode()
    assert "đã được thu hồi" in again

    page = officer.get(f"/users/roles/{binding.pk}/restore/").content.decode()
    assert "có lại vai trò «Kiểm tra (chỉ xem)" in page and "Xác nhận cấp lại vai trò" in page
    refused = officer.post(f"/users/roles/{binding.pk}/restore/", {"reason": ""})
    assert refused.status_code == 400 and "Cần ghi lý do cấp lại vai trò." in (
        refused.content.decode()
    )
    binding.refresh_from_db()
    assert not binding.active

    restored = officer.post(f"/users/roles/{binding.pk}/restore/", {"reason": "Thu hồi nhầm"})
    assert restored.status_code == 302
    binding.refresh_from_db()
    assert binding.active
    entry = AuditEntry.unscoped.get(action="role.restore", target_id=inspector.pk)
    assert entry.reason == "Thu hồi nhầm" and entry.actor == world.users[Role.OFFICER]
    assert entry.action_label == "Cấp lại vai trò đã thu hồi"
    assert world.client(Role.INSPECTOR).get(f"/orgs/{world.upper.code}/").status_code == 200


def test_a_revoked_role_can_also_be_granted_again(world):
    inspector = world.users[Role.INSPECTOR]
    binding = RoleBinding.objects.get(user=inspector)
    officer = world.client(Role.OFFICER)
    officer.post(f"/users/roles/{binding.pk}/revoke/", {"reason": REASON})
    response = officer.post(
        f"/users/{inspector.pk}/", {"role": Role.INSPECTOR, "organization_code": world.upper.code}
    )
    assert response.status_code == 302
    binding.refresh_from_db()
    assert binding.active


def test_a_role_outside_the_subtree_cannot_be_revoked(world):
    outside = RoleBinding.objects.get(user=world.users["outside_officer"])
    officer = world.client(Role.OFFICER)

    assert officer.get(f"/users/roles/{outside.pk}/revoke/").status_code == 404
    response = officer.post(f"/users/roles/{outside.pk}/revoke/", {"reason": REASON})

    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.active
    assert not AuditEntry.unscoped.filter(action="role.revoke").exists()


def test_a_role_outside_the_subtree_cannot_be_restored(world):
    outside = RoleBinding.objects.get(user=world.users["outside_officer"])
    outside.active = False
    outside.save()
    officer = world.client(Role.OFFICER)
    response = officer.post(f"/users/roles/{outside.pk}/restore/", {"reason": "Thử"})
    assert response.status_code == 404
    outside.refresh_from_db()
    assert not outside.active


def test_read_only_roles_cannot_revoke(world):
    binding = RoleBinding.objects.get(user=world.users[Role.SECRETARY])
    for role in (Role.INSPECTOR, Role.SECRETARY, Role.MEMBER):
        client = world.client(role)
        assert client.get(f"/users/roles/{binding.pk}/revoke/").status_code == 403
        assert (
            client.post(f"/users/roles/{binding.pk}/revoke/", {"reason": REASON}).status_code == 403
        )
    binding.refresh_from_db()
    assert binding.active


def test_an_administrator_cannot_revoke_their_own_administration(world):
    admin = world.users[Role.ADMIN]
    binding = RoleBinding.objects.get(user=admin, role=Role.ADMIN)

    response = world.client(Role.ADMIN).post(
        f"/users/roles/{binding.pk}/revoke/", {"reason": "Thử"}
    )

    assert response.status_code == 400
    assert "Không thể tự thu hồi quyền quản trị của chính mình." in response.content.decode()
    binding.refresh_from_db()
    assert binding.active


def test_a_role_on_a_dissolved_organisation_cannot_come_back(world):
    secretary = world.users[Role.SECRETARY]
    binding = RoleBinding.objects.get(user=secretary)
    officer = world.client(Role.OFFICER)
    officer.post(f"/users/roles/{binding.pk}/revoke/", {"reason": REASON})
    Organization.unscoped.filter(pk=world.branch.pk).update(ended_on=datetime.date(2026, 1, 1))

    page = officer.get(f"/users/roles/{binding.pk}/restore/").content.decode()
    assert f"Không thể cấp lại: {world.branch.name} đã giải thể." in page
    response = officer.post(f"/users/roles/{binding.pk}/restore/", {"reason": "Thu hồi nhầm"})
    assert response.status_code == 400
    assert f"Chưa cấp lại vai trò: {world.branch.name} đã giải thể." in response.content.decode()
    binding.refresh_from_db()
    assert not binding.active
