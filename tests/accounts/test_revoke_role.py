"""Revoking a role ends its scope at once and is recorded; a role outside the officer's subtree
cannot be revoked, nor an administrator's own administration, and a revoked role can be granted
again."""

from dangvien.accounts.models import RoleBinding
from dangvien.accounts.roles import Role
from dangvien.core.models import AuditEntry


def test_revoking_is_recorded_and_can_be_undone_by_granting_again(world):
    inspector = world.users[Role.INSPECTOR]
    binding = RoleBinding.objects.get(user=inspector)
    officer = world.client(Role.OFFICER)

    assert officer.post(f"/users/roles/{binding.pk}/revoke/").status_code == 302

    entry = AuditEntry.unscoped.get(action="role.revoke", target_id=inspector.pk)
    assert entry.actor == world.users[Role.OFFICER] and entry.org_path == world.upper.path
    assert world.client(Role.INSPECTOR).get(f"/orgs/{world.upper.code}/").status_code == 404

    response = officer.post(
        f"/users/{inspector.pk}/", {"role": Role.INSPECTOR, "organization_code": world.upper.code}
    )
    assert response.status_code == 302
    binding.refresh_from_db()
    assert binding.active
    assert world.client(Role.INSPECTOR).get(f"/orgs/{world.upper.code}/").status_code == 200


def test_a_role_outside_the_subtree_cannot_be_revoked(world):
    outside = RoleBinding.objects.get(user=world.users["outside_officer"])

    response = world.client(Role.OFFICER).post(f"/users/roles/{outside.pk}/revoke/")

    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.active
    assert not AuditEntry.unscoped.filter(action="role.revoke").exists()


def test_an_administrator_cannot_revoke_their_own_administration(world):
    admin = world.users[Role.ADMIN]
    binding = RoleBinding.objects.get(user=admin, role=Role.ADMIN)

    response = world.client(Role.ADMIN).post(f"/users/roles/{binding.pk}/revoke/", follow=True)

    assert "Không thể tự thu hồi quyền quản trị của chính mình." in response.content.decode()
    binding.refresh_from_db()
    assert binding.active


def test_revoking_needs_a_post(world):
    binding = RoleBinding.objects.get(user=world.users[Role.INSPECTOR])
    assert world.client(Role.OFFICER).get(f"/users/roles/{binding.pk}/revoke/").status_code == 405
    binding.refresh_from_db()
    assert binding.active
