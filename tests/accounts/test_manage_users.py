"""Officers create accounts and grant roles within their subtree; the scope follows the role."""

from dangvien.accounts.models import RoleBinding, User
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role


def test_officer_creates_a_secretary_who_then_sees_only_the_branch(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        "/users/new/",
        {
            "username": "bithu2",
            "full_name": "Võ Thị Sáu",
            "password": "Mat-khau-dai-2026",
            "role": Role.SECRETARY,
            "organization_code": world.other_branch.code,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="bithu2")
    assert AuditEntry.unscoped.filter(action="user.create", target_id=created.pk).exists()
    secretary = world.client(None)
    assert secretary.login(username="bithu2", password="Mat-khau-dai-2026")
    assert secretary.get(f"/orgs/{world.other_branch.code}/").status_code == 200
    assert secretary.get(f"/orgs/{world.branch.code}/").status_code == 404


def test_officer_cannot_grant_administrator(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        f"/users/{world.users[Role.SECRETARY].pk}/", {"role": Role.ADMIN, "organization_code": ""}
    )
    assert response.status_code == 400 and "Chưa lưu." in response.content.decode()
    assert not RoleBinding.objects.filter(
        role=Role.ADMIN, user=world.users[Role.SECRETARY]
    ).exists()


def test_officer_lists_only_users_of_the_subtree(world):
    page = world.client(Role.OFFICER).get("/users/").content.decode()
    assert "bithu" in page and "kiemtra" in page
    assert "quantri" not in page


def test_revoking_a_role_removes_the_scope(world):
    client = world.client(Role.OFFICER)
    binding = RoleBinding.objects.get(user=world.users[Role.INSPECTOR])
    client.post(f"/users/roles/{binding.pk}/revoke/", {"reason": "Hết nhiệm vụ kiểm tra"})
    binding.refresh_from_db()
    assert binding.active is False
    assert world.client(Role.INSPECTOR).get(f"/orgs/{world.upper.code}/").status_code == 404


def test_weak_password_is_refused_in_vietnamese(world):
    response = world.client(Role.OFFICER).post(
        "/users/new/",
        {
            "username": "yeu",
            "full_name": "Mật Khẩu Yếu",
            "password": "12345678",
            "role": Role.MEMBER,
            "organization_code": world.branch.code,
        },
    )
    page = response.content.decode()
    assert "Mật khẩu quá phổ biến" in page and "Mật khẩu không được chỉ gồm chữ số." in page
    assert not User.objects.filter(username="yeu").exists()
