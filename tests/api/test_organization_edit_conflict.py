"""The API's organisation edits carry the version read (If-Match or `version`): a stale one is
refused with 412 and what changed, never silently applied."""

from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization


def api(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def read(client, code: str) -> tuple[str, int]:
    response = client.get(f"/api/v1/organizations/{code}/")
    return response["ETag"], response.json()["version"]


def post(client, code: str, action: str, body: dict, **headers):
    return client.post(
        f"/api/v1/organizations/{code}/{action}/",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_stale_if_match_gets_412_with_the_change(world):
    first, second = api(world, Role.OFFICER), api(world, Role.ADMIN)
    code = world.branch.code
    first_etag, _ = read(first, code)
    second_etag, _ = read(second, code)

    response = post(first, code, "rename", {"name": "Chi bộ Tổ Toán – Tin"}, If_Match=first_etag)
    assert response.status_code == 200
    assert response["ETag"] != first_etag

    response = post(second, code, "rename", {"name": "Chi bộ Toán"}, If_Match=second_etag)
    assert response.status_code == 412
    detail = response.json()["detail"]
    assert "sau khi bạn mở trang" in detail
    assert "Tên: Chi bộ Tổ Toán → Chi bộ Tổ Toán – Tin" in detail
    assert world.users[Role.OFFICER].full_name in detail
    assert response.json()["version"] == response["ETag"].strip('"')
    assert Organization.unscoped.get(pk=world.branch.pk).name == "Chi bộ Tổ Toán – Tin"
    assert AuditEntry.unscoped.filter(action="org.rename").count() == 1

    fresh_etag, _ = read(second, code)  # re-read, then the change applies
    response = post(second, code, "rename", {"name": "Chi bộ Toán"}, If_Match=fresh_etag)
    assert response.status_code == 200
    assert Organization.unscoped.get(pk=world.branch.pk).name == "Chi bộ Toán"


def test_stale_version_field_on_move_and_dissolve(world):
    admin = api(world, Role.ADMIN)
    _etag, version = read(admin, world.other_branch.code)
    renamed = {"name": "Chi bộ Tổ Văn – Sử", "version": str(version)}
    assert post(admin, world.other_branch.code, "rename", renamed).status_code == 200
    response = post(
        admin,
        world.other_branch.code,
        "dissolve",
        {"effective_on": "2026-01-01", "reason": "Sáp nhập chi bộ", "version": str(version)},
    )
    assert response.status_code == 412
    assert "Tên: Chi bộ Tổ Văn → Chi bộ Tổ Văn – Sử" in response.json()["detail"]
    assert Organization.unscoped.get(pk=world.other_branch.pk).ended_on is None

    _etag, version = read(admin, world.base.code)
    renamed = {"name": "Đảng bộ Trường TH Hòa Bình", "version": version}
    assert post(admin, world.base.code, "rename", renamed).status_code == 200
    response = post(
        admin,
        world.base.code,
        "move",
        {"parent_code": world.outside_upper.code, "version": version},
    )
    assert response.status_code == 412
    assert Organization.unscoped.get(pk=world.base.pk).parent_id == world.upper.pk
    assert not AuditEntry.unscoped.filter(action="org.move").exists()


def test_garbage_if_match_is_a_400_in_vietnamese(world):
    admin = api(world, Role.ADMIN)
    response = post(admin, world.branch.code, "rename", {"name": "X"}, If_Match='"abc"')
    assert response.status_code == 400
    assert "Phiên bản hồ sơ không hợp lệ" in response.json()["detail"]


def test_an_edit_without_a_version_is_428_and_changes_nothing(world):
    admin = api(world, Role.ADMIN)
    code = world.branch.code
    for action, body in (
        ("rename", {"name": "Chi bộ Toán"}),
        ("move", {"parent_code": world.outside_base.code}),
        ("dissolve", {"effective_on": "2026-01-01", "reason": "Sáp nhập chi bộ"}),
        ("rename", {"name": "Chi bộ Toán", "version": ""}),
    ):
        response = post(admin, code, action, body)
        assert response.status_code == 428, (action, response.content)
        assert "Thiếu phiên bản đã đọc" in response.json()["detail"]
        assert "If-Match" in response.json()["detail"]
    org = Organization.unscoped.get(pk=world.branch.pk)
    assert (org.name, org.parent_id, org.ended_on) == ("Chi bộ Tổ Toán", world.base.pk, None)
    assert not AuditEntry.unscoped.filter(action__startswith="org.").exists()


def test_schema_documents_the_version_412_and_428(world):
    schema = api(world, Role.ADMIN).get("/api/v1/schema/").content.decode()
    assert "If-Match" in schema and "'412':" in schema and "'428':" in schema
    assert "Thiếu phiên bản đã đọc" in schema
