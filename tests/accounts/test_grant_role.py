"""An officer grants a role to an existing account within the subtree they manage: the account's
scope follows at once, the grant is in the history, and nothing outside the subtree is granted."""

from dangvien.accounts.models import RoleBinding
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.conftest import OUTSIDE_MARK
from tests.factories import PASSWORD


def _grant(world, role: str, code: str):
    member_user = world.users[Role.MEMBER]
    return world.client(Role.OFFICER).post(
        f"/users/{member_user.pk}/", {"role": role, "organization_code": code}
    )


def test_a_granted_role_gives_its_scope_and_is_recorded(world):
    member_user = world.users[Role.MEMBER]
    client = world.client(None)
    assert client.login(username=member_user.username, password=PASSWORD)
    assert client.get(f"/orgs/{world.other_branch.code}/").status_code == 404

    response = _grant(world, Role.SECRETARY, world.other_branch.code)

    assert response.status_code == 302
    binding = RoleBinding.objects.get(user=member_user, role=Role.SECRETARY)
    assert binding.active and binding.organization == world.other_branch
    assert client.get(f"/orgs/{world.other_branch.code}/").status_code == 200
    entry = AuditEntry.unscoped.get(action="role.grant", target_id=member_user.pk)
    assert entry.actor == world.users[Role.OFFICER]
    assert entry.org_path == world.other_branch.path
    assert "Chi bộ Tổ Văn" in entry.changes["role"][1]


def test_a_role_outside_the_officers_subtree_is_refused(world):
    response = _grant(world, Role.SECRETARY, world.outside_branch.code)

    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert (
        not RoleBinding.objects.filter(organization=world.outside_branch)
        .exclude(user__username__contains=OUTSIDE_MARK.lower())
        .exists()
    )
    assert not AuditEntry.unscoped.filter(action="role.grant").exists()


def test_a_role_already_held_is_not_granted_twice(world):
    assert _grant(world, Role.SECRETARY, world.other_branch.code).status_code == 302
    page = _grant(world, Role.SECRETARY, world.other_branch.code).content.decode()

    assert "Tài khoản đã có vai trò này." in page
    assert (
        RoleBinding.objects.filter(user=world.users[Role.MEMBER], role=Role.SECRETARY).count() == 1
    )
    assert AuditEntry.unscoped.filter(action="role.grant").count() == 1


def test_a_secretary_cannot_grant_roles(world):
    member_user = world.users[Role.MEMBER]
    response = world.client(Role.SECRETARY).post(
        f"/users/{member_user.pk}/",
        {"role": Role.SECRETARY, "organization_code": world.branch.code},
    )
    assert response.status_code == 403
    assert not RoleBinding.objects.filter(user=member_user, role=Role.SECRETARY).exists()
