"""The REST API under /api/v1/: the same scope and rules as the web pages."""

from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind


def test_list_shows_only_the_scope(world):
    data = world.client(Role.OFFICER).get("/api/v1/organizations/").json()
    codes = {item["code"] for item in data["results"]}
    assert codes == {"P.U1", "P.U1.01", "P.U1.01.01", "P.U1.01.02"}


def test_subtree_filter_and_detail(world):
    client = world.client(Role.OFFICER)
    data = client.get("/api/v1/organizations/", {"under": world.base.code}).json()
    assert data["count"] == 3
    response = client.get(f"/api/v1/organizations/{world.branch.code}/")
    detail = response.json()
    assert detail == {
        "code": "P.U1.01.01",
        "name": "Chi bộ Tổ Toán",
        "kind": "chi_bo_truc_thuoc",
        "kind_label": "Chi bộ trực thuộc",
        "sector": "",
        "sector_label": "",
        "parent_code": "P.U1.01",
        "depth": 3,
        "founded_on": None,
        "ended_on": None,
        "former_code": None,
        "successor": None,
        "version": response["ETag"].strip('"'),  # the token of version 1 read from this one
    }
    assert detail["version"].startswith("1.")


def etag(client, code: str) -> str:
    """What a client reads before an edit: the organisation's ETag, sent back in If-Match."""
    return client.get(f"/api/v1/organizations/{code}/")["ETag"]


def test_create_rename_move_dissolve(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        "/api/v1/organizations/",
        {
            "code": "P.U1.02",
            "name": "Chi bộ Khu phố 3",
            "kind": "chi_bo_co_so",
            "parent_code": world.upper.code,
            "effective_on": "2024-01-10",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/v1/organizations/P.U1.02/rename/",
        {"name": "Chi bộ Khu phố Ba", "version": response.json()["version"]},
        content_type="application/json",
    )
    assert response.json()["name"] == "Chi bộ Khu phố Ba"
    renamed = response["ETag"]
    response = client.post(
        f"/api/v1/organizations/{world.branch.code}/move/",
        {"parent_code": "P.U1.02"},
        content_type="application/json",
        headers={"If-Match": etag(client, world.branch.code)},
    )
    assert response.status_code == 400
    assert "không thể trực thuộc Chi bộ cơ sở" in response.json()["detail"]
    for reason in ({}, {"reason": "  "}):  # final: the reason is required, nothing changes
        response = client.post(
            "/api/v1/organizations/P.U1.02/dissolve/",
            {"effective_on": "2025-07-01", **reason},
            content_type="application/json",
            headers={"If-Match": renamed},
        )
        assert response.status_code == 400
        assert response.json()["reason"] == ["Hãy ghi lý do giải thể."]
    assert Organization.unscoped.get(code="P.U1.02").ended_on is None
    response = client.post(
        "/api/v1/organizations/P.U1.02/dissolve/",
        {"effective_on": timezone.localdate().isoformat(), "reason": "Sáp nhập"},
        content_type="application/json",
        headers={"If-Match": renamed},
    )
    assert response.json()["ended_on"] == timezone.localdate().isoformat()


def test_outside_is_not_found_and_read_only_roles_are_refused(world):
    client = world.client(Role.OFFICER)
    assert client.get(f"/api/v1/organizations/{world.outside_branch.code}/").status_code == 404
    inspector = world.client(Role.INSPECTOR)
    response = inspector.post(
        f"/api/v1/organizations/{world.branch.code}/rename/",
        {"name": "X"},
        content_type="application/json",
        headers={"If-Match": etag(inspector, world.branch.code)},
    )
    assert response.status_code == 403  # the inspector reads the branch: told it is read-only
    assert Organization.unscoped.get(pk=world.branch.pk).name == "Chi bộ Tổ Toán"


def test_me_and_schema(world):
    me = world.client(Role.SECRETARY).get("/api/v1/me/").json()
    assert me["roles"] == [{"role": "secretary", "organization": "P.U1.01.01"}]
    schema = world.client(Role.SECRETARY).get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/organizations/{code}/move/" in schema["paths"]


def test_the_sector_is_read_and_set_on_creation(world):
    client = world.client(Role.OFFICER)
    body = {"code": "P.U1.07", "name": "Chi bộ Công ty An", "kind": "chi_bo_co_so"}
    body["parent_code"] = world.upper.code
    response = client.post(
        "/api/v1/organizations/",
        {**body, "sector": "khong_co"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "sector" in response.json()
    assert not Organization.unscoped.filter(code="P.U1.07").exists()
    response = client.post(
        "/api/v1/organizations/",
        {**body, "sector": "doanh_nghiep_tu_nhan"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["sector"], created["sector_label"]) == (
        "doanh_nghiep_tu_nhan",
        "Doanh nghiệp tư nhân",
    )
    assert Organization.unscoped.get(code="P.U1.07").sector == "doanh_nghiep_tu_nhan"
    listed = client.get("/api/v1/organizations/", {"under": "P.U1.07"}).json()["results"]
    assert listed[0]["sector_label"] == "Doanh nghiệp tư nhân"


def test_dissolve_disbands_with_kind_giai_tan(world):
    client = world.client(Role.OFFICER)
    body = {"code": "P.U1.08", "name": "Chi bộ Tạm", "kind": "chi_bo_co_so", "parent_code": "P.U1"}
    client.post("/api/v1/organizations/", body, content_type="application/json")
    today = timezone.localdate().isoformat()
    for kind, status in (("giai_the_nham", 400), ("giai_tan", 200)):
        response = client.post(
            "/api/v1/organizations/P.U1.08/dissolve/",
            {"effective_on": today, "reason": "Vi phạm", "kind": kind},
            content_type="application/json",
            headers={"If-Match": etag(client, "P.U1.08")},
        )
        assert response.status_code == status, response.content
    org = Organization.unscoped.get(code="P.U1.08")
    assert org.ended_on.isoformat() == today
    assert OrgEvent.unscoped.get(org=org, kind=OrgEventKind.DISBAND).note == "Vi phạm"
    assert not OrgEvent.unscoped.filter(org=org, kind=OrgEventKind.END).exists()
